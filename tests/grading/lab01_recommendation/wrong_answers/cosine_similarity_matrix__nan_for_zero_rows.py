# Mistake: divides by the norms without guarding against zero, so all-zero rows give NaN.
def cosine_similarity_matrix(X):
    """Pairwise cosine similarity of the rows of X, shape (n, n); all-zero rows give 0."""
    X = np.asarray(X, dtype=float)
    norms = np.linalg.norm(X, axis=1)
    unit = X / norms[:, None]
    return unit @ unit.T
