# Correct: the log2 discount written as ln(r + 1) / ln(2), with NumPy arrays.
def ndcg_at_k(recommended, relevant, k):
    relevant = {int(r) for r in np.asarray(list(relevant)).ravel()}
    if not relevant:
        return 0.0
    ranks = np.arange(1, k + 1)
    discounts = np.log(2.0) / np.log(ranks + 1.0)
    hits = np.array([int(item) in relevant for item in list(recommended)[:k]], dtype=float)
    dcg = float(np.sum(hits * discounts[: len(hits)]))
    ideal = float(np.sum(discounts[: min(k, len(relevant))]))
    return dcg / ideal
