# Correct: vectorised mini-batch SGD (batches of 64 with np.add.at) and a learner's own model class.
class BiasedMF:
    """mu + b_u + b_i + p_u . q_i, with its own predict method."""

    def __init__(self, mu, user_bias, item_bias, P, Q):
        self.mu, self.user_bias, self.item_bias, self.P, self.Q = mu, user_bias, item_bias, P, Q

    def predict(self, users, items):
        users = np.asarray(users).astype(int)
        items = np.asarray(items).astype(int)
        return (self.mu + self.user_bias[users] + self.item_bias[items]
                + np.einsum("nf,nf->n", self.P[users], self.Q[items]))


def train_matrix_factorization(ratings, n_users, n_items, n_factors=20, lr=0.01, reg=0.05,
                               epochs=20, seed=0):
    ratings = np.asarray(ratings, dtype=float)
    u_all, i_all, r_all = ratings[:, 0].astype(int), ratings[:, 1].astype(int), ratings[:, 2]
    rng = np.random.default_rng(seed)
    mu = r_all.mean()
    bu, bi = np.zeros(n_users), np.zeros(n_items)
    P = rng.normal(0, 0.1, (n_users, n_factors))
    Q = rng.normal(0, 0.1, (n_items, n_factors))
    batch = 64
    for _ in range(epochs):
        order = rng.permutation(len(r_all))
        for start in range(0, len(order), batch):
            j = order[start:start + batch]
            u, i = u_all[j], i_all[j]
            e = r_all[j] - (mu + bu[u] + bi[i] + np.sum(P[u] * Q[i], axis=1))
            step_p = lr * (e[:, None] * Q[i] - reg * P[u])
            step_q = lr * (e[:, None] * P[u] - reg * Q[i])
            np.add.at(bu, u, lr * (e - reg * bu[u]))
            np.add.at(bi, i, lr * (e - reg * bi[i]))
            np.add.at(P, u, step_p)
            np.add.at(Q, i, step_q)
    return BiasedMF(mu, bu, bi, P, Q)
