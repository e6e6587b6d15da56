# Mistake: counts slots without position weights (every rank counts 1).
# loses: test_group_exposure_share
def group_exposure_share(rankings, item_group, k):
    item_group = np.asarray(item_group)
    totals = {label.item(): 0.0 for label in np.unique(item_group)}
    for ranking in rankings:
        for item in list(ranking)[:k]:
            totals[item_group[int(item)].item()] += 1.0
    total = sum(totals.values())
    if total == 0:
        raise ValueError("no exposure")
    return {label: value / total for label, value in totals.items()}
