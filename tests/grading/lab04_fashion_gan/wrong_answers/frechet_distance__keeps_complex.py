# Mistake: keeps the complex result of sqrtm, so nearly singular covariances give a complex "distance".
def frechet_distance(mu1, sigma1, mu2, sigma2):
    from scipy.linalg import sqrtm
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, dtype=float)), np.atleast_1d(np.asarray(mu2, dtype=float))
    sigma1, sigma2 = np.atleast_2d(sigma1), np.atleast_2d(sigma2)
    covmean = sqrtm(sigma1 @ sigma2)
    return np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)
