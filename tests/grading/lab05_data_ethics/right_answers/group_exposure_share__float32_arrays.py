# Correct: accumulates the exposure in a float32 array indexed by label, then returns a pandas Series.
def group_exposure_share(rankings, item_group, k):
    labels, codes = np.unique(np.asarray(item_group), return_inverse=True)
    totals = np.zeros(len(labels), dtype=np.float32)
    for ranking in rankings:
        items = np.asarray(list(ranking)[:k], dtype=int)
        if len(items):
            np.add.at(totals, codes[items], (1 / np.log2(np.arange(2, len(items) + 2))).astype(np.float32))
    if totals.sum() == 0:
        raise ValueError("no slot is shown")
    return pd.Series(totals / totals.sum(), index=labels)
