# Mistake: draws from np.random (the global generator), not from rng, so a seed does not reproduce a release.
# loses: test_laplace_count__rng
def laplace_count(true_count, epsilon, rng, sensitivity):
    if epsilon <= 0 or sensitivity <= 0:
        raise ValueError("epsilon and sensitivity must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + np.random.laplace(0.0, sensitivity / epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
