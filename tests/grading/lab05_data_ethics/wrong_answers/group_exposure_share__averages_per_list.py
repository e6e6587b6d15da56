# Mistake: averages each list's group shares instead of pooling the exposure of all lists.
# loses: test_group_exposure_share
def group_exposure_share(rankings, item_group, k):
    item_group = np.asarray(item_group)
    labels = [label.item() for label in np.unique(item_group)]
    per_list = []
    for ranking in rankings:
        items = list(ranking)[:k]
        if not items:
            continue
        weights = 1.0 / np.log2(np.arange(2, len(items) + 2))
        share = {label: 0.0 for label in labels}
        for weight, item in zip(weights, items):
            share[item_group[int(item)].item()] += weight / weights.sum()
        per_list.append(share)
    if not per_list:
        raise ValueError("no exposure")
    return {label: float(np.mean([s[label] for s in per_list])) for label in labels}
