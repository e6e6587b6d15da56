# Mistake: puts the required protected items at the top instead of ordering the whole list by score.
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
    r = min(math.ceil(min_share * m - 1e-9), int(is_protected.sum()))
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order if is_protected[i]][:r]
    return chosen + [int(i) for i in order if int(i) not in chosen][: m - r]
