# Mistake: returns raw dot products X @ X.T, forgetting to divide by the row norms.
def cosine_similarity_matrix(X):
    """Pairwise cosine similarity of the rows of X, shape (n, n); all-zero rows give 0."""
    X = np.asarray(X, dtype=float)
    norms = np.linalg.norm(X, axis=1)
    safe = np.where(norms > 0, norms, 1.0)      # avoid 0/0; zero rows stay all-zero
    return X @ X.T
