# Mistake: divides the hits by the number of relevant items (that is recall, not precision).
def precision_at_k(recommended, relevant, k):
    """Fraction of the first k recommendations that are relevant (divides by k)."""
    relevant = set(np.asarray(list(relevant)).tolist())
    hits = sum(1 for item in list(recommended)[:k] if item in relevant)
    return hits / len(relevant) if relevant else 0.0
