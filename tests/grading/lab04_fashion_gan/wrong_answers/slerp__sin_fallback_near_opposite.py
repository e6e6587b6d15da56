# Mistake: tests sin(omega) < 1e-6 only, so nearly opposite vectors silently get the straight line through the origin instead of a ValueError.
# loses: test_slerp__validation
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    omega = np.arccos(np.clip(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
