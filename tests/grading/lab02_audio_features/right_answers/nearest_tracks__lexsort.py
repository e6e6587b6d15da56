# Correct: squared distances (same order as distances) and an explicit (distance, index) lexsort.
def nearest_tracks(features, query, k):
    """Indices of the k tracks closest to track `query`, nearest first."""
    features = np.asarray(features, dtype=float)
    squared = ((features - features[query]) ** 2).sum(axis=1)
    candidates = np.array([i for i in range(len(features)) if i != query])
    order = np.lexsort((candidates, squared[candidates]))
    return list(candidates[order][:k])
