# Correct: float32 arithmetic (about 7 significant digits), which the task allows.
def position_exposure(k):
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    ranks = np.arange(1, k + 1, dtype=np.float32)
    return (np.float32(1) / np.log2(np.float32(1) + ranks)).astype(np.float32)
