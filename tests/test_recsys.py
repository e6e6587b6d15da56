"""Unit tests for creative_ai.recsys (module 01's reusable, non-graded helpers)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

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
