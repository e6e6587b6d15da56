# Mistake: divides squared distances (no square root), which squares the ratio the task defines.
# loses: test_relative_distances
def relative_distances(samples, train, k=5):
    if k < 1 or len(train) < k + 1:
        raise ValueError("need k >= 1 and at least k + 1 training rows")
    a = np.asarray(samples, dtype=float).reshape(len(samples), -1)
    b = np.asarray(train, dtype=float).reshape(len(train), -1)
    sq = np.maximum((a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T, 0)
    d = np.sort(sq, axis=1)[:, :k + 1]
    return d[:, 0] / d[:, 1:].mean(axis=1)
