# Mistake: refuses (ValueError) when there are fewer protected candidates than required, instead of taking them all.
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
    r = math.ceil(min_share * m - 1e-9)
    if r > is_protected.sum():
        raise ValueError(f"only {is_protected.sum()} protected candidates, {r} required")
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order if is_protected[i]][:r]
    chosen += [int(i) for i in order if int(i) not in chosen][: m - r]
    return sorted(chosen, key=lambda i: (-scores[i], i))
