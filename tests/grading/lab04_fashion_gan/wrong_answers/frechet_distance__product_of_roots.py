# Mistake: sqrtm(sigma1) @ sqrtm(sigma2) instead of sqrtm(sigma1 @ sigma2) (equal only if the matrices commute).
def frechet_distance(mu1, sigma1, mu2, sigma2):
    from scipy.linalg import sqrtm
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, dtype=float)), np.atleast_1d(np.asarray(mu2, dtype=float))
    sigma1, sigma2 = np.atleast_2d(sigma1), np.atleast_2d(sigma2)
    covmean = np.real(sqrtm(sigma1) @ sqrtm(sigma2))
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))
