# Correct: inverse-CDF sampling of the Laplace distribution from rng's uniform numbers.
def laplace_count(true_count, epsilon, rng):
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    counts = np.asarray(true_count, dtype=float)
    u = rng.random(counts.shape) - 0.5
    noise = -(1 / epsilon) * np.sign(u) * np.log1p(-2 * np.abs(u))
    result = counts + noise
    return float(result) if result.ndim == 0 else result
