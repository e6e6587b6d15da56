# Correct: builds a long table of (group, weight) slots with pandas and returns a Series.
def group_exposure_share(rankings, item_group, k):
    groups = pd.Series(np.asarray(item_group))
    slots = [(groups[int(item)], 1 / np.log2(rank + 1))
             for ranking in rankings for rank, item in enumerate(list(ranking)[:k], start=1)]
    if not slots:
        raise ValueError("no slots to share")
    table = pd.DataFrame(slots, columns=["group", "weight"])
    totals = table.groupby("group")["weight"].sum().reindex(pd.unique(groups), fill_value=0.0)
    return totals / totals.sum()
