# Mistake: ranks every item, including those the user has already seen.
def top_k_unseen(scores, seen, k):
    """Indices of the k highest-scoring unseen items, best first, ties by lower index."""
    scores = np.asarray(scores, dtype=float)
    unseen = np.ones(len(scores), dtype=bool)
    candidates = np.flatnonzero(unseen)
    # a stable sort keeps equal scores in index order
    order = np.argsort(-scores[candidates], kind="stable")
    return candidates[order[:k]]
