# Mistake: no fallback for (nearly) parallel vectors: 0/0 gives NaN.
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    omega = np.arccos(np.clip(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1, 1))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
