# Mistake: adds the similarity penalty instead of subtracting it, so it favours near-duplicates.
def mmr_rerank(candidates, relevance, item_vectors, k, lambda_):
    """Greedy maximal-marginal-relevance re-ranking; returns a list of up to k item ids."""
    candidates = [int(c) for c in candidates]
    relevance = np.asarray(relevance, dtype=float)
    V = np.asarray(item_vectors, dtype=float)[candidates]
    norms = np.linalg.norm(V, axis=1)
    unit = V / np.where(norms > 0, norms, 1.0)[:, None]
    similarity = unit @ unit.T                       # between candidate positions
    remaining = list(range(len(candidates)))
    chosen = []
    while remaining and len(chosen) < k:
        if not chosen:
            scores = relevance[remaining]
        else:
            max_sim = similarity[np.ix_(remaining, chosen)].max(axis=1)
            scores = lambda_ * relevance[remaining] + (1 - lambda_) * max_sim
        best = remaining[int(np.argmax(scores))]   # argmax returns the first (lowest) position
        chosen.append(best)
        remaining.remove(best)
    return [candidates[j] for j in chosen]
