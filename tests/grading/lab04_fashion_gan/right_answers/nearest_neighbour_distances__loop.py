# Correct: one sample at a time (memory-light), Euclidean norm of the differences.
def nearest_neighbour_distances(samples, train):
    b = np.asarray(train, dtype=np.float64).reshape(len(train), -1)
    distances, indices = [], []
    for row in np.asarray(samples, dtype=np.float64).reshape(len(samples), -1):
        d = np.linalg.norm(b - row, axis=1)
        k = int(np.argmin(d))
        distances.append(d[k])
        indices.append(k)
    return np.array(distances), np.array(indices)
