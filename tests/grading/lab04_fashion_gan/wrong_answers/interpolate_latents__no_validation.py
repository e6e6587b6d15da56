# Mistake: an unknown method silently falls back to spherical instead of raising a ValueError.
# loses: test_interpolate_latents__validation
def interpolate_latents(z0, z1, n, method="spherical"):
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    t = np.linspace(0.0, 1.0, n)[:, None]
    if method == "linear":
        return (1 - t) * z0 + t * z1
    omega = np.arccos(np.clip(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1, 1))
    if np.sin(omega) < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
