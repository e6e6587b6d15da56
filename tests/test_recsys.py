"""Unit tests for creative_ai.recsys (module 01's reusable, non-graded helpers)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from creative_ai import recsys  # noqa: E402


def _events():
    return pd.DataFrame({
        "user_id": [0, 0, 1, 2, 2, 2],
        "track_id": [1, 1, 0, 2, 1, 0],
        "rating": [3, 5, 4, 1, 2, 5],
        "timestamp": pd.to_datetime([f"2025-01-0{d}" for d in (6, 1, 2, 5, 3, 4)], utc=True),
    })


def test_temporal_split_puts_the_past_in_train_and_keeps_every_row():
    train, test = recsys.temporal_split(_events(), test_fraction=0.34)
    assert len(train) + len(test) == 6
    assert train["timestamp"].max() < test["timestamp"].min()
    assert list(train["timestamp"]) == sorted(train["timestamp"])
    assert len(test) == 2


@pytest.mark.parametrize("fraction", [0, 1, 1.5])
def test_temporal_split_rejects_bad_fractions(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        recsys.temporal_split(_events(), test_fraction=fraction)


def test_temporal_split_names_a_missing_column():
    with pytest.raises(ValueError, match="when"):
        recsys.temporal_split(_events(), time_col="when")


def test_interaction_matrix_counts_and_values():
    counts = recsys.interaction_matrix(_events(), 3, 3)
    assert counts.shape == (3, 3)
    assert counts[0, 1] == 2 and counts.sum() == 6
    last = recsys.interaction_matrix(_events(), 3, 3, value_col="rating")
    assert last[2, 0] == 5 and last[1, 0] == 4


def test_interaction_matrix_rejects_out_of_range_ids():
    with pytest.raises(ValueError, match="track_id must lie in 0..1"):
        recsys.interaction_matrix(_events(), 3, 2)


def test_long_tail_plot_annotates_the_head_share():
    ax = recsys.long_tail_plot([1, 1, 1, 1, 96], head_fraction=0.2)
    texts = [t.get_text() for t in ax.texts] + [c.get_text() for twin in ax.figure.axes for c in twin.texts]
    assert any("96%" in t for t in texts), texts
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("counts", [[], [[1, 2]], [-1, 3], [0, 0]])
def test_long_tail_plot_rejects_bad_counts(counts):
    with pytest.raises(ValueError):
        recsys.long_tail_plot(counts)


def test_tradeoff_plot_labels_points():
    ax = recsys.tradeoff_plot([0.1, 0.2], [0.5, 0.4], ["a", "b"], title="t")
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    with pytest.raises(ValueError, match="labels"):
        recsys.tradeoff_plot([0.1, 0.2], [0.5, 0.4], ["a"])


def test_recommendation_table_keeps_order_and_joins_artists():
    tracks = pd.DataFrame({"track_id": [0, 1, 2], "title": ["A", "B", "C"], "artist_id": [0, 1, 0],
                           "genre": ["pop", "rock", "pop"]})
    artists = pd.DataFrame({"artist_id": [0, 1], "name": ["X", "Y"], "group": ["independent", "major-label"]})
    table = recsys.recommendation_table([2, 1], tracks, artists, scores=[0.9, 0.5])
    assert list(table["title"]) == ["C", "B"] and list(table["artist"]) == ["X", "Y"]
    assert list(table.index) == [1, 2] and list(table["score"]) == [0.9, 0.5]
    with pytest.raises(ValueError, match="unknown track ids"):
        recsys.recommendation_table([7], tracks)


def test_listener_widget_calls_the_function_once_headless():
    calls = []

    def show(user, k, diversity):
        calls.append((user, k, diversity))
        return None

    widget = recsys.listener_widget(show, [3, 5], default_user=5, k=(5, 20, 5))
    assert calls[0] == (5, 10, 0.0)
    assert widget is not None
    with pytest.raises(ValueError, match="default_user"):
        recsys.listener_widget(show, [3, 5], default_user=4)


# ------------------------------------------------------------------ labels that do not collide


def _text_boxes(ax):
    from matplotlib.text import Text

    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    return [Text.get_window_extent(t, renderer) for t in ax.texts]  # the text alone, no leader line


def test_tradeoff_plot_labels_never_overlap_even_when_points_crowd():
    # the lesson's re-ranking curve: six points within 0.1 of each other on a 0-0.25 axis
    x = [0.788, 0.813, 0.830, 0.851, 0.872, 0.880]
    y = [0.207, 0.206, 0.207, 0.206, 0.204, 0.201]
    ax = recsys.tradeoff_plot(x, y, [f"penalty {p}" for p in (0.0, 0.05, 0.1, 0.2, 0.4, 1.0)], ylim=(0, 0.25))
    assert ax.get_ylim() == (0, 0.25)
    boxes = _text_boxes(ax)
    assert len(boxes) == 6
    clashes = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and a.overlaps(b)]
    assert not clashes, f"labels {clashes} overlap"


def test_place_point_labels_keeps_labels_off_the_points():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(4, 3))
    x, y = [0.0, 0.01, 0.02, 1.0], [0.0, 0.0, 0.01, 1.0]
    ax.plot(x, y, "o")
    recsys.place_point_labels(ax, x, y, ["a", "b", "c", "d"])
    points = ax.transData.transform(list(zip(x, y, strict=True)))
    for box in _text_boxes(ax):
        assert not any(box.contains(px, py) for px, py in points)


# ------------------------------------------------------------------ ratings and ALS


def _ratings_frame():
    return pd.DataFrame({"user_id": [0, 1, 1, 2], "track_id": [2, 0, 1, 2], "rating": [4, 3, 5, 1],
                         "timestamp": pd.to_datetime(["2025-01-01"] * 4, utc=True)})


def test_rating_triples_keeps_row_order_and_names_missing_columns():
    triples = recsys.rating_triples(_ratings_frame())
    assert triples.dtype == float and triples.tolist() == [[0, 2, 4], [1, 0, 3], [1, 1, 5], [2, 2, 1]]
    with pytest.raises(ValueError, match="missing"):
        recsys.rating_triples(_ratings_frame().drop(columns="rating"))


def _damped_biases_by_hand(triples, n_users, n_items, reg, sweeps):
    """Alternating damped means written with plain loops (the reference for n_factors=0)."""
    mu = sum(r for _, _, r in triples) / len(triples)
    b_user, b_item = [0.0] * n_users, [0.0] * n_items
    for _ in range(sweeps):
        for u in range(n_users):
            residuals = [r - mu - b_item[int(i)] for uu, i, r in triples if int(uu) == u]
            b_user[u] = sum(residuals) / (len(residuals) + reg)
        for i in range(n_items):
            residuals = [r - mu - b_user[int(u)] for u, ii, r in triples if int(ii) == i]
            b_item[i] = sum(residuals) / (len(residuals) + reg)
    return mu, np.array(b_user), np.array(b_item)


def test_fit_als_without_factors_is_the_damped_bias_baseline():
    rng = np.random.default_rng(3)
    triples = np.c_[rng.integers(0, 7, 60), rng.integers(0, 5, 60), rng.integers(1, 6, 60)].astype(float)
    model = recsys.fit_als(triples, 8, 5, n_factors=0, reg=2.5, iterations=4)   # user 7 has no ratings
    mu, b_user, b_item = _damped_biases_by_hand(triples.tolist(), 8, 5, reg=2.5, sweeps=4)
    assert model.mu == pytest.approx(mu)
    np.testing.assert_allclose(model.user_bias, b_user, atol=1e-12)
    np.testing.assert_allclose(model.item_bias, b_item, atol=1e-12)
    assert model.user_bias[7] == 0.0 and model.predict([7], [0])[0] == pytest.approx(mu + b_item[0])


def test_fit_als_ends_at_the_ridge_optimum_of_its_last_half_step():
    """After the final item step, each item's [q_i, b_i] solves its ridge regression exactly."""
    rng = np.random.default_rng(4)
    triples = np.c_[rng.integers(0, 30, 400), rng.integers(0, 12, 400), rng.normal(3, 1, 400)]
    reg, model = 1.5, recsys.fit_als(triples, 30, 12, n_factors=3, reg=1.5, iterations=3, seed=1)
    u, i, r = triples[:, 0].astype(int), triples[:, 1].astype(int), triples[:, 2]
    for item in range(12):
        rows = i == item
        X = np.c_[model.user_factors[u[rows]], np.ones(rows.sum())]
        y = r[rows] - model.mu - model.user_bias[u[rows]]
        theta = np.r_[model.item_factors[item], model.item_bias[item]]
        gradient = X.T @ (X @ theta - y) + reg * theta      # of 1/2 |X theta - y|^2 + reg/2 |theta|^2
        np.testing.assert_allclose(gradient, 0.0, atol=1e-9)


