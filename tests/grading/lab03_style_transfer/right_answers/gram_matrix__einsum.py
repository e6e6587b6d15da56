# Correct: einsum over the flattened positions, written with explicit index letters.
def gram_matrix(features):
    b, c, h, w = features.shape
    return torch.einsum("bihw,bjhw->bij", features, features) / (c * h * w)
