"""Reusable helpers for module 01, recommendation (lesson 01 and lab 01).

Plots (long tail, trade-off curves), a time-aware train/test split, an interaction-matrix
builder, a readable recommendation table and an interactive "recommend for this listener"
widget. Deliberately *not* here: similarity, top-k selection, ranking metrics, matrix
factorisation, diversity, novelty and re-ranking -- learners write those in lab 01.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_ai.display import OKABE_ITO

__all__ = [
    "interaction_matrix",
    "listener_widget",
    "long_tail_plot",
    "recommendation_table",
    "temporal_split",
    "tradeoff_plot",
]


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} needs the columns {list(columns)}; missing {missing} "
                         f"(it has {list(frame.columns)})")


def temporal_split(
    events: pd.DataFrame, test_fraction: float = 0.2, time_col: str = "timestamp"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split interactions at one moment in time: the last ``test_fraction`` of them is the test.

    A random split lets a model peek at the future (it trains on what a listener played
    next week to predict what they played today); a time-aware split trains on everything
    before a cut-off timestamp and tests on everything after it, as a deployed system would
    be used. Rows with the cut-off timestamp itself go to the training set.

    ``events``: DataFrame with a ``time_col`` column (datetimes or numbers), any row order.
    Returns ``(train, test)``, both sorted by time, with their original index.

    Example::

        >>> train, test = temporal_split(load_ratings(), test_fraction=0.2)  # doctest: +SKIP
        >>> train["timestamp"].max() <= test["timestamp"].min()  # doctest: +SKIP
        True
    """
    _require_columns(events, [time_col], "events")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    if len(events) < 2:
        raise ValueError(f"need at least 2 events to split, got {len(events)}")
    ordered = events.sort_values(time_col, kind="mergesort")
    cutoff = ordered[time_col].iloc[int(np.floor((1 - test_fraction) * (len(ordered) - 1)))]
    in_train = (ordered[time_col] <= cutoff).to_numpy()
    return ordered[in_train], ordered[~in_train]


def interaction_matrix(
    events: pd.DataFrame,
    n_users: int,
    n_items: int,
    user_col: str = "user_id",
    item_col: str = "track_id",
    value_col: str | None = None,
) -> np.ndarray:
    """Dense (n_users, n_items) float matrix of interactions.

    With ``value_col=None`` each cell counts the user's interactions with the item (plays);
    otherwise it holds the **last** value of ``value_col`` for that pair (e.g. a rating).
    Ids must be integers in ``0..n_users-1`` and ``0..n_items-1``.

    Example::

        >>> plays = interaction_matrix(load_listening_events(), 1000, 320)  # doctest: +SKIP
        >>> plays.shape  # doctest: +SKIP
        (1000, 320)
    """
    _require_columns(events, [user_col, item_col] + ([value_col] if value_col else []), "events")
    users = events[user_col].to_numpy()
    items = events[item_col].to_numpy()
    for name, ids, n in ((user_col, users, n_users), (item_col, items, n_items)):
        if len(ids) and (ids.min() < 0 or ids.max() >= n):
            raise ValueError(f"{name} must lie in 0..{n - 1}, got values from {ids.min()} to {ids.max()}")
    matrix = np.zeros((n_users, n_items))
    if value_col is None:
        np.add.at(matrix, (users.astype(int), items.astype(int)), 1.0)
    else:
        matrix[users.astype(int), items.astype(int)] = events[value_col].to_numpy(dtype=float)
    return matrix


