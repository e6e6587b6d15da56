# Correct: scikit-learn's cosine_similarity, which maps all-zero rows to zero similarity.
def cosine_similarity_matrix(X):
    from sklearn.metrics.pairwise import cosine_similarity
    return cosine_similarity(np.asarray(X, dtype=float))
