# Mistake: the list is right, but it marks picked candidates with -inf in the caller's own scores array.
# loses: test_fair_rerank__inputs
def fair_rerank(scores, item_group, protected, k, min_share):
    work = np.asarray(scores, dtype=float)          # no copy when scores is already a float array
    original = work.copy()
    groups = np.asarray(item_group)
    if work.ndim != 1 or len(groups) != len(work):
        raise ValueError("scores and item_group must be 1-D of the same length")
    if not 0 <= min_share <= 1:
        raise ValueError("min_share must be in [0, 1]")
    if k < 0:
        raise ValueError("k must be >= 0")
    labels = list(protected) if isinstance(protected, (list, tuple, set, frozenset)) else [protected]
    is_protected = np.isin(groups, labels)
    m = min(int(k), len(work))
    r = min(math.ceil(min_share * m - 1e-9), int(is_protected.sum()))
    chosen = []
    for _ in range(r):
        best = int(np.argmax(np.where(is_protected, work, -np.inf)))
        chosen.append(best)
        work[best] = -np.inf
    for _ in range(m - r):
        best = int(np.argmax(work))
        chosen.append(best)
        work[best] = -np.inf
    return sorted(chosen, key=lambda i: (-original[i], i))
