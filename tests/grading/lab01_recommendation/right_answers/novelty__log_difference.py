# Correct: -log2(count / total) written as log2(total) - log2(count).
def novelty(items, item_popularity):
    items = [int(i) for i in items]
    if not items:
        return 0.0
    popularity = np.asarray(item_popularity, dtype=float)
    return float(np.mean(np.log2(popularity.sum()) - np.log2(popularity[items])))
