# Correct: lesson 05's own weights (step 2), with the task's check for a negative k.
def position_exposure(k):
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    # lesson code: lessons/05_data_ethics.ipynb, cell step2_weights
    weights = 1 / np.log2(np.arange(2, k + 2))
    # end of lesson code
    return weights
