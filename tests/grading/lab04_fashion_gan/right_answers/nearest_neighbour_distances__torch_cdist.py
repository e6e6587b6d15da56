# Correct: torch.cdist in float32 (matrix-product formula inside), results as NumPy.
def nearest_neighbour_distances(samples, train):
    a = torch.as_tensor(np.asarray(samples, dtype=np.float32)).reshape(len(samples), -1)
    b = torch.as_tensor(np.asarray(train, dtype=np.float32)).reshape(len(train), -1)
    best = torch.cdist(a, b).min(dim=1)
    return best.values.numpy(), best.indices.numpy()
