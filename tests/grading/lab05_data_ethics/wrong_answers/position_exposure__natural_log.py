# Mistake: natural logarithm instead of log2.
# loses: test_position_exposure
def position_exposure(k):
    if k < 0:
        raise ValueError("k must be >= 0")
    return 1.0 / np.log(1.0 + np.arange(1, k + 1))
