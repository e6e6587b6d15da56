# Mistake: computes the ideal DCG over k items even when fewer than k items are relevant.
def ndcg_at_k(recommended, relevant, k):
    """Normalised discounted cumulative gain at k, binary relevance (0.0 if none relevant)."""
    relevant = set(np.asarray(list(relevant)).tolist())
    if not relevant:
        return 0.0
    top = list(recommended)[:k]
    dcg = sum(1.0 / np.log2(rank + 1) for rank, item in enumerate(top, start=1) if item in relevant)
    ideal = sum(1.0 / np.log2(rank + 1) for rank in range(1, k + 1))
    return float(dcg / ideal)
