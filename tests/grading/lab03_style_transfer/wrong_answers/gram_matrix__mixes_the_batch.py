# Mistake: flattens the whole batch into one matrix, so images of a batch are mixed (right only for B = 1).
def gram_matrix(features):
    b, c, h, w = features.shape
    flat = features.transpose(0, 1).reshape(c, b * h * w)
    gram = flat @ flat.T / (c * h * w * b)
    return gram.expand(b, c, c)
