# Mistake: uses every item of every list, not only the first k.
# loses: test_group_exposure_share
def group_exposure_share(rankings, item_group, k):
    item_group = np.asarray(item_group)
    totals = {label.item(): 0.0 for label in np.unique(item_group)}
    for ranking in rankings:
        for rank, item in enumerate(list(ranking), start=1):
            totals[item_group[int(item)].item()] += 1.0 / np.log2(1 + rank)
    total = sum(totals.values())
    if total == 0:
        raise ValueError("no exposure")
    return {label: value / total for label, value in totals.items()}
