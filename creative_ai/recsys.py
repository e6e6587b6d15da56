"""Reusable helpers for module 01, recommendation (lesson 01 and lab 01).

Data plumbing (ratings as ``(user, item, rating)`` triples, an interaction matrix, a
time-aware train/test split), the rating models lesson 01 teaches (biased matrix
factorisation by alternating least squares, whose 0-factor case is the damped bias
baseline), plots (long tail, trade-off curves), a readable recommendation table and an
interactive "recommend for this listener" widget, and the three top-k recommenders lesson 01
compares on plays (popularity, item-item cosine, PureSVD) in the batch form later modules reuse
(lesson and lab 05 audit them). Deliberately *not* here: the per-list cosine similarity,
top-k selection and ranking metrics with their edge cases, matrix factorisation by SGD,
diversity, novelty and re-ranking -- learners write those in lab 01.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creative_ai.display import OKABE_ITO

__all__ = [
    "RatingModel",
    "fit_als",
    "implicit_recommender_scores",
    "interaction_matrix",
    "item_similarity",
    "listener_widget",
    "long_tail_plot",
    "place_point_labels",
    "rating_triples",
    "recommendation_table",
    "rmse",
    "temporal_split",
    "top_k_lists",
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


def rating_triples(
    ratings: pd.DataFrame,
    user_col: str = "user_id",
    item_col: str = "track_id",
    value_col: str = "rating",
) -> np.ndarray:
    """Ratings as a float array of ``(user, item, rating)`` triples, shape (N, 3).

    The form matrix-factorisation code takes (lesson 01's :func:`fit_als`, lab 01's SGD):
    column 0 the user index, column 1 the item index (both whole numbers stored as floats),
    column 2 the rating. Rows keep the order of ``ratings``.

    Example::

        >>> triples = rating_triples(load_ratings())  # doctest: +SKIP
        >>> triples.shape  # doctest: +SKIP
        (18523, 3)
    """
    _require_columns(ratings, [user_col, item_col, value_col], "ratings")
    return ratings[[user_col, item_col, value_col]].to_numpy(dtype=float)


def _check_triples(triples, n_users: int, n_items: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    triples = np.asarray(triples, dtype=float)
    if triples.ndim != 2 or triples.shape[1] != 3:
        raise ValueError(f"expected (user, item, rating) triples of shape (N, 3), got shape {triples.shape}")
    for name, n in (("n_users", n_users), ("n_items", n_items)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    if not np.isfinite(triples).all():
        raise ValueError("the triples contain NaN or infinite values")
    users, items = triples[:, 0], triples[:, 1]
    for name, ids, n in (("user", users, n_users), ("item", items, n_items)):
        if len(ids) and (ids.min() < 0 or ids.max() >= n or not np.all(ids == np.round(ids))):
            raise ValueError(f"{name} ids must be whole numbers in 0..{n - 1}, got values from "
                             f"{ids.min():g} to {ids.max():g}")
    return users.astype(int), items.astype(int), triples[:, 2]


@dataclass
class RatingModel:
    """A biased factorisation model: r̂(u, i) = mu + b_u + b_i + p_u · q_i.

    ``mu``: global mean rating; ``user_bias`` (n_users,), ``item_bias`` (n_items,);
    ``user_factors`` (n_users, n_factors) and ``item_factors`` (n_items, n_factors), with
    ``n_factors`` possibly 0 (the bias-only model).
    """

    mu: float
    user_bias: np.ndarray
    item_bias: np.ndarray
    user_factors: np.ndarray
    item_factors: np.ndarray

    def predict(self, users, items) -> np.ndarray:
        """Predicted ratings for the pairs ``(users[j], items[j])``; a float array (len(users),)."""
        users = np.asarray(users).astype(int).ravel()
        items = np.asarray(items).astype(int).ravel()
        if users.shape != items.shape:
            raise ValueError(f"expected as many users as items, got {users.size} users and {items.size} items")
        for name, ids, n in (("user", users, len(self.user_bias)), ("item", items, len(self.item_bias))):
            if ids.size and (ids.min() < 0 or ids.max() >= n):
                raise ValueError(f"{name} ids must lie in 0..{n - 1}, got values from {ids.min()} to {ids.max()}")
        return (self.mu + self.user_bias[users] + self.item_bias[items]
                + np.einsum("nf,nf->n", self.user_factors[users], self.item_factors[items]))


def fit_als(
    triples,
    n_users: int,
    n_items: int,
    n_factors: int = 16,
    reg: float = 5.0,
    iterations: int = 10,
    seed: int = 0,
) -> RatingModel:
    """Biased matrix factorisation fitted by alternating least squares (ALS).

    Model: r̂(u, i) = mu + b_u + b_i + p_u · q_i, with mu the mean training rating. Each
    iteration first fixes the items and solves, for every user, the ridge regression of
    ``r - mu - b_i`` on ``[q_i, 1]`` over the items the user rated, giving ``[p_u, b_u]``;
    then it swaps the roles of users and items. ``reg`` is the ridge penalty on every
    parameter, biases included, so a user with few ratings is pulled towards 0 ("damped").
    Only observed ratings enter the fit; a user or item without training ratings keeps
    zero bias and zero factors and is predicted as ``mu``.

    With ``n_factors=0`` this is the **damped bias baseline**: alternately
    ``b_u = Σ (r - mu - b_i) / (n_u + reg)`` and ``b_i = Σ (r - mu - b_u) / (n_i + reg)``.

    ``triples``: (N, 3) array of (user, item, rating), e.g. :func:`rating_triples`; ids in
    ``0..n_users-1`` and ``0..n_items-1``. Factors start from a normal distribution with
    standard deviation 0.1 (seeded), biases from 0. Returns a :class:`RatingModel`.
    About 0.1 s per iteration for 20,000 ratings.

    Example::

        >>> model = fit_als(rating_triples(train), 1000, 320, n_factors=16)  # doctest: +SKIP
        >>> rmse(model.predict(test["user_id"], test["track_id"]), test["rating"])  # doctest: +SKIP
    """
    users, items, values = _check_triples(triples, n_users, n_items)
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) or n_factors < 0:
        raise ValueError(f"n_factors must be an integer >= 0, got {n_factors!r}")
    if not reg > 0:
        raise ValueError(f"reg must be positive (it keeps every ridge regression solvable), got {reg!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
    if len(values) == 0:
        raise ValueError("expected at least one rating, got none")
    rng = np.random.default_rng(seed)
    mu = float(values.mean())
    # Each side's parameters as one matrix whose last column is the bias.
    user_params = np.zeros((n_users, n_factors + 1))
    item_params = np.zeros((n_items, n_factors + 1))
    user_params[:, :n_factors] = rng.normal(0.0, 0.1, (n_users, n_factors))
    item_params[:, :n_factors] = rng.normal(0.0, 0.1, (n_items, n_factors))
    by_user = _groups(users, n_users)
    by_item = _groups(items, n_items)
    penalty = reg * np.eye(n_factors + 1)
    for _ in range(iterations):
        for solve_for, fixed, other, groups in ((user_params, item_params, items, by_user),
                                                (item_params, user_params, users, by_item)):
            for who, rows in enumerate(groups):
                if len(rows) == 0:
                    continue
                design = np.c_[fixed[other[rows], :n_factors], np.ones(len(rows))]
                target = values[rows] - mu - fixed[other[rows], n_factors]
                solve_for[who] = np.linalg.solve(design.T @ design + penalty, design.T @ target)
    return RatingModel(mu, user_params[:, n_factors].copy(), item_params[:, n_factors].copy(),
                       user_params[:, :n_factors].copy(), item_params[:, :n_factors].copy())


def item_similarity(plays) -> np.ndarray:
    """Cosine similarity between the item columns of a (users, items) matrix, diagonal set to 0.

    The similarity of item-item collaborative filtering (lesson 01): 1 when two items were
    played by exactly the same listeners (in the same proportions), 0 when by no common
    listener; an item never played has similarity 0 with every item. The diagonal is 0 so
    that an item does not vote for itself. Returns an (items, items) float array.
    """
    plays = np.asarray(plays, dtype=float)
    if plays.ndim != 2:
        raise ValueError(f"plays must be a 2-D (users, items) matrix, got shape {plays.shape}")
    norms = np.linalg.norm(plays, axis=0)
    unit = plays / np.where(norms > 0, norms, 1.0)
    similarity = unit.T @ unit
    np.fill_diagonal(similarity, 0.0)
    return similarity


def top_k_lists(scores, seen, k: int) -> np.ndarray:
    """Each row's ``k`` best items that the listener has not seen, best first (ties: lower index).

    ``scores`` and ``seen`` are (listeners, items) arrays; an item with ``seen > 0`` is
    never recommended (its score becomes −inf), so ``k`` must not exceed the number of
    unseen items of any row for every item listed to be new. Returns (listeners, k) ints.
    """
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    seen = np.atleast_2d(np.asarray(seen))
    if seen.shape != scores.shape:
        raise ValueError(f"scores and seen must have the same shape, got {scores.shape} and {seen.shape}")
    if not 1 <= k <= scores.shape[1]:
        raise ValueError(f"k must be between 1 and the number of items ({scores.shape[1]}), got {k}")
    masked = np.where(seen > 0, -np.inf, scores)
    return np.argsort(-masked, axis=1, kind="stable")[:, :k]


def implicit_recommender_scores(played, seen, n_factors: int = 16, seed: int = 0) -> dict[str, np.ndarray]:
    """Scores of lesson 01's three top-k recommenders on plays, for the listeners in ``seen``.

    ``played``: (users, items) 0/1 matrix of the training period, on which the models are
    fitted; ``seen``: the rows of the listeners to score (e.g. ``played[eval_users]``).
    Returns ``{"popularity": ..., "item-item CF": ..., "PureSVD": ...}``, each of the shape
    of ``seen``: listeners per item; the sum of the item-item similarities
    (:func:`item_similarity`) to the items a listener played; and the rank-``n_factors``
    truncated SVD of the play matrix projected back ("PureSVD", Cremonesi, Koren & Turrin
    2010; scikit-learn's ``TruncatedSVD`` with ``random_state=seed``).
    """
    from sklearn.decomposition import TruncatedSVD

    played = np.asarray(played, dtype=float)
    seen = np.atleast_2d(np.asarray(seen, dtype=float))
    if played.ndim != 2 or seen.shape[1] != played.shape[1]:
        raise ValueError(f"played (users, items) and seen (listeners, items) need the same items, "
                         f"got shapes {played.shape} and {seen.shape}")
    if not 1 <= n_factors < min(played.shape):
        raise ValueError(f"n_factors must be between 1 and {min(played.shape) - 1}, got {n_factors}")
    svd = TruncatedSVD(n_components=n_factors, random_state=seed).fit(played)
    return {"popularity": np.tile(played.sum(axis=0), (len(seen), 1)),
            "item-item CF": seen @ item_similarity(played),
            "PureSVD": svd.inverse_transform(svd.transform(seen))}


def _groups(ids: np.ndarray, n: int) -> list[np.ndarray]:
    """Row indices of each id 0..n-1 (one array per id, possibly empty)."""
    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(n + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(n)]


def rmse(predicted, actual) -> float:
    """Root-mean-square error between two equal-length sequences of ratings."""
    predicted = np.asarray(predicted, dtype=float).ravel()
    actual = np.asarray(actual, dtype=float).ravel()
    if predicted.shape != actual.shape or predicted.size == 0:
        raise ValueError(f"expected two non-empty sequences of the same length, got {predicted.size} and {actual.size}")
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


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
    ylim: tuple[float, float] | None = None,
):
    """Line-and-dot plot of one metric against another, each point labelled (e.g. by lambda).

    Use it for accuracy-versus-diversity curves of a re-ranker. Labels are placed so that
    they overlap neither each other nor the points, even when points crowd together (a
    short leader line joins a label placed further away to its point). ``ylim`` sets the
    vertical range first (e.g. ``(0, top)`` so a small accuracy cost is not exaggerated);
    change the limits only through it, since labels are placed for the final layout.
    Returns the Axes.
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
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if labels is not None:
        place_point_labels(ax, x, y, [str(label) for label in labels])
    return ax


# Offsets (points) tried for a label, nearest first; each with the text's alignment.
_LABEL_OFFSETS = [(dx * r, dy * r, ha, va) for r in (1, 2, 3, 4, 6)
                  for dx, dy, ha, va in ((6, 6, "left", "bottom"), (6, -6, "left", "top"),
                                         (-6, 6, "right", "bottom"), (-6, -6, "right", "top"),
                                         (0, 8, "center", "bottom"), (0, -8, "center", "top"),
                                         (9, 0, "left", "center"), (-9, 0, "right", "center"))]


def place_point_labels(ax, x, y, labels: Sequence[str], fontsize: float = 8) -> list:
    """Annotate point ``i`` at ``(x[i], y[i])`` with ``labels[i]``, avoiding overlaps.

    Each label takes the nearest offset (tried in a fixed order, growing outwards) whose text
    box overlaps no earlier label, no point and stays inside the Axes; labels that had to
    move away get a thin leader line. Returns the annotation artists.
    """
    fig = ax.figure
    fig.canvas.draw()  # fixes the layout, so text boxes can be measured
    renderer = fig.canvas.get_renderer()
    points = ax.transData.transform(np.c_[np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    axes_box = ax.get_window_extent(renderer)
    dot = 4 * fig.dpi / 72  # half-size of a marker, in pixels
    taken: list = []
    annotations = []
    for xi, yi, label in zip(x, y, labels, strict=True):
        best = None
        for dx, dy, ha, va in _LABEL_OFFSETS:
            text = ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(dx, dy),
                               ha=ha, va=va, fontsize=fontsize)
            box = text.get_window_extent(renderer).expanded(1.05, 1.15)
            clashes = sum(box.overlaps(other) for other in taken)
            clashes += sum(box.overlaps(_pixel_box(qx, qy, dot)) for qx, qy in points)
            inside = (box.x0 >= axes_box.x0 and box.x1 <= axes_box.x1
                      and box.y0 >= axes_box.y0 and box.y1 <= axes_box.y1)
            score = clashes + (0 if inside else 0.5)
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, text, box, (dx, dy))
            else:
                text.remove()
            if score == 0:
                break
        _, text, box, (dx, dy) = best
        if abs(dx) > 10 or abs(dy) > 10:
            text.remove()
            text = ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(dx, dy),
                               ha=text.get_ha(), va=text.get_va(), fontsize=fontsize,
                               arrowprops=dict(arrowstyle="-", color=OKABE_ITO[7], lw=0.6, shrinkA=0, shrinkB=3))
        taken.append(box)
        annotations.append(text)
    return annotations


def _pixel_box(px: float, py: float, half: float):
    from matplotlib.transforms import Bbox

    return Bbox([[px - half, py - half], [px + half, py + half]])


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
