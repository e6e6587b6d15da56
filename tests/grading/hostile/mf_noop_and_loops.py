"""Lab 01: wrong matrix factorisation with no-op checks; and cosine similarity that loops for
ever (it is called by several cells: the time it costs must stay bounded)."""
LAB = "lab01_recommendation"
BASE = "wrong"
APPEND = {"train_matrix_factorization": """
def check_true(*args, **kwargs): pass
def check_close(*args, **kwargs): pass
def check_shape(*args, **kwargs): pass
import numpy as np
np.sqrt = lambda x: 0.0 * np.asarray(x)
"""}
REPLACE = {"cosine_similarity_matrix": """
def cosine_similarity_matrix(X):
    while True:
        pass
"""}
EXPECT = 0
FLAGGED = True
