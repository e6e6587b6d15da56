# Mistake: Gaussian noise with standard deviation 1/epsilon instead of Laplace noise.
def laplace_count(true_count, epsilon, rng):
    if epsilon <= 0:
        raise ValueError("epsilon must be > 0")
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + rng.normal(0.0, 1.0 / epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
