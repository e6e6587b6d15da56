# Mistake: takes -log2 of the raw popularity numbers without turning counts into shares.
def novelty(items, item_popularity):
    """Mean self-information -log2(popularity share) of the items in a list (0.0 if empty)."""
    items = np.asarray(list(items), dtype=int)
    if len(items) == 0:
        return 0.0
    popularity = np.asarray(item_popularity, dtype=float)
    shares = popularity
    return float(np.mean(-np.log2(shares[items])))
