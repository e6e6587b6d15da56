# Correct: the angle from 2 atan2(|u0 - u1|, |u0 + u1|), which needs no clipping and stays accurate near 0 and pi.
# Variant of the model solution: only the angle differs, so a similarity flag against the solution is expected.
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    r0, r1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if r0 == 0 or r1 == 0:
        raise ValueError("slerp is undefined for a zero vector")
    u0, u1 = z0 / r0, z1 / r1
    omega = 2 * np.arctan2(np.linalg.norm(u0 - u1), np.linalg.norm(u0 + u1))
    if omega > np.pi - 1e-6:
        raise ValueError("opposite vectors have no unique great circle")
    if omega < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
