# Mistake: noise of scale 1/epsilon whatever the sensitivity (one play treated as one person).
# loses: test_laplace_count
def laplace_count(true_count, epsilon, rng, sensitivity):
    if epsilon <= 0 or sensitivity <= 0:
        raise ValueError("epsilon and sensitivity must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + rng.laplace(0.0, 1.0 / epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