def test_fit_als_recovers_a_low_rank_rating_matrix():
    rng = np.random.default_rng(5)
    P, Q = rng.normal(size=(60, 2)), rng.normal(size=(40, 2))
    full = 3.0 + P @ Q.T
    u, i = np.divmod(rng.permutation(60 * 40)[:1800], 40)
    triples = np.c_[u, i, full[u, i]]
    model = recsys.fit_als(triples[:1500], 60, 40, n_factors=2, reg=0.01, iterations=30)
    held_out = triples[1500:]
    error = recsys.rmse(model.predict(held_out[:, 0], held_out[:, 1]), held_out[:, 2])
    spread = held_out[:, 2].std()
    assert error < 0.05 * spread, f"held-out RMSE {error:.3f} for ratings of spread {spread:.2f}"


@pytest.mark.parametrize(
    "triples, kwargs, message",
    [
        (np.zeros((3, 2)), {}, r"shape \(N, 3\)"),
        (np.array([[0, 5, 3.0]]), {}, r"item ids must be whole numbers in 0..3"),
        (np.array([[0.5, 0, 3.0]]), {}, "user ids must be whole numbers"),
        (np.array([[0, 0, np.nan]]), {}, "NaN"),
        (np.array([[0, 0, 3.0]]), {"reg": 0}, "reg must be positive"),
        (np.array([[0, 0, 3.0]]), {"n_factors": -1}, "n_factors"),
        (np.zeros((0, 3)), {}, "at least one rating"),
    ],
)
def test_fit_als_rejects_bad_input(triples, kwargs, message):
    with pytest.raises(ValueError, match=message):
        recsys.fit_als(triples, 2, 4, **kwargs)


