# Mistake: sorts distances in descending order, recommending the least similar tracks.
def nearest_tracks(features, query, k):
    """Indices of the k tracks closest to track `query`, nearest first."""
    features = np.asarray(features, dtype=float)
    distances = np.sqrt(((features - features[query]) ** 2).sum(axis=1))
    order = [i for i in np.argsort(-distances, kind="stable") if i != query]
    return np.array(order[:k])
