# Correct: inverse-CDF sampling of the Laplace distribution from rng's uniform numbers.
def laplace_count(true_count, epsilon, rng, sensitivity):
    if not (epsilon > 0 and sensitivity > 0):
        raise ValueError("epsilon and sensitivity must be positive")
    counts = np.asarray(true_count, dtype=float)
    u = rng.random(counts.shape) - 0.5
    noise = -(sensitivity / epsilon) * np.sign(u) * np.log1p(-2 * np.abs(u))
    result = counts + noise
    return float(result) if result.ndim == 0 else result
