# Correct: lesson 01's own top_k_lists (vectorised over listeners), applied to one listener.
# From lesson: lessons/01_recommendation.ipynb
import numpy as np


def top_k_lists(scores, seen, k):
    masked = np.where(seen > 0, -np.inf, scores)            # never recommend what was played
    return np.argsort(-masked, axis=1, kind="stable")[:, :k]


def top_k_unseen(scores, seen, k):
    # Adapter: one listener as a one-row matrix. The lesson always has more than k unseen
    # tracks; the lab also asks for fewer than k when fewer are unseen, hence the min.
    scores = np.asarray(scores, dtype=float)
    seen_mask = np.zeros(len(scores))
    seen_mask[np.asarray(list(seen), dtype=int)] = 1
    return top_k_lists(scores[None, :], seen_mask[None, :], min(k, int((seen_mask == 0).sum())))[0]
