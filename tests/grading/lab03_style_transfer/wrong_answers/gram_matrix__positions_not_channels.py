# Mistake: multiplies in the wrong order, correlating positions (HW x HW) instead of channels.
def gram_matrix(features):
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat.transpose(1, 2) @ flat / (c * h * w)
