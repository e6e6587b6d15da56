# Mistake: breaks ties by the higher index (searches the reversed training set).
def nearest_neighbour_distances(samples, train):
    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(train, dtype=np.float64).reshape(len(train), -1)[::-1]
    squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    indices = np.argmin(squared, axis=1)
    distances = np.sqrt(np.maximum(squared[np.arange(len(a)), indices], 0))
    return distances, len(b) - 1 - indices
