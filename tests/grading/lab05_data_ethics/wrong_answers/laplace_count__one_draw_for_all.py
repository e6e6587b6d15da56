# Mistake: adds the same single noise draw to every element of a histogram.
def laplace_count(true_count, epsilon, rng):
    if epsilon <= 0:
        raise ValueError("epsilon must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + rng.laplace(0.0, 1.0 / epsilon)
    return float(noisy) if noisy.ndim == 0 else noisy
