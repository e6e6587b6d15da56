# Mistake: discounts by log2(rank + 2): an off-by-one that gives rank 1 the weight of rank 2.
def ndcg_at_k(recommended, relevant, k):
    """Normalised discounted cumulative gain at k, binary relevance (0.0 if none relevant)."""
    relevant = set(np.asarray(list(relevant)).tolist())
    if not relevant:
        return 0.0
    top = list(recommended)[:k]
    dcg = sum(1.0 / np.log2(rank + 2) for rank, item in enumerate(top, start=1) if item in relevant)
    ideal = sum(1.0 / np.log2(rank + 2) for rank in range(1, min(k, len(relevant)) + 1))
    return float(dcg / ideal)
