# Mistake: only returns groups that got some exposure (a group with none is missing, not 0.0).
# loses: test_group_exposure_share
def group_exposure_share(rankings, item_group, k):
    item_group = np.asarray(item_group)
    totals = {}
    for ranking in rankings:
        for rank, item in enumerate(list(ranking)[:k], start=1):
            label = item_group[int(item)].item()
            totals[label] = totals.get(label, 0.0) + 1.0 / np.log2(1 + rank)
    total = sum(totals.values())
    if total == 0:
        raise ValueError("no exposure")
    return {label: value / total for label, value in totals.items()}
