# Mistake: takes the angle from the raw dot product, without normalising the vectors.
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    omega = np.arccos(np.clip(z0 @ z1, -1, 1))
    if np.sin(omega) < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
