# Correct: start from the plain top-m, then swap the weakest unprotected item for the best missing protected one until the quota is met; ties broken by the higher index.
def fair_rerank(scores, item_group, protected, k, min_share):
    scores = [float(s) for s in scores]
    groups = list(item_group)
    if len(scores) != len(groups):
        raise ValueError("scores and item_group must have the same length")
    if not (0 <= min_share <= 1):
        raise ValueError("min_share must lie in [0, 1]")
    if k < 0:
        raise ValueError("k must not be negative")
    wanted = set(protected) if isinstance(protected, (list, tuple, set, frozenset)) else {protected}
    is_prot = [g in wanted for g in groups]
    m = min(k, len(scores))
    need = min(math.ceil(min_share * m - 1e-9), sum(is_prot))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], -i))
    chosen = order[:m]
    outside = [i for i in order[m:] if is_prot[i]]
    while sum(is_prot[i] for i in chosen) < need:
        weakest = max((i for i in chosen if not is_prot[i]), key=lambda i: (-scores[i], -i))
        chosen.remove(weakest)
        chosen.append(outside.pop(0))
    return sorted(chosen, key=lambda i: (-scores[i], -i))
