# Mistake: counts ranks from 0, so the weights are shifted by one place (and the first is infinite).
# loses: test_position_exposure
def position_exposure(k):
    if k < 0:
        raise ValueError("k must be >= 0")
    ranks = np.arange(k)
    with np.errstate(divide="ignore"):
        return 1.0 / np.log2(1.0 + ranks)
