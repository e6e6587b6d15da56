# Mistake: interpolates the directions only and returns a unit vector, losing the vectors' lengths.
def slerp(z0, z1, t):
    u0 = np.asarray(z0, dtype=float) / np.linalg.norm(z0)
    u1 = np.asarray(z1, dtype=float) / np.linalg.norm(z1)
    omega = np.arccos(np.clip(u0 @ u1, -1, 1))
    if np.sin(omega) < 1e-6:
        v = (1 - t) * u0 + t * u1
        return v / np.linalg.norm(v)
    return (np.sin((1 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
