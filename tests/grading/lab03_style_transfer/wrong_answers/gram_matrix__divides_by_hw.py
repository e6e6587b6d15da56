# Mistake: normalises by H*W only (the number of positions), forgetting the C channels.
def gram_matrix(features):
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)
