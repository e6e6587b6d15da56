# Mistake: Manhattan (L1, "cityblock") distance instead of Euclidean.
def nearest_neighbour_distances(samples, train):
    from scipy.spatial.distance import cdist

    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(train, dtype=np.float64).reshape(len(train), -1)
    distances = cdist(a, b, metric="cityblock")
    indices = distances.argmin(axis=1)
    return distances[np.arange(len(a)), indices], indices
