# Mistake: slerps the directions and interpolates the length linearly (lesson 04's path), not White's formula the task asks for: differs when the lengths differ.
# loses: test_slerp
def slerp(z0, z1, t):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    r0, r1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if r0 == 0 or r1 == 0:
        raise ValueError("zero vector")
    u0, u1 = z0 / r0, z1 / r1
    omega = np.arccos(np.clip(u0 @ u1, -1.0, 1.0))
    if omega > np.pi - 1e-6:
        raise ValueError("opposite vectors")
    if omega < 1e-6:
        return (1 - t) * z0 + t * z1
    direction = (np.sin((1 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
    return direction * ((1 - t) * r0 + t * r1)
