# Mistake: divides by H*W (the average product over positions, a fine convention elsewhere) instead of C*H*W as the task asks.
def gram_matrix(features):
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)
