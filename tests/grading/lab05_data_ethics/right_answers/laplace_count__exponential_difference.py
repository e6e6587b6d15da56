# Correct: the difference of two exponential draws of mean sensitivity/epsilon is Laplace of scale sensitivity/epsilon.
def laplace_count(true_count, epsilon, rng, sensitivity):
    if not epsilon > 0 or not sensitivity > 0:
        raise ValueError("epsilon and sensitivity must be > 0")
    shape = np.shape(true_count)
    noise = rng.exponential(sensitivity / epsilon, size=shape) - rng.exponential(sensitivity / epsilon, size=shape)
    if shape == ():
        return float(true_count) + float(noise)
    return np.asarray(true_count, dtype=float) + noise
