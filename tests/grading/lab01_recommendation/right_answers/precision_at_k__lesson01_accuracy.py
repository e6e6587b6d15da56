# Correct: lesson 01's own accuracy() (vectorised over listeners), applied to one list.
# From lesson: lessons/01_recommendation.ipynb
import numpy as np


def accuracy(lists, relevant, k):
    hits = np.take_along_axis(relevant, lists, axis=1).astype(float)
    n_rel = relevant.sum(axis=1)
    discount = 1 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discount)[np.minimum(n_rel, k) - 1]
    return {f"precision@{k}": hits.mean(), f"recall@{k}": (hits.sum(1) / n_rel).mean(),
            f"NDCG@{k}": ((hits * discount).sum(1) / ideal).mean()}


def precision_at_k(recommended, relevant, k):
    # Adapter: the lesson evaluates only listeners with relevant items and full lists of k;
    # the lab also asks for 0.0 without relevant items, and pads a short list with an id that
    # is never relevant (an empty slot is a wasted slot).
    top = [int(item) for item in list(recommended)[:k]]
    wanted = {int(item) for item in np.asarray(list(relevant)).ravel()}
    if not wanted:
        return 0.0
    filler = max(top + sorted(wanted)) + 1
    relevant_row = np.zeros((1, filler + 1), dtype=bool)
    relevant_row[0, sorted(wanted)] = True
    lists = np.array([top + [filler] * (k - len(top))])
    return float(accuracy(lists, relevant_row, k)[f"precision@{k}"])
