"""Unit tests for creative_ai.ethics (module 05 helpers), with independent references."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from creative_ai import ethics

# ----------------------------------------------------------------------------- gini


def _gini_pairs(values):
    # The definition: mean absolute difference over all ordered pairs / (2 * mean).
    x = [float(v) for v in values]
    n = len(x)
    return sum(abs(a - b) for a, b in itertools.product(x, x)) / (2 * n * n * (sum(x) / n))


@pytest.mark.parametrize("seed", range(5))
def test_gini_matches_the_pairwise_definition(seed):
    values = np.random.default_rng(seed).integers(0, 50, size=int(np.random.default_rng(seed).integers(2, 40)))
    values[0] += 1  # a positive total
    assert ethics.gini(values) == pytest.approx(_gini_pairs(values), abs=1e-12)


def test_gini_extremes():
    assert ethics.gini([3, 3, 3, 3]) == pytest.approx(0.0)
    assert ethics.gini([0, 0, 0, 9]) == pytest.approx(3 / 4)


@pytest.mark.parametrize("bad", [[], [1, -1], [0, 0], [1, np.nan]])
def test_gini_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        ethics.gini(bad)


# ----------------------------------------------------------------------------- boost re-ranker


def test_boost_zero_is_the_plain_ranking_and_a_large_boost_puts_protected_first():
    rng = np.random.default_rng(1)
    scores = rng.random((6, 30))
    protected = rng.random(30) < 0.3
    plain = np.argsort(-scores, axis=1, kind="stable")[:, :10]
    np.testing.assert_array_equal(ethics.boost_rerank(scores, protected, 0.0, 10), plain)
    boosted = ethics.boost_rerank(scores, protected, 1.5, 10)
    n_protected = min(int(protected.sum()), 10)
    assert protected[boosted[:, :n_protected]].all()
    for row, picked in zip(scores, boosted, strict=True):  # protected part ordered by score
        part = row[picked[:n_protected]]
        assert (np.diff(part) <= 0).all()


def test_boost_never_shows_excluded_items():
    scores = np.array([[0.9, -np.inf, 0.5, 0.1]])
    picked = ethics.boost_rerank(scores, np.array([False, True, False, False]), 5.0, 3)
    assert 1 not in picked[0]


def test_boost_rerank_errors():
    with pytest.raises(ValueError, match="one flag per item"):
        ethics.boost_rerank(np.zeros((2, 4)), np.zeros(3, bool), 0.1, 2)
    with pytest.raises(ValueError, match="boost"):
        ethics.boost_rerank(np.zeros((2, 4)), np.zeros(4, bool), -0.1, 2)
    with pytest.raises(ValueError, match="k must be"):
        ethics.boost_rerank(np.zeros((2, 4)), np.zeros(4, bool), 0.1, 5)


# ----------------------------------------------------------------------------- listener model and loop


def _tiny_world():
    tracks = pd.DataFrame({"track_id": range(4), "genre": ["rock", "rock", "jazz", "jazz"]})
    events = pd.DataFrame({"user_id": [0, 0, 0, 0, 1, 1, 2], "track_id": [0, 0, 0, 2, 2, 3, 1]})
    ratings = pd.DataFrame({"user_id": [0, 1, 1, 2], "track_id": [0, 2, 3, 1], "rating": [5, 2, 4, 3]})
    return tracks, events, ratings


def test_listener_tastes_use_genre_shares_and_shrunk_ratings_not_play_counts():
    tracks, events, ratings = _tiny_world()
    tastes = ethics.listener_tastes(events, ratings, tracks, n_users=3, rating_shrinkage=2.0, quality_weight=2.0)
    mean = ratings["rating"].mean()
    for track in range(4):  # shrunk mean rating, by a plain loop
        mine = [r for t, r in zip(ratings["track_id"], ratings["rating"], strict=True) if t == track]
        assert tastes.quality[track] == pytest.approx((sum(mine) + 2 * mean) / (len(mine) + 2) - mean)
    # Tracks 0 and 1 share a genre: for every listener they differ only by quality, although
    # listener 0 played track 0 three times and never track 1.
    gap = tastes.utility[:, 0] - tastes.utility[:, 1]
    np.testing.assert_allclose(gap, 2.0 * (tastes.quality[0] - tastes.quality[1]))
    # listener 0 played rock 3 times out of 4: smoothed share (3 + 0.5) / (4 + 1)
    assert tastes.utility[0, 1] - 2 * tastes.quality[1] == pytest.approx(np.log(3.5 / 5))
    np.testing.assert_allclose(tastes.choice.sum(axis=1), 1.0)


def _loop_world(seed=0):
    rng = np.random.default_rng(seed)
    n_users, n_items = 40, 12
    utility = rng.normal(size=(n_users, n_items))
    choice = np.exp(utility) / np.exp(utility).sum(axis=1, keepdims=True)
    tastes = ethics.ListenerTastes(utility=utility, choice=choice, quality=np.zeros(n_items), genres=("a", "b"))
    start = rng.poisson(1.0, size=(n_users, n_items)).astype(float)
    start[:, 0] += 5  # track 0 is the most played
    protected = np.arange(n_items) >= 6
    genre = np.where(np.arange(n_items) % 2 == 0, "a", "b")
    return start, tastes, protected, genre


def test_feedback_loop_popularity_chart_is_one_list_for_everyone():
    start, tastes, protected, genre = _loop_world()
    result = ethics.simulate_feedback_loop(start, tastes, protected, genre, recommender="popularity", weeks=3, k=4)
    assert list(result.index) == [1, 2, 3]
    assert (result["list_overlap"] == 1.0).all() and (result["coverage"] == 4).all()
    # independent check of the exposure column: the chart's tracks are the 4 most played
    chart = np.argsort(-start.sum(axis=0), kind="stable")[:4]
    weights = 1 / np.log2(np.arange(2, 6))
    assert result["protected_exposure"].iloc[0] == pytest.approx((weights * protected[chart]).sum() / weights.sum())


def test_feedback_loop_is_deterministic_and_organic_has_no_lists():
    start, tastes, protected, genre = _loop_world()
    first = ethics.simulate_feedback_loop(start, tastes, protected, genre, weeks=4, k=3, seed=7)
    again = ethics.simulate_feedback_loop(start, tastes, protected, genre, weeks=4, k=3, seed=7)
    pd.testing.assert_frame_equal(first, again)
    organic = ethics.simulate_feedback_loop(start, tastes, protected, genre, recommender="organic", weeks=2, seed=7)
    assert organic["protected_exposure"].isna().all() and (organic["coverage"] == 0).all()
    assert (organic["plays"] > 0).all()
    assert ((first["gini_plays"] >= 0) & (first["gini_plays"] < 1)).all()


def test_feedback_loop_respects_release_weeks():
    start, tastes, protected, genre = _loop_world()
    start[:, 11] = 0.0                                    # track 11 is released in week 3
    release = np.ones(12, dtype=int)
    release[11] = 3
    for recommender in ("popularity", "item-item", "organic"):
        by_week = []
        for weeks in (2, 3):
            run = ethics.simulate_feedback_loop(start, tastes, protected, genre, recommender=recommender, weeks=weeks,
                                                k=4, seed=1, release_week=release)
            by_week.append(run)
        # same seed: the first two weeks agree, and nothing about track 11 can have happened in them
        pd.testing.assert_frame_equal(by_week[0], by_week[1].iloc[:2])
    # a direct check: with only track 11 liked and available late, week 1 never plays it
    utility = np.full((40, 12), -5.0)
    utility[:, 11] = 5.0
    choice = np.exp(utility) / np.exp(utility).sum(axis=1, keepdims=True)
    liking = ethics.ListenerTastes(utility=utility, choice=choice, quality=np.zeros(12), genres=("a", "b"))
    week_one = ethics.simulate_feedback_loop(start, liking, protected, genre, recommender="organic", weeks=1,
                                             release_week=release)
    released = ethics.simulate_feedback_loop(start, liking, protected, genre, recommender="organic", weeks=1)
    assert week_one["protected_plays"].iloc[0] < 0.6 < released["protected_plays"].iloc[0]   # track 11 is protected
    with pytest.raises(ValueError, match="release_week"):
        ethics.simulate_feedback_loop(start, tastes, protected, genre, release_week=np.ones(5, dtype=int))


def test_feedback_loop_errors_are_clear():
    start, tastes, protected, genre = _loop_world()
    with pytest.raises(ValueError, match="recommender must be one of"):
        ethics.simulate_feedback_loop(start, tastes, protected, genre, recommender="magic")
    with pytest.raises(ValueError, match="tastes are for"):
        ethics.simulate_feedback_loop(start[:5], tastes, protected, genre)


def test_feedback_loop_plot_has_titles_and_labels():
    import matplotlib

    matplotlib.use("Agg")
    start, tastes, protected, genre = _loop_world()
    result = ethics.simulate_feedback_loop(start, tastes, protected, genre, weeks=2, k=3)
    fig = ethics.feedback_loop_plot({"item-item": result}, reference={"exposure": 0.5})
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError):
        ethics.feedback_loop_plot({})


# ----------------------------------------------------------------------------- privacy


def test_reidentification_of_unique_and_identical_histories():
    unique = pd.DataFrame({"user_id": [0, 1, 2], "track_id": [10, 11, 12]})
    assert ethics.reidentification_rate(unique, 1) == 1.0
    same = pd.DataFrame({"user_id": [0, 0, 1, 1], "track_id": [1, 2, 1, 2]})
    assert ethics.reidentification_rate(same, 2) == 0.0


def test_reidentification_with_days_and_several_counts():
    stamps = pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-01", "2025-01-03"], utc=True)
    log = pd.DataFrame({"user_id": [0, 0, 1, 1], "track_id": [5, 6, 5, 6], "timestamp": stamps})
    assert ethics.reidentification_rate(log, 2, with_day=False) == 0.0   # same two tracks
    rates = ethics.reidentification_rate(log, [1, 2], with_day=True)
    assert rates.loc[2] == 1.0                                            # different days
    assert list(rates.index) == [1, 2]
    with pytest.raises(ValueError, match="no listener has"):
        ethics.reidentification_rate(log, 5)
    with pytest.raises(ValueError, match="columns"):
        ethics.reidentification_rate(log.drop(columns="timestamp"), 1, with_day=True)


def test_bound_contributions_keeps_at_most_m_distinct_items_per_user():
    rng = np.random.default_rng(4)
    events = pd.DataFrame({"user_id": rng.integers(0, 30, size=600), "track_id": rng.integers(0, 50, size=600)})
    pairs = events.drop_duplicates()
    for m in (1, 3, 10, 100):
        kept = ethics.bound_contributions(events, m, seed=2)
        assert not kept.duplicated().any()
        per_user = kept.groupby("user_id").size()
        distinct = pairs.groupby("user_id").size()
        assert (per_user == np.minimum(distinct, m)).all()      # at most m, and nothing dropped below m
        assert set(map(tuple, kept.to_numpy())) <= set(map(tuple, pairs.to_numpy()))
        # one user changes the "users per track" histogram by at most m in total
        counts_with = kept["track_id"].value_counts()
        counts_without = kept[kept["user_id"] != 0]["track_id"].value_counts()
        assert counts_with.sub(counts_without, fill_value=0).abs().sum() <= m
    pd.testing.assert_frame_equal(ethics.bound_contributions(events, 3, seed=2), ethics.bound_contributions(events, 3, seed=2))
    with pytest.raises(ValueError, match="max_items"):
        ethics.bound_contributions(events, 0)


def test_clustered_bootstrap_rates():
    # every cluster has the same rate: every resample has it too
    num, den = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]), np.array([[4.0, 4.0], [8.0, 8.0], [12.0, 12.0]])
    low, high = ethics.clustered_bootstrap_rates(num, den, n_boot=50)
    np.testing.assert_allclose(low, [0.25, 0.5])
    np.testing.assert_allclose(high, [0.25, 0.5])
    # against a plain loop over the same resamples of clusters
    rng = np.random.default_rng(9)
    num, den = rng.integers(0, 5, size=(40, 3)).astype(float), rng.integers(5, 10, size=(40, 3)).astype(float)
    low, high = ethics.clustered_bootstrap_rates(num, den, n_boot=200, level=0.9, seed=5)
    draws = np.random.default_rng(5).integers(0, 40, size=(200, 40))
    rates = np.array([[sum(num[c, g] for c in row) / sum(den[c, g] for c in row) for g in range(3)] for row in draws])
    np.testing.assert_allclose(low, np.quantile(rates, 0.05, axis=0))
    np.testing.assert_allclose(high, np.quantile(rates, 0.95, axis=0))
    assert (low < num.sum(0) / den.sum(0)).all() and (num.sum(0) / den.sum(0) < high).all()
    with pytest.raises(ValueError, match="same shape"):
        ethics.clustered_bootstrap_rates(num, den[:, :2])


# ----------------------------------------------------------------------------- provenance and energy


def test_datasheet_outline_quotes_real_headings():
    from creative_ai.data.registry import datasets_root

    table = ethics.datasheet_outline(("music", "fashion"))
    assert list(table.index) == list(ethics.GEBRU_SECTIONS)
    for name in table.columns:
        text = (datasets_root() / name / "DATASHEET.md").read_text()
        for cell in table[name]:
            for heading in ([] if cell == "—" else cell.split("; ")):
                assert f"## {heading}" in text
    with pytest.raises(ValueError, match="no datasheet"):
        ethics.datasheet_outline(("nonexistent",))


def test_datasheet_outline_matches_whole_words(tmp_path, monkeypatch):
    from creative_ai.data import registry

    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "DATASHEET.md").write_text("# x\n## Causes of error\n## Resources\n## Regeneration\n"
                                                    "## Intended uses\n## Maintenance and errata\n")
    monkeypatch.setattr(registry, "datasets_root", lambda: tmp_path)
    table = ethics.datasheet_outline(("toy",))
    assert table.loc["Uses", "toy"] == "Intended uses"                     # not "Causes of error"
    assert table.loc["Collection process", "toy"] == "—"                   # "Resources" is not "sources"
    assert table.loc["Maintenance", "toy"] == "Maintenance and errata"     # "Regeneration" is not maintenance


def test_mf_sgd_flops_scales_linearly():
    one = ethics.mf_sgd_flops(1, 8, 1)
    assert ethics.mf_sgd_flops(1000, 8, 25) == pytest.approx(25_000 * one)
    assert ethics.mf_sgd_flops(1, 16, 1) - ethics.mf_sgd_flops(1, 8, 1) == pytest.approx(80)  # 10 per factor
    with pytest.raises(ValueError):
        ethics.mf_sgd_flops(-1, 8, 1)


def test_count_torch_flops_of_a_matrix_product():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(10, 5, bias=False)
    x = torch.ones(4, 10)
    assert ethics.count_torch_flops(lambda: layer(x)) == 2 * 4 * 10 * 5   # one multiply-add = 2 FLOPs


def test_timed_is_positive_and_checks_repeats():
    assert ethics.timed(lambda: sum(range(1000)), repeats=3) > 0
    with pytest.raises(ValueError):
        ethics.timed(lambda: None, repeats=0)


def test_cited_constants_are_consistent():
    # Patterson et al.'s 552 t for 1,287 MWh implies about 429 g/kWh, above the EU-27 2018 figure.
    implied = ethics.GPT3_TRAINING["co2e_tonnes"] * 1e6 / (ethics.GPT3_TRAINING["energy_mwh"] * 1e3)
    assert implied == pytest.approx(ethics.GPT3_TRAINING["grid_g_per_kwh"], rel=0.005)
    assert ethics.GRID_INTENSITY_EU27_2018 < implied
