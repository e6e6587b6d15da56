# Mistake: the weights are right, but a negative k returns an empty array instead of raising ValueError.
# loses: test_position_exposure__errors
def position_exposure(k):
    return 1 / np.log2(np.arange(2, k + 2))
