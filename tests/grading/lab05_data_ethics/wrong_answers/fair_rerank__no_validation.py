# Mistake: the ranking is right, but impossible requests (bad lengths, min_share out of [0, 1], negative k) are not refused.
# loses: test_fair_rerank__errors
def fair_rerank(scores, item_group, protected, k, min_share):
    scores = np.asarray(scores, dtype=float)
    groups = np.asarray(item_group)
    labels = list(protected) if isinstance(protected, (list, tuple, set, frozenset)) else [protected]
    is_protected = np.isin(groups, labels)
    m = max(min(k, len(scores)), 0)
    r = max(min(math.ceil(min_share * m - 1e-9), int(is_protected.sum())), 0) if min_share == min_share else 0
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order if i < len(is_protected) and is_protected[i]][:r]
    chosen += [int(i) for i in order if int(i) not in chosen][: max(m - r, 0)]
    return sorted(chosen, key=lambda i: (-scores[i], i))
