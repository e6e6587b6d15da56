# Correct: a loop over t with its own great-circle formula, stacked into rows.
def interpolate_latents(z0, z1, n, method="spherical"):
    if n < 2:
        raise ValueError("n must be at least 2")
    if method not in {"linear", "spherical"}:
        raise ValueError(f"unknown method {method}")
    z0, z1 = np.asarray(z0, dtype=float), np.asarray(z1, dtype=float)
    rows = []
    for k in range(n):
        t = k / (n - 1)
        if method == "linear":
            rows.append((1 - t) * z0 + t * z1)
            continue
        cos = np.clip(np.dot(z0, z1) / np.sqrt(np.dot(z0, z0) * np.dot(z1, z1)), -1, 1)
        omega = np.arccos(cos)
        s = np.sin(omega)
        rows.append((1 - t) * z0 + t * z1 if s < 1e-8 else (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / s)
    return np.stack(rows)
