# Mistake: sorts ascending and reverses, which breaks ties in favour of the higher index.
def top_k_unseen(scores, seen, k):
    """Indices of the k highest-scoring unseen items, best first, ties by lower index."""
    scores = np.asarray(scores, dtype=float)
    unseen = np.ones(len(scores), dtype=bool)
    unseen[np.asarray(list(seen), dtype=int)] = False
    candidates = np.flatnonzero(unseen)
    # a stable sort keeps equal scores in index order
    order = np.argsort(scores[candidates], kind="stable")[::-1]
    return candidates[order[:k]]
