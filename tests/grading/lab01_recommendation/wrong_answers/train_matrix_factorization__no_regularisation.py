# Mistake: ignores reg, so the factors are free to memorise the training ratings.
# loses: test_train_matrix_factorization
class MFModel:
    """A trained biased matrix factorisation: r_hat(u, i) = mu + b_u + b_i + p_u . q_i."""

    def __init__(self, mu, user_bias, item_bias, user_factors, item_factors):
        self.mu = float(mu)
        self.user_bias = np.asarray(user_bias, dtype=float)        # (n_users,)
        self.item_bias = np.asarray(item_bias, dtype=float)        # (n_items,)
        self.user_factors = np.asarray(user_factors, dtype=float)  # (n_users, n_factors)
        self.item_factors = np.asarray(item_factors, dtype=float)  # (n_items, n_factors)

    def predict(self, users, items):
        """Predicted ratings for the pairs (users[j], items[j]), shape (len(users),)."""
        users = np.asarray(users).astype(int)
        items = np.asarray(items).astype(int)
        return (self.mu + self.user_bias[users] + self.item_bias[items]
                + np.sum(self.user_factors[users] * self.item_factors[items], axis=1))


def train_matrix_factorization(ratings, n_users, n_items, n_factors=20, lr=0.01, reg=0.05,
                               epochs=20, seed=0):
    """Biased matrix factorisation trained by SGD on (user, item, rating) triples."""
    ratings = np.asarray(ratings, dtype=float)
    users = ratings[:, 0].astype(int)
    items = ratings[:, 1].astype(int)
    values = ratings[:, 2]
    rng = np.random.default_rng(seed)
    mu = values.mean()
    user_bias = np.zeros(n_users)
    item_bias = np.zeros(n_items)
    P = rng.normal(0.0, 0.1, size=(n_users, n_factors))
    Q = rng.normal(0.0, 0.1, size=(n_items, n_factors))
    for _ in range(epochs):
        for j in rng.permutation(len(values)):
            u, i = users[j], items[j]
            error = values[j] - (mu + user_bias[u] + item_bias[i] + P[u] @ Q[i])
            user_bias[u] += lr * (error)
            item_bias[i] += lr * (error)
            p_old = P[u].copy()
            P[u] += lr * (error * Q[i])
            Q[i] += lr * (error * p_old)
    return MFModel(mu, user_bias, item_bias, P, Q)
