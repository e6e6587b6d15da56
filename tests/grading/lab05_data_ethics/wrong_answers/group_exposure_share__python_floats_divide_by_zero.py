# Mistake: the shares are right, but with no slot at all the Python division raises ZeroDivisionError, not ValueError.
# loses: test_group_exposure_share__errors
def group_exposure_share(rankings, item_group, k):
    labels = list(dict.fromkeys(item_group))
    totals = {label: 0.0 for label in labels}
    for ranking in rankings:
        for rank, item in enumerate(list(ranking)[:k], start=1):
            totals[item_group[int(item)]] += 1 / math.log2(1 + rank)
    total = sum(totals.values())
    return {label: value / total for label, value in totals.items()}
