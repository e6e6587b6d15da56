# Mistake: swaps the two weights, so t = 0 gives z1 and t = 1 gives z0.
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    omega = np.arccos(np.clip(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1, 1))
    if np.sin(omega) < 1e-6:
        return t * z0 + (1 - t) * z1
    return (np.sin(t * omega) * z0 + np.sin((1 - t) * omega) * z1) / np.sin(omega)
