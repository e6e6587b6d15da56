# Mistake: the noise is right, but epsilon = 0 divides by zero (ZeroDivisionError) and a bad sensitivity is not refused.
# loses: test_laplace_count__errors
def laplace_count(true_count, epsilon, rng, sensitivity):
    counts = np.asarray(true_count, dtype=float)
    noisy = counts + rng.laplace(loc=0.0, scale=sensitivity / epsilon, size=counts.shape)
    return float(noisy) if noisy.ndim == 0 else noisy
