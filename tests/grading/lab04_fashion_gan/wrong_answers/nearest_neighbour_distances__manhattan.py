# Mistake: Manhattan (L1) distance instead of Euclidean.
def nearest_neighbour_distances(samples, train):
    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(train, dtype=np.float64).reshape(len(train), -1)
    distances = np.array([np.abs(b - row).sum(axis=1) for row in a])
    indices = distances.argmin(axis=1)
    return distances[np.arange(len(a)), indices], indices
