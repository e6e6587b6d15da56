# Correct: the difference of two exponential draws of mean 1/epsilon is Laplace of scale 1/epsilon.
def laplace_count(true_count, epsilon, rng):
    if not epsilon > 0:
        raise ValueError("epsilon must be > 0")
    shape = np.shape(true_count)
    noise = rng.exponential(1 / epsilon, size=shape) - rng.exponential(1 / epsilon, size=shape)
    if shape == ():
        return float(true_count) + float(noise)
    return np.asarray(true_count, dtype=float) + noise