def long_tail_plot(
    counts: Sequence[float] | np.ndarray,
    ax=None,
    head_fraction: float = 0.2,
    item_label: str = "tracks",
    title: str | None = None,
):
    """Plot items sorted by popularity, and the cumulative share of interactions they get.

    ``counts``: interactions per item (plays, views), shape (n_items,). The left axis shows
    each item's count (bars, most popular first); the right axis the cumulative share of all
    interactions; the shaded "head" is the most popular ``head_fraction`` of items, and the
    annotation says which share of interactions it takes. Returns the matplotlib Axes.

    Example::

        >>> ax = long_tail_plot(np.bincount(events["track_id"]))  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array (one number per item), got shape {counts.shape}")
    if (counts < 0).any() or counts.sum() <= 0:
        raise ValueError("counts must be non-negative with a positive total")
    if not 0 < head_fraction < 1:
        raise ValueError(f"head_fraction must be between 0 and 1, got {head_fraction}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    ordered = np.sort(counts)[::-1]
    ranks = np.arange(1, len(ordered) + 1)
    cumulative = np.cumsum(ordered) / ordered.sum()
    n_head = max(1, int(round(head_fraction * len(ordered))))
    ax.bar(ranks, ordered, width=1.0, color=OKABE_ITO[0], label="interactions per item")
    ax.axvspan(0.5, n_head + 0.5, color=OKABE_ITO[1], alpha=0.15, label=f"head: top {head_fraction:.0%} of {item_label}")
    ax.set_xlabel(f"{item_label.capitalize()} ranked by popularity (rank 1 = most popular)")
    ax.set_ylabel("Interactions (count)")
    ax.set_xlim(0.5, len(ordered) + 0.5)
    twin = ax.twinx()
    twin.plot(ranks, 100 * cumulative, color=OKABE_ITO[5], lw=2, label="cumulative share")
    twin.set_ylabel("Cumulative share of interactions (%)")
    twin.set_ylim(0, 101)
    twin.annotate(f"top {head_fraction:.0%} of {item_label} get {cumulative[n_head - 1]:.0%} of interactions",
                  xy=(n_head, 100 * cumulative[n_head - 1]), xytext=(0.35, 0.35), textcoords="axes fraction",
                  arrowprops=dict(arrowstyle="->", color=OKABE_ITO[7]))
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="center right", fontsize=8)
    ax.set_title(title or f"The long tail: popularity of {len(ordered)} {item_label}")
    return ax


def tradeoff_plot(
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[Any] | None = None,
    xlabel: str = "Diversity",
    ylabel: str = "Accuracy",
    title: str = "Trade-off",
    ax=None,
):
    """Line-and-dot plot of one metric against another, each point labelled (e.g. by lambda).

    Use it for accuracy-versus-diversity curves of a re-ranker. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D of the same length, got shapes {x.shape} and {y.shape}")
    if labels is not None and len(labels) != len(x):
        raise ValueError(f"expected {len(x)} labels (one per point), got {len(labels)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot(x, y, "-o", color=OKABE_ITO[0])
    for i, label in enumerate(labels if labels is not None else []):
        ax.annotate(str(label), (x[i], y[i]), textcoords="offset points", xytext=(5, 5), fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return ax


def recommendation_table(
    track_ids: Sequence[int],
    tracks: pd.DataFrame,
    artists: pd.DataFrame | None = None,
    scores: Sequence[float] | None = None,
) -> pd.DataFrame:
    """A readable table of recommended tracks: rank, title, artist, genre, instrument.

    ``track_ids``: recommended ids, best first. ``tracks``: the catalogue (``load_tracks()``);
    ``artists`` (optional, ``load_artists()``) adds artist name and group; ``scores``
    (optional) adds a score column. Rows keep the order of ``track_ids``.
    """
    _require_columns(tracks, ["track_id", "title", "artist_id", "genre"], "tracks")
    ids = [int(t) for t in track_ids]
    by_id = tracks.set_index("track_id")
    unknown = [t for t in ids if t not in by_id.index]
    if unknown:
        raise ValueError(f"unknown track ids {unknown[:5]} (the catalogue has ids {by_id.index.min()}..{by_id.index.max()})")
    columns = [c for c in ["title", "artist_id", "genre", "instrument"] if c in by_id.columns]
    table = by_id.loc[ids, columns].reset_index()
    if artists is not None:
        _require_columns(artists, ["artist_id", "name"], "artists")
        extra = artists.set_index("artist_id")[[c for c in ["name", "group"] if c in artists.columns]]
        table = table.join(extra.rename(columns={"name": "artist"}), on="artist_id")
    if scores is not None:
        if len(scores) != len(ids):
            raise ValueError(f"expected {len(ids)} scores (one per track), got {len(scores)}")
        table["score"] = np.round(np.asarray(scores, dtype=float), 3)
    table.insert(0, "rank", np.arange(1, len(ids) + 1))
    return table.drop(columns=["artist_id"]).set_index("rank")


def listener_widget(
    show: Callable[..., Any],
    user_ids: Sequence[int],
    default_user: int,
    k: tuple[int, int, int] = (5, 20, 5),
    diversity: tuple[float, float, float] | None = (0.0, 1.0, 0.1),
):
    """An interactive "recommend for this listener" control built with ipywidgets.

    ``show(user, k[, diversity])`` displays recommendations (returns a table or draws).
    The widget offers a listener drop-down (``user_ids``), a slider for ``k`` (min, max,
    step) and, unless ``diversity`` is None, a slider for a diversity weight.

    Runs headless too: it first calls ``show`` once with the defaults and displays the
    result, so an executed notebook (tests, nbconvert, a static HTML export) shows a
    recommendation even where widgets do not render. Returns the widget (or None when
    ipywidgets is missing).
    """
    from IPython.display import display

    users = [int(u) for u in user_ids]
    if int(default_user) not in users:
        raise ValueError(f"default_user {default_user} is not among the {len(users)} user_ids offered")
    k_min, k_max, k_step = k
    if not 1 <= k_min <= k_max:
        raise ValueError(f"k must be (min, max, step) with 1 <= min <= max, got {k}")
    kwargs = dict(user=int(default_user), k=int(min(max(10, k_min), k_max)))
    if diversity is not None:
        kwargs["diversity"] = float(diversity[0])
    result = show(**kwargs)
    if result is not None:
        display(result)
    try:
        import ipywidgets as widgets
    except ImportError:  # pragma: no cover - ipywidgets is a pinned dependency
        return None
    controls = dict(
        user=widgets.Dropdown(options=users, value=int(default_user), description="listener"),
        k=widgets.IntSlider(value=kwargs["k"], min=k_min, max=k_max, step=k_step, description="k"),
    )
    if diversity is not None:
        lo, hi, step = diversity
        controls["diversity"] = widgets.FloatSlider(value=lo, min=lo, max=hi, step=step, description="diversity")
    return widgets.interactive(show, **controls)
