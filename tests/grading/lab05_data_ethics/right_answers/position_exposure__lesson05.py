# Correct: lesson 05's own rank_weights (step 2), with the task's check for a negative k.
# From lesson: lessons/05_data_ethics.ipynb
import numpy as np


def rank_weights(k):
    """Exposure weight 1/log2(1 + rank) of ranks 1..k."""
    return 1 / np.log2(np.arange(2, k + 2))


def position_exposure(k):
    # Adapter: the lesson never asks for a negative k; the lab asks for a ValueError.
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    return rank_weights(k)
