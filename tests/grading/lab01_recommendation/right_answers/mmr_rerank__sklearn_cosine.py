# Correct: scikit-learn's cosine_similarity for the redundancy term, positions tracked in a list.
def mmr_rerank(candidates, relevance, item_vectors, k, lambda_):
    from sklearn.metrics.pairwise import cosine_similarity
    candidates = [int(c) for c in candidates]
    relevance = np.asarray(relevance, dtype=float)
    similarity = cosine_similarity(np.asarray(item_vectors, dtype=float)[candidates])
    chosen, remaining = [], list(range(len(candidates)))
    while remaining and len(chosen) < k:
        if chosen:
            scores = [lambda_ * relevance[p] - (1 - lambda_) * max(similarity[p, q] for q in chosen) for p in remaining]
        else:
            scores = [relevance[p] for p in remaining]
        best = remaining[int(np.argmax(scores))]
        chosen.append(best)
        remaining.remove(best)
    return [candidates[p] for p in chosen]
