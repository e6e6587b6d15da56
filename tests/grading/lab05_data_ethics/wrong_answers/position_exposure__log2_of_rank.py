# Mistake: 1/log2(rank) instead of 1/log2(1 + rank), so rank 1 gets an infinite weight.
# loses: test_position_exposure
def position_exposure(k):
    if k < 0:
        raise ValueError("k must be >= 0")
    ranks = np.arange(1, k + 1)
    return 1.0 / np.log2(ranks)
