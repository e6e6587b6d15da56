# Mistake: draws from np.random (the global generator), not from rng, so a seed does not reproduce a release.
def laplace_count(true_count, epsilon, rng):
    if epsilon <= 0:
        raise ValueError("epsilon must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + np.random.laplace(0.0, 1.0 / epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
