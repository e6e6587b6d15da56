# Mistake: ignores method and always returns the straight line.
def interpolate_latents(z0, z1, n, method="spherical"):
    if n < 2:
        raise ValueError("n must be at least 2")
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) * np.asarray(z0, dtype=float) + t * np.asarray(z1, dtype=float)
