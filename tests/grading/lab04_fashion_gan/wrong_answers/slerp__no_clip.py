# Mistake: no np.clip before np.arccos: for parallel vectors round-off can give a cosine of 1.0000000000000002, and arccos of it is NaN.
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    r0, r1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if r0 == 0 or r1 == 0:
        raise ValueError("zero vector")
    omega = np.arccos(z0 @ z1 / (r0 * r1))
    if omega > np.pi - 1e-6:
        raise ValueError("opposite vectors")
    if omega < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
