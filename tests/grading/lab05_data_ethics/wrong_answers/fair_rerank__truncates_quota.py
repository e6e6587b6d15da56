# Mistake: truncates the quota with int() instead of rounding up, so 30 % of 8 asks for 2 protected items, not 3.
# loses: test_fair_rerank
def fair_rerank(scores, item_group, protected, k, min_share):
    scores = np.asarray(scores, dtype=float)
    groups = np.asarray(item_group)
    if len(groups) != len(scores):
        raise ValueError("scores and item_group differ in length")
    if not 0 <= min_share <= 1:
        raise ValueError("min_share must be in [0, 1]")
    if k < 0:
        raise ValueError("k must be >= 0")
    labels = list(protected) if isinstance(protected, (list, tuple, set, frozenset)) else [protected]
    is_protected = np.isin(groups, labels)
    m = min(k, len(scores))
    r = min(int(min_share * m), int(is_protected.sum()))
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order if is_protected[i]][:r]
    chosen += [int(i) for i in order if int(i) not in chosen][: m - r]
    return sorted(chosen, key=lambda i: (-scores[i], i))
