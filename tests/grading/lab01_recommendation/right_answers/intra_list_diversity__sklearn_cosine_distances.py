# Correct: scikit-learn's cosine_distances (a zero vector has similarity 0, distance 1) over the upper triangle.
def intra_list_diversity(items, item_vectors):
    from sklearn.metrics.pairwise import cosine_distances
    items = [int(i) for i in items]
    if len(items) < 2:
        return 0.0
    distances = cosine_distances(np.asarray(item_vectors, dtype=float)[items])
    upper = np.triu_indices(len(items), k=1)
    return float(distances[upper].mean())
