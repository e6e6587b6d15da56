# Correct: lesson 05's laplace_release (step 8), with the task's errors and a float for a number.
# From lesson: lessons/05_data_ethics.ipynb
import numpy as np


def laplace_release(counts, sensitivity, epsilon, rng):
    """counts plus Laplace noise of scale sensitivity / epsilon, one independent draw per count."""
    return counts + rng.laplace(loc=0.0, scale=sensitivity / epsilon, size=np.shape(counts))


def laplace_count(true_count, epsilon, rng, sensitivity):
    # Adapter: the lab's argument order, its errors, and a float (not a 0-d array) for a number.
    if not (epsilon > 0 and sensitivity > 0):
        raise ValueError("epsilon and sensitivity must be > 0")
    released = laplace_release(np.asarray(true_count, dtype=float), sensitivity, epsilon, rng)
    return float(released) if np.ndim(released) == 0 else released
