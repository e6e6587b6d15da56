# Correct: SciPy's cdist in float64 and a full sort of each row; validation first.
def relative_distances(samples, train, k=5):
    from scipy.spatial.distance import cdist
    if k < 1:
        raise ValueError("k must be at least 1")
    if len(train) <= k:
        raise ValueError("train needs at least k + 1 rows")
    d = np.sort(cdist(np.reshape(samples, (len(samples), -1)).astype(float),
                      np.reshape(train, (len(train), -1)).astype(float)), axis=1)
    return d[:, 0] / np.mean(d[:, 1:k + 1], axis=1)
