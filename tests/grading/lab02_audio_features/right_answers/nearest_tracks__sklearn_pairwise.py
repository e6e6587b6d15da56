# Correct: scikit-learn's Euclidean distances, then a stable sort that skips the query.
def nearest_tracks(features, query, k):
    from sklearn.metrics import pairwise_distances
    X = np.asarray(features, dtype=float)
    distances = pairwise_distances(X[[query]], X)[0]
    order = [i for i in np.argsort(distances, kind="stable") if i != query]
    return np.array(order[:k])
