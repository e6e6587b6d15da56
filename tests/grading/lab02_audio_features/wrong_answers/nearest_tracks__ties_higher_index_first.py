# Mistake: breaks ties by the higher index (sorting (distance, index) pairs in reverse and flipping).
def nearest_tracks(features, query, k):
    """Indices of the k tracks closest to track `query`, nearest first."""
    features = np.asarray(features, dtype=float)
    distances = np.sqrt(((features - features[query]) ** 2).sum(axis=1))
    distances[query] = np.inf
    order = np.argsort(distances[::-1], kind="stable")
    return (len(distances) - 1 - order)[:k]