def test_rating_model_and_rmse_check_their_input():
    model = recsys.fit_als(np.array([[0, 0, 4.0], [1, 1, 2.0]]), 2, 2, n_factors=1)
    with pytest.raises(ValueError, match="as many users as items"):
        model.predict([0, 1], [0])
    with pytest.raises(ValueError, match=r"item ids must lie in 0..1"):
        model.predict([0], [2])
    assert recsys.rmse([1, 2, 3], [1, 2, 5]) == pytest.approx(np.sqrt(4 / 3))
    with pytest.raises(ValueError, match="same length"):
        recsys.rmse([1, 2], [1])


# ----------------------------------------------------------------------------- top-k recommenders on plays


def test_item_similarity_is_column_cosine_with_a_zero_diagonal():
    plays = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 2.0, 0.0]])
    similarity = recsys.item_similarity(plays)
    for a in range(4):
        for b in range(4):
            x, y = plays[:, a], plays[:, b]
            norm = np.linalg.norm(x) * np.linalg.norm(y)
            expected = 0.0 if a == b or norm == 0 else float(x @ y) / norm
            assert similarity[a, b] == pytest.approx(expected)
    with pytest.raises(ValueError, match="2-D"):
        recsys.item_similarity(np.ones(3))


def test_top_k_lists_skips_seen_items_and_breaks_ties_by_index():
    scores = np.array([[0.5, 0.9, 0.9, 0.1, 0.7], [1.0, 1.0, 1.0, 1.0, 1.0]])
    seen = np.array([[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]])
    np.testing.assert_array_equal(recsys.top_k_lists(scores, seen, 3), [[2, 4, 0], [1, 2, 3]])
    with pytest.raises(ValueError, match="same shape"):
        recsys.top_k_lists(scores, seen[:, :3], 2)
    with pytest.raises(ValueError, match="k must be"):
        recsys.top_k_lists(scores, seen, 0)


def test_implicit_recommender_scores_match_their_definitions():
    rng = np.random.default_rng(3)
    played = (rng.random((30, 12)) < 0.3).astype(float)
    seen = played[:5]
    scores = recsys.implicit_recommender_scores(played, seen, n_factors=3)
    assert list(scores) == ["popularity", "item-item CF", "PureSVD"]
    np.testing.assert_allclose(scores["popularity"][2], played.sum(axis=0))
    # item-item: listener 0's score for track j sums the cosine of j with each track they played
    def cos(a, b):
        return a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) if np.linalg.norm(a) * np.linalg.norm(b) else 0.0
    expected = [sum(cos(played[:, j], played[:, i]) for i in np.flatnonzero(seen[0]) if i != j) for j in range(12)]
    np.testing.assert_allclose(scores["item-item CF"][0], expected, atol=1e-12)
    # PureSVD: the projection onto the top 3 right singular vectors of the play matrix
    _, _, vt = np.linalg.svd(played, full_matrices=False)
    np.testing.assert_allclose(scores["PureSVD"], seen @ vt[:3].T @ vt[:3], atol=1e-8)
    with pytest.raises(ValueError, match="n_factors"):
        recsys.implicit_recommender_scores(played, seen, n_factors=12)
