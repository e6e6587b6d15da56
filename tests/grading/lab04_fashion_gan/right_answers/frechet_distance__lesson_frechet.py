# Correct: lesson 04's frechet, which always adds 1e-6 I to both covariances, fed features with exactly the given means and covariances.
# From lesson: lessons/04_fashion_gans.ipynb
def frechet(features_a, features_b, eps=1e-6):
    # squared Frechet distance between Gaussians fitted to two feature sets (step 6 explains it)
    mu_a, mu_b = features_a.mean(0), features_b.mean(0)
    cov_a, cov_b = np.cov(features_a, rowvar=False), np.cov(features_b, rowvar=False)
    offset = eps * np.eye(len(mu_a))                 # keeps nearly singular covariances usable
    root = sqrtm((cov_a + offset) @ (cov_b + offset)).real
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(root))


def _features_with(mu, sigma):
    # d + 1 points whose mean is mu and whose covariance (np.cov, ddof 1) is sigma: an orthonormal
    # basis orthogonal to the all-ones vector, scaled, then coloured by a square root of sigma
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    d = len(mu)
    basis = np.linalg.qr(np.column_stack([np.ones(d + 1), np.eye(d + 1, d)]))[0][:, 1:]
    w, v = np.linalg.eigh((sigma + sigma.T) / 2)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    return np.sqrt(d) * basis @ root + mu


def frechet_distance(mu1, sigma1, mu2, sigma2):
    from scipy.linalg import sqrtm  # noqa: F401 (used by the lesson's frechet)
    globals()["sqrtm"] = sqrtm
    a, b = _features_with(mu1, sigma1), _features_with(mu2, sigma2)
    if a.shape[1] == 1:  # np.cov of one feature is a scalar, which the lesson's frechet never meets:
        # add a constant feature, equal in both sets (it adds nothing but the -2e-6 of its regulariser)
        a, b = np.column_stack([a, np.zeros(len(a))]), np.column_stack([b, np.zeros(len(b))])
    return frechet(a, b)
