# Mistake: noise of scale epsilon instead of 1/epsilon (more privacy would mean less noise).
def laplace_count(true_count, epsilon, rng):
    if epsilon <= 0:
        raise ValueError("epsilon must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + rng.laplace(0.0, epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
