"""Reusable helpers for module 05, data ethics (lesson 05 and lab 05).

A feedback-loop simulator for a music recommender, the simulation's listener model, a Gini
coefficient, a score-boost re-ranker for fair exposure, a listener-clustered bootstrap for
group rates, a re-identification experiment, contribution bounding for differential privacy,
FLOP counting and cited figures for energy estimates, and the module's figures.

Deliberately *not* here: position weights of exposure, group exposure shares, the top-k
quota re-ranker, popularity lift, k-anonymity, l-diversity, the Laplace mechanism and the
energy formula -- learners write those in lab 05.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creative_ai.display import OKABE_ITO
from creative_ai.recsys import interaction_matrix, item_similarity

__all__ = [
    "GPT3_TRAINING",
    "GRID_INTENSITY_EU27_2018",
    "RECOMMENDERS",
    "boost_rerank",
    "bound_contributions",
    "clustered_bootstrap_rates",
    "count_torch_flops",
    "datasheet_outline",
    "feedback_loop_plot",
    "gini",
    "listener_tastes",
    "mf_sgd_flops",
    "reidentification_rate",
    "simulate_feedback_loop",
    "timed",
]

GRID_INTENSITY_EU27_2018 = 281.0
"""Greenhouse-gas intensity of electricity generation in the EU-27 in 2018, g CO2e per kWh.

Source: European Environment Agency, indicator *Greenhouse gas emission intensity of
electricity generation in Europe* (assessment published December 2020): 510 g CO2e/kWh in
1990, 281 in 2018. The EEA reports further falls since (2023 about a fifth below 2022), so
this figure overstates today's EU average; a country's own figure can differ several-fold.
"""

GPT3_TRAINING = {
    "flops": 3.14e23,
    "energy_mwh": 1287.0,
    "co2e_tonnes": 552.0,
    "pue": 1.1,
    "grid_g_per_kwh": 429.0,
}
"""Published estimates for training GPT-3 (175 billion parameters), for scale.

FLOPs: Brown et al. (2020), *Language Models are Few-Shot Learners*, appendix D
(3.64e3 petaflop/s-days). Energy, PUE, grid intensity and emissions: Patterson et al.
(2021), *Carbon Emissions and Large Neural Network Training* (arXiv:2104.10350), table 4:
processor-hours × average power × the data centre's PUE (1.1) gives 1,287 MWh, × the
grid's 429 g CO2e/kWh gives 552 t CO2e. The energy *includes* the data centre's overhead.
"""

STRUBELL_PUE = 1.58
"""The PUE Strubell, Ganesh & McCallum (ACL 2019) applied to their measured power draw (the
2018 global data-centre average reported by the Uptime Institute)."""

RECOMMENDERS = ("popularity", "item-item", "organic")


# ----------------------------------------------------------------------------- small measures


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values (e.g. plays per track): 0 = all equal, → 1 = one takes all.

    Computed from the sorted values x₁ ≤ … ≤ xₙ as Σᵢ (2i − n − 1) xᵢ / (n Σᵢ xᵢ): the mean
    absolute difference over all n² ordered pairs, self-pairs included, divided by twice
    the mean (Gini 1912). With n items the largest possible value is (n − 1)/n. (Gini's
    mean difference "without repetition" averages over the n(n − 1) pairs of distinct
    items instead, which gives n/(n − 1) times this value, with a maximum of 1.)
    """
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("gini needs at least one value, got an empty array")
    if np.isnan(x).any() or (x < 0).any():
        raise ValueError("gini needs non-negative numbers without NaN (e.g. play counts)")
    total = x.sum()
    if total == 0:
        raise ValueError("gini is undefined when every value is 0")
    x = np.sort(x)
    n = len(x)
    return float(np.dot(2 * np.arange(1, n + 1) - n - 1, x) / (n * total))


