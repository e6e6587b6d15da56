# Mistake: counts hits in the whole recommended list instead of only its first k items.
def recall_at_k(recommended, relevant, k):
    """Fraction of the relevant items found in the first k recommendations (0.0 if none)."""
    relevant = set(np.asarray(list(relevant)).tolist())
    if not relevant:
        return 0.0
    hits = sum(1 for item in list(recommended) if item in relevant)
    return hits / len(relevant)
