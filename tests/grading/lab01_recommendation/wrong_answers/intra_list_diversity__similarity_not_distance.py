# Mistake: averages the cosine similarity instead of the distance 1 - similarity.
def intra_list_diversity(items, item_vectors):
    """Mean cosine distance (1 - cosine similarity) over all pairs of positions in a list."""
    items = np.asarray(list(items), dtype=int)
    if len(items) < 2:
        return 0.0
    V = np.asarray(item_vectors, dtype=float)[items]
    norms = np.linalg.norm(V, axis=1)
    unit = V / np.where(norms > 0, norms, 1.0)[:, None]
    similarity = unit @ unit.T
    upper = np.triu_indices(len(items), k=1)   # each unordered pair once, no self-pairs
    return float(np.mean(similarity[upper]))
