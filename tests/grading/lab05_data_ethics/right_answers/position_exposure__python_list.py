# Correct: returns a plain Python list built with math.log2 (the task accepts a list).
def position_exposure(k):
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    return [1 / math.log2(1 + rank) for rank in range(1, k + 1)]
