# Mistake: ranks by cosine similarity (the angle between feature vectors) instead of Euclidean distance.
def nearest_tracks(features, query, k):
    """Indices of the k tracks closest to track `query`, nearest first."""
    features = np.asarray(features, dtype=float)
    norms = np.linalg.norm(features, axis=1) + 1e-12
    similarity = features @ features[query] / (norms * norms[query])
    similarity[query] = -np.inf
    return np.argsort(-similarity, kind="stable")[:k]