def _rank_weights(k: int) -> np.ndarray:
    # How much attention each slot of a list gets (the logarithmic discount of DCG).
    return 1.0 / np.log2(np.arange(2, k + 2))


def _top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


# ----------------------------------------------------------------------------- the listener model


@dataclass(frozen=True)
class ListenerTastes:
    """The simulation's ground truth: how much each listener would enjoy each track.

    ``utility`` (n_users, n_tracks): log of the listener's share of plays in the track's genre
    (smoothed) plus ``quality_weight`` × the track's quality (its mean rating, shrunk towards
    the overall mean, minus that mean). ``choice`` (n_users, n_tracks): the probabilities
    with which a listener picks tracks on their own (softmax of utility over the catalogue),
    with no recommender and no promotion involved.
    """

    utility: np.ndarray
    choice: np.ndarray
    quality: np.ndarray
    genres: tuple[str, ...]


def listener_tastes(
    events: pd.DataFrame,
    ratings: pd.DataFrame,
    tracks: pd.DataFrame,
    n_users: int,
    genre_smoothing: float = 0.5,
    rating_shrinkage: float = 10.0,
    quality_weight: float = 2.0,
) -> ListenerTastes:
    """Build the simulation's listener model from the bundled data (an assumption, stated).

    The true tastes of the bundled listeners are not shipped, so the simulation *assumes*
    that a listener likes a track as much as they like its genre (their smoothed share of
    plays in that genre over the whole log) plus how good the track is (mean rating shrunk
    towards the overall mean with ``rating_shrinkage`` pseudo-ratings). Neither part uses a
    track's own play count, but the service's past promotion still leaks in: ratings exist
    only for tracks that were played, and an under-promoted track is found mostly by the
    listeners who like it most, so its mean rating overstates its quality (ratings are
    missing not at random; Marlin & Zemel 2009); genre shares, too, come from promoted
    plays. On the bundled data the shrunk quality gap between independent and major-label
    tracks is about 0.18 stars where the builder planted 0.10, so the tastes favour the
    independents somewhat. Returns a :class:`ListenerTastes`.
    """
    for name, frame, cols in (("events", events, ["user_id", "track_id"]),
                              ("ratings", ratings, ["track_id", "rating"]),
                              ("tracks", tracks, ["track_id", "genre"])):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} needs the columns {cols}; missing {missing}")
    if genre_smoothing <= 0 or rating_shrinkage < 0:
        raise ValueError("genre_smoothing must be > 0 and rating_shrinkage >= 0")
    n_items = len(tracks)
    genre_of = tracks["genre"].to_numpy()
    genres = tuple(sorted(set(genre_of)))
    onehot = (genre_of[:, None] == np.array(genres)[None, :]).astype(float)
    plays = interaction_matrix(events, n_users, n_items)
    genre_share = (plays @ onehot + genre_smoothing) / (
        plays.sum(axis=1, keepdims=True) + genre_smoothing * len(genres)
    )
    mean = float(ratings["rating"].mean())
    stats = ratings.groupby("track_id")["rating"].agg(["sum", "count"]).reindex(range(n_items), fill_value=0)
    quality = ((stats["sum"] + rating_shrinkage * mean) / (stats["count"] + rating_shrinkage)).to_numpy() - mean
    utility = np.log(genre_share) @ onehot.T + quality_weight * quality[None, :]
    choice = np.exp(utility - utility.max(axis=1, keepdims=True))
    choice /= choice.sum(axis=1, keepdims=True)
    return ListenerTastes(utility=utility, choice=choice, quality=quality, genres=genres)


# ----------------------------------------------------------------------------- the feedback loop


