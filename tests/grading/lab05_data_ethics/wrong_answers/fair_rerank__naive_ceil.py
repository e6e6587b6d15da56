# Mistake: required count math.ceil(min_share * k) -- uses k instead of min(k, n) and no tolerance (0.3 * 10 -> 4).
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
    r = min(math.ceil(min_share * k), int(is_protected.sum()))
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order if is_protected[i]][:r]
    chosen += [int(i) for i in order if int(i) not in chosen][: max(m - r, 0)]
    return sorted(chosen, key=lambda i: -scores[i])[:m]
