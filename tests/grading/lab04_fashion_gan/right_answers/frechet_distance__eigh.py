# Correct: the trace term from a symmetric eigendecomposition, without sqrtm.
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, dtype=float)), np.atleast_1d(np.asarray(mu2, dtype=float))
    s1, s2 = np.atleast_2d(np.asarray(sigma1, dtype=float)), np.atleast_2d(np.asarray(sigma2, dtype=float))
    w, v = np.linalg.eigh((s1 + s1.T) / 2)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    inner = root @ s2 @ root
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * trace_root)