def boost_rerank(scores: np.ndarray, protected: np.ndarray, boost: float, k: int) -> np.ndarray:
    """Top-k lists after adding ``boost`` to the protected items' rescaled scores.

    ``scores`` (n_lists, n_items): higher is better; use ``-inf`` for items that must not be
    shown. Each row is rescaled to [0, 1] over its finite entries, ``boost`` is added to the
    entries where ``protected`` (n_items,) is True, and the ``k`` best items are returned
    per row, best first, ties by lower index: shape (n_lists, k). ``boost = 0`` keeps the
    original ranking; a boost greater than 1 puts every protected candidate first (at exactly
    1, a protected item rescaled to 0 ties the best unprotected one, and the lower index wins).
    This is a simple *score-boost* re-ranker; lab 05 builds a constrained one instead.
    """
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    protected = np.asarray(protected, dtype=bool)
    if protected.shape != (scores.shape[1],):
        raise ValueError(f"protected must have one flag per item ({scores.shape[1]}), got shape {protected.shape}")
    if not np.isfinite(boost) or boost < 0:
        raise ValueError(f"boost must be a non-negative number, got {boost}")
    if not 1 <= k <= scores.shape[1]:
        raise ValueError(f"k must be between 1 and the number of items ({scores.shape[1]}), got {k}")
    finite = np.isfinite(scores)
    low = np.where(finite, scores, np.inf).min(axis=1, keepdims=True)
    high = np.where(finite, scores, -np.inf).max(axis=1, keepdims=True)
    span = np.where(high > low, high - low, 1.0)
    rescaled = np.where(finite, (scores - low) / span, -np.inf) + boost * protected[None, :]
    return _top_k_rows(rescaled, k)


