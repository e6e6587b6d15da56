# Mistake: no clipping of round-off before the square root: exact copies can give NaN (float32 inputs).
def nearest_neighbour_distances(samples, train):
    a = np.asarray(samples).reshape(len(samples), -1)
    b = np.asarray(train).reshape(len(train), -1)
    distances = np.sqrt((a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T)
    indices = np.argmin(distances, axis=1)
    return distances[np.arange(len(a)), indices], indices
