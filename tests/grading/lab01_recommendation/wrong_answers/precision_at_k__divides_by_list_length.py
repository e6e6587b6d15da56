# Mistake: divides by the number of items actually recommended (at most k) instead of by k.
def precision_at_k(recommended, relevant, k):
    """Fraction of the first k recommendations that are relevant (divides by k)."""
    relevant = set(np.asarray(list(relevant)).tolist())
    hits = sum(1 for item in list(recommended)[:k] if item in relevant)
    return hits / len(list(recommended)[:k])