def simulate_feedback_loop(
    start_plays: np.ndarray,
    tastes: ListenerTastes,
    protected: np.ndarray,
    item_genre: Sequence[str] | np.ndarray,
    recommender: str = "item-item",
    weeks: int = 26,
    k: int = 10,
    organic_rate: float = 0.3,
    boost: float = 0.0,
    seed: int = 0,
    progress_bar: bool = False,
    release_week: Sequence[int] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Simulate a recommender retrained every week on the plays it caused.

    Each simulated week: (1) the recommender is trained on all plays so far
    (``start_plays`` (n_users, n_items) plus every simulated play): ``"popularity"`` ranks
    tracks by total plays, ``"item-item"`` scores a listener's tracks by cosine co-listening
    similarity to what they played (log(1 + plays) weights, as in lesson 01), ``"organic"``
    recommends nothing; repeats are allowed, as in music listening. (2) Each listener gets a
    top-``k`` list (optionally re-ranked with :func:`boost_rerank` for the ``protected``
    items). (3) They look at slot r with probability 1/log2(1 + r) and play the track with
    probability sigmoid(utility − median utility) (``tastes``, see :func:`listener_tastes`).
    (4) On top, each listener makes a Poisson number of *organic* plays (mean
    ``organic_rate`` × the week's mean recommended plays per listener; 3 when nothing is
    recommended) drawn from their own tastes. So the organic world's volume of plays
    differs from the others': compare ``gini_week`` (concentration of one week's plays)
    rather than ``gini_plays`` (all plays so far, which mixes volume with concentration).

    ``release_week`` (optional, one int per track): the first simulated week (1 = the first)
    in which the track exists; before it, the track is neither recommended nor played.
    Without it, every track is available from week 1. One run is one random draw (``seed``):
    run several seeds to see how much a result varies.

    Returns one row per week with: ``gini_plays`` (Gini of all plays so far across tracks),
    ``gini_week`` (of the week's plays), ``protected_exposure`` (share of the position-weighted
    exposure in the lists that went to protected tracks), ``protected_plays`` (their share of
    the week's plays), ``coverage`` (distinct tracks recommended to anyone), ``list_overlap``
    (mean Jaccard similarity of two different listeners' lists, 600 random pairs: 1 = everyone
    gets the same list), ``genre_entropy`` (mean entropy in bits of a listener's genres over
    the week's plays) and ``plays``.
    """
    if recommender not in RECOMMENDERS:
        raise ValueError(f"recommender must be one of {RECOMMENDERS}, got {recommender!r}")
    history = np.array(start_plays, dtype=float)
    n_users, n_items = history.shape
    if tastes.utility.shape != (n_users, n_items):
        raise ValueError(f"tastes are for {tastes.utility.shape} listeners x tracks, start_plays is {history.shape}")
    protected = np.asarray(protected, dtype=bool)
    item_genre = np.asarray(item_genre)
    if protected.shape != (n_items,) or item_genre.shape != (n_items,):
        raise ValueError(f"protected and item_genre need one entry per track ({n_items})")
    if weeks < 1 or not 1 <= k <= n_items:
        raise ValueError(f"weeks must be >= 1 and k between 1 and {n_items}, got weeks={weeks}, k={k}")
    release = np.ones(n_items, dtype=int) if release_week is None else np.asarray(release_week)
    if release.shape != (n_items,) or not np.issubdtype(release.dtype, np.integer):
        raise ValueError(f"release_week needs one whole week number per track ({n_items}), got {release!r:.80}")
    if np.sum(release <= 1) < k:
        raise ValueError(f"fewer than k={k} tracks are released in week 1")
    rng = np.random.default_rng(seed)
    weights = _rank_weights(k)
    genres = np.array(sorted(set(item_genre.tolist())))
    onehot = (item_genre[:, None] == genres[None, :]).astype(float)
    threshold = np.median(tastes.utility)
    pairs = rng.integers(0, n_users, size=(600, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    rows = []
    iterator = range(weeks)
    if progress_bar:
        from creative_ai.progress import progress

        iterator = progress(iterator, desc=f"simulating {recommender}", total=weeks)
    for week in iterator:
        new = np.zeros_like(history)
        lists = None
        available = release <= week + 1
        choice = tastes.choice * available[None, :]
        cumulative_choice = np.cumsum(choice / choice.sum(axis=1, keepdims=True), axis=1)
        if recommender != "organic":
            if recommender == "popularity":
                scores = np.tile(history.sum(axis=0), (n_users, 1))
            else:
                profile = np.log1p(history)
                scores = profile @ item_similarity(profile)
            scores = np.where(available[None, :], scores, -np.inf)
            lists = boost_rerank(scores, protected, boost, k) if boost > 0 else _top_k_rows(scores, k)
            liked = 1.0 / (1.0 + np.exp(-(np.take_along_axis(tastes.utility, lists, axis=1) - threshold)))
            played = rng.random(lists.shape) < weights[None, :] * liked
            users = np.repeat(np.arange(n_users), k)[played.ravel()]
            np.add.at(new, (users, lists.ravel()[played.ravel()]), 1.0)
            organic_mean = organic_rate * played.sum() / n_users
        else:
            organic_mean = 3.0
        n_organic = rng.poisson(organic_mean, size=n_users)
        who = np.repeat(np.arange(n_users), n_organic)
        picks = (cumulative_choice[who] < rng.random(len(who))[:, None]).sum(axis=1).clip(0, n_items - 1)
        picks = np.where(available[picks], picks, np.flatnonzero(available)[-1])  # float round-off at the top
        np.add.at(new, (who, picks), 1.0)
        history += new
        genre_plays = new @ onehot
        active = genre_plays.sum(axis=1) > 0
        share = genre_plays[active] / genre_plays[active].sum(axis=1, keepdims=True)
        entropy = -(np.where(share > 0, share * np.log2(np.where(share > 0, share, 1.0)), 0.0)).sum(axis=1)
        row = {"week": week + 1, "gini_plays": gini(history.sum(axis=0)), "gini_week": gini(new.sum(axis=0)),
               "protected_plays": float(new.sum(axis=0)[protected].sum() / new.sum()),
               "genre_entropy": float(entropy.mean()), "plays": int(new.sum())}
        if lists is not None:
            row["protected_exposure"] = float((weights[None, :] * protected[lists]).sum() / (weights.sum() * n_users))
            row["coverage"] = len(np.unique(lists))
            sets = [set(row_items) for row_items in lists.tolist()]
            row["list_overlap"] = float(np.mean([len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for a, b in pairs]))
        else:
            row.update(protected_exposure=np.nan, coverage=0, list_overlap=np.nan)
        rows.append(row)
    columns = ["week", "gini_plays", "gini_week", "protected_exposure", "protected_plays", "coverage",
               "list_overlap", "genre_entropy", "plays"]
    return pd.DataFrame(rows)[columns].set_index("week")


def feedback_loop_plot(
    runs: Mapping[str, pd.DataFrame],
    reference: Mapping[str, float] | None = None,
    protected_label: str = "independent",
):
    """Three panels over simulated weeks: Gini of plays, protected exposure share, list overlap.

    ``runs``: name → the DataFrame of :func:`simulate_feedback_loop`. ``reference``
    (optional): horizontal dotted lines per panel, keyed ``"gini"``, ``"exposure"``,
    ``"overlap"`` (e.g. the values in the listeners' organic world, or the catalogue share).
    Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if not runs:
        raise ValueError("runs is empty: pass at least one simulation result")
    reference = dict(reference or {})
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    panels = [("gini_plays", "gini", "Gini of plays across tracks", "Concentration (Gini of all plays so far)"),
              ("protected_exposure", "exposure", f"Share of exposure to {protected_label} artists (%)",
               f"Exposure of {protected_label} artists"),
              ("list_overlap", "overlap", "Overlap of two listeners' lists (Jaccard)", "Homogenisation")]
    markers = ["o", "s", "^", "D", "v"]
    for ax, (column, key, ylabel, title) in zip(axes, panels, strict=True):
        scale = 100.0 if column == "protected_exposure" else 1.0
        for n, (name, frame) in enumerate(runs.items()):
            values = frame[column] * scale
            if values.notna().any():
                ax.plot(frame.index, values, marker=markers[n % len(markers)], markersize=3,
                        color=OKABE_ITO[n % len(OKABE_ITO)], label=name)
        if key in reference:
            ax.axhline(reference[key] * scale, color=OKABE_ITO[7], ls=":", lw=1, label=reference.get(f"{key}_label", "reference"))
        ax.set_xlabel("Simulated week")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    if any(f"{key}_label" in reference for key in ("exposure", "overlap")):
        axes[1].legend(fontsize=8)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- privacy


def reidentification_rate(
    events: pd.DataFrame,
    n_facts: int | Sequence[int],
    with_day: bool = False,
    n_targets: int = 300,
    seed: int = 0,
) -> float | pd.Series:
    """Share of listeners singled out by ``n_facts`` things an observer knows they played.

    For ``n_targets`` random listeners with at least ``n_facts`` distinct facts, draw that
    many of their facts at random — a fact is a track they played (``with_day=False``) or a
    track and the UTC day they played it (``with_day=True``) — and count the listeners in
    the whole log whose history contains all of them. Returns the share of targets for
    whom exactly one listener (the target) matches. This measures the *precondition* of
    Narayanan & Shmatikov's (2008) attack on the "anonymised" Netflix Prize data -- sparse
    histories are unique -- with exact matching; their algorithm goes further, scoring
    approximate matches (dates known only to ±14 days, some facts wrong) and accepting the
    best match only when it stands out from the second best. Pass a list of fact counts
    to get a Series indexed by them (the log is indexed once; each count uses its own
    random draw from ``seed``).
    """
    needed = ["user_id", "track_id"] + (["timestamp"] if with_day else [])
    missing = [c for c in needed if c not in events.columns]
    if missing:
        raise ValueError(f"events needs the columns {needed}; missing {missing}")
    counts = [n_facts] if np.isscalar(n_facts) else list(n_facts)
    if not counts or min(counts) < 1 or n_targets < 1:
        raise ValueError(f"n_facts and n_targets must be >= 1, got {n_facts} and {n_targets}")
    keys = events["track_id"].astype(str)
    if with_day:
        keys = keys + "@" + events["timestamp"].dt.strftime("%Y-%m-%d")
    facts = pd.DataFrame({"user_id": events["user_id"].to_numpy(), "fact": keys.to_numpy()}).drop_duplicates()
    by_user = facts.groupby("user_id")["fact"].apply(lambda f: sorted(f))
    holders = facts.groupby("fact")["user_id"].apply(frozenset)
    rates = {}
    for n, count in enumerate(counts):
        eligible = by_user[by_user.apply(len) >= count]
        if eligible.empty:
            raise ValueError(f"no listener has {count} distinct facts")
        rng = np.random.default_rng([seed, n])
        targets = rng.choice(eligible.index.to_numpy(), size=min(n_targets, len(eligible)), replace=False)
        unique = 0
        for user in targets:
            known = rng.choice(eligible[user], size=count, replace=False)
            unique += len(frozenset.intersection(*(holders[fact] for fact in known))) == 1
        rates[count] = unique / len(targets)
    if np.isscalar(n_facts):
        return rates[n_facts]
    return pd.Series(rates, name="share singled out").rename_axis("known facts")


def bound_contributions(
    events: pd.DataFrame,
    max_items: int,
    seed: int = 0,
    user_col: str = "user_id",
    item_col: str = "track_id",
) -> pd.DataFrame:
    """Contribution bounding for differential privacy: each user keeps at most ``max_items`` items.

    Reduces ``events`` to distinct (user, item) pairs, then keeps, for every user with more
    than ``max_items`` distinct items, a random ``max_items`` of them (drawn with ``seed``;
    uniformly, so no item is favoured). A histogram of "users per item" computed from the
    result changes by at most ``max_items`` in total (ℓ1) when one user is added or removed,
    so its user-level sensitivity is ``max_items``, whatever the raw log holds (Wilson et al.
    2020, *Differentially Private SQL with Bounded User Contribution*). The price is bias:
    the dropped pairs are missing from the counts. Returns a DataFrame of the kept pairs.
    """
    missing = [c for c in (user_col, item_col) if c not in events.columns]
    if missing:
        raise ValueError(f"events needs the columns {[user_col, item_col]}; missing {missing}")
    if int(max_items) != max_items or max_items < 1:
        raise ValueError(f"max_items must be a whole number >= 1, got {max_items}")
    pairs = events[[user_col, item_col]].drop_duplicates()
    order = np.random.default_rng(seed).permutation(len(pairs))
    shuffled = pairs.iloc[order]
    kept = shuffled[shuffled.groupby(user_col).cumcount() < max_items]
    return kept.sort_values([user_col, item_col]).reset_index(drop=True)


def clustered_bootstrap_rates(
    numerators: np.ndarray,
    denominators: np.ndarray,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval of rates Σ numerators / Σ denominators, resampling whole clusters.

    ``numerators``, ``denominators``: (clusters, groups) counts, e.g. per listener (a cluster)
    and per artist group: hits and discoveries (recall), or recommended and candidate pairs
    (selection rate). The rows of a per-pair table are not independent -- one listener's
    pairs share that listener -- so resampling pairs would understate the uncertainty;
    this draws ``n_boot`` samples of *listeners* with replacement and recomputes each
    group's rate. Returns ``(low, high)``: the ``(1 − level)/2`` and ``(1 + level)/2``
    quantiles per group (NaN where a sample has no denominator).
    """
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if num.shape != den.shape or num.ndim != 2 or len(num) < 2:
        raise ValueError(f"numerators and denominators must be (clusters, groups) arrays of the same shape "
                         f"with at least 2 clusters, got {num.shape} and {den.shape}")
    if n_boot < 1 or not 0 < level < 1:
        raise ValueError(f"n_boot must be >= 1 and level in (0, 1), got {n_boot} and {level}")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(num), size=(n_boot, len(num)))
    counts = np.stack([np.bincount(row, minlength=len(num)) for row in picks])   # (n_boot, clusters)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = (counts @ num) / (counts @ den)
    low, high = np.nanquantile(rates, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return low, high


# ----------------------------------------------------------------------------- provenance

GEBRU_SECTIONS = ("Motivation", "Composition", "Collection process", "Preprocessing/cleaning/labeling",
                  "Uses", "Distribution", "Maintenance")
"""The seven question groups of *Datasheets for Datasets* (Gebru et al., CACM 2021)."""

_SECTION_KEYWORDS = {
    "Motivation": ("motivation",),
    "Composition": ("composition",),
    "Collection process": ("collection", "generation process", "sources"),
    "Preprocessing/cleaning/labeling": ("preprocessing", "cleaning", "labeling", "labelling"),
    "Uses": ("uses", "intended use", "intended uses"),
    "Distribution": ("distribution", "licence", "license"),
    "Maintenance": ("maintenance", "maintainers", "errata"),
}


def datasheet_outline(datasets: Sequence[str] = ("music", "fashion", "images", "landscape")) -> pd.DataFrame:
    """Which of Gebru et al.'s seven question groups each course datasheet has a section for.

    Reads the ``## `` headings of ``datasets/<name>/DATASHEET.md`` (found through the package,
    like every bundled file) and matches them to :data:`GEBRU_SECTIONS` by whole words or
    phrases (e.g. a "Licence" section counts towards *Distribution*; "Causes" is not "uses").
    A "Regeneration" section (how to rebuild the files) does not count as *Maintenance*,
    which Gebru et al. define as who supports the dataset and how errors are corrected.
    Returns a DataFrame: one row per question group, one column per dataset, holding the
    matching heading(s) or ``"—"`` when none matches.
    """
    from creative_ai.data.registry import datasets_root

    table = {}
    for name in datasets:
        path = datasets_root() / name / "DATASHEET.md"
        if not path.is_file():
            raise ValueError(f"no datasheet for dataset {name!r} (looked for {path})")
        headings = [line[3:].strip() for line in path.read_text().splitlines() if line.startswith("## ")]
        column = {}
        for section in GEBRU_SECTIONS:
            hits = [h for h in headings if any(re.search(rf"\b{re.escape(word)}\b", h.lower())
                                               for word in _SECTION_KEYWORDS[section])]
            column[section] = "; ".join(hits) if hits else "—"
        table[name] = column
    return pd.DataFrame(table).rename_axis("Gebru et al. question group")


# ----------------------------------------------------------------------------- energy


def mf_sgd_flops(n_ratings: int, n_factors: int, epochs: int) -> float:
    """Floating-point operations of biased matrix factorisation by SGD (lab 01), counted by hand.

    Per rating and epoch: the prediction μ + b_u + b_i + p_u·q_i (2f + 3), the error (1),
    two bias updates (4 each) and two factor-vector updates p ← p + lr (e q − reg p)
    (4 per factor each): 10 f + 12 operations. Returns the total for all epochs.
    """
    for name, value in (("n_ratings", n_ratings), ("n_factors", n_factors), ("epochs", epochs)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    return float(n_ratings) * epochs * (10 * n_factors + 12)


def count_torch_flops(step: Callable[[], Any]) -> float:
    """Floating-point operations of one call of ``step()`` (e.g. a training step), counted by torch.

    Uses ``torch.utils.flop_counter.FlopCounterMode``, which counts the matrix multiplications
    and convolutions of the forward and backward passes (2 operations per multiply-add) and
    ignores cheap element-wise work (activations, optimiser updates), so it slightly
    undercounts. Returns the count as a float.
    """
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter:
        step()
    return float(counter.get_total_flops())


def timed(step: Callable[[], Any], repeats: int = 1) -> float:
    """Wall-clock seconds per call of ``step()``, the median of ``repeats`` calls."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return float(np.median(times))
