"""Sanity tests of the bundled music-service dataset (datasets/music, creative_ai.data.music).

They check the schema, the checksums and that the structure planted by the builder is there:
a long tail of popularity, latent factors that matrix factorisation recovers better than
baselines (on ratings and on a time-split of the listening log), the planted exposure bias
against independent artists, and audio whose instrument family, tempo and key can be
recovered from the sound. The whole file runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest
from course import REPO

from creative_ai.audio import estimate_key
from creative_ai.data import (
    CLIP_SECONDS,
    SAMPLE_RATE,
    load_artists,
    load_clip,
    load_clips,
    load_listening_events,
    load_ratings,
    load_tracks,
    load_users,
    verify_dataset,
)
from creative_ai.data.registry import sha256_of
from creative_ai.recsys import fit_als, interaction_matrix, rating_triples, rmse

MUSIC = REPO / "datasets" / "music"
N_SAMPLES = int(CLIP_SECONDS * SAMPLE_RATE)


@pytest.fixture(scope="module")
def tables():
    return dict(
        tracks=load_tracks(), artists=load_artists(), users=load_users(),
        events=load_listening_events(), ratings=load_ratings(),
    )


@pytest.fixture(scope="module")
def clips():
    return load_clips()


def _builder():
    spec = importlib.util.spec_from_file_location("music_build", MUSIC / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------
# Schema and integrity
# ---------------------------------------------------------------------------------------
def test_schema_dtypes_and_id_ranges(tables):
    tracks, artists, users = tables["tracks"], tables["artists"], tables["users"]
    events, ratings = tables["events"], tables["ratings"]
    expected = {
        "tracks": ["track_id", "title", "artist_id", "genre", "instrument", "instrument_family",
                   "tempo_bpm", "key", "duration_s", "release_date", "popularity"],
        "artists": ["artist_id", "name", "country", "region", "group", "career_stage"],
        "users": ["user_id", "country", "age_band", "signup_date"],
        "events": ["user_id", "track_id", "timestamp", "seconds_played"],
        "ratings": ["user_id", "track_id", "rating", "timestamp"],
    }
    for name, cols in expected.items():
        missing = set(cols) - set(tables[name].columns)
        assert not missing, f"{name} lacks columns {sorted(missing)}"
    assert 200 <= len(tracks) <= 400 and 60 <= len(artists) <= 120 and len(users) == 1000
    for df, col in [(tracks, "track_id"), (artists, "artist_id"), (users, "user_id")]:
        assert df[col].tolist() == list(range(len(df))), f"{col} is not 0..n-1 in row order"
    for df, col in [(tracks, "tempo_bpm"), (tracks, "duration_s"), (events, "seconds_played"), (ratings, "rating")]:
        assert pd.api.types.is_integer_dtype(df[col]), f"{col} has dtype {df[col].dtype}"
    for df, col in [(tracks, "release_date"), (users, "signup_date"), (events, "timestamp"), (ratings, "timestamp")]:
        assert str(df[col].dtype) == "datetime64[ns, UTC]", f"{col} has dtype {df[col].dtype}"
    assert tracks["artist_id"].between(0, len(artists) - 1).all()
    assert set(artists["artist_id"]) == set(tracks["artist_id"]), "every artist has a track"
    for df in (events, ratings):
        assert df["user_id"].between(0, len(users) - 1).all()
        assert df["track_id"].between(0, len(tracks) - 1).all()
        assert df["timestamp"].is_monotonic_increasing
    assert set(artists["group"]) == {"independent", "major-label"}
    assert tracks["key"].str.fullmatch(r"[A-G][#b]? (major|minor)").all()
    assert tracks["tempo_bpm"].between(70, 160).all()
    assert ratings["rating"].between(1, 5).all()
    assert not ratings.duplicated(["user_id", "track_id"]).any()
    assert np.isclose(tracks["popularity"].sum(), 1.0)
    plays = np.bincount(events["track_id"], minlength=len(tracks))
    assert (tracks["n_plays"].to_numpy() == plays).all()
    # the log is consistent in time: 2025 only, no plays before release or signup
    assert events["timestamp"].dt.year.eq(2025).all()
    released = tracks["release_date"].to_numpy()[events["track_id"]]
    assert (events["timestamp"].to_numpy() >= released).all(), "a play before its track's release"
    signed = users["signup_date"].to_numpy()[events["user_id"]]
    assert (events["timestamp"].to_numpy() >= signed).all(), "a play before the user signed up"
    dur = tracks["duration_s"].to_numpy()[events["track_id"]]
    assert ((events["seconds_played"] >= 1) & (events["seconds_played"] <= dur)).all()


def test_checksums_cover_every_data_file():
    checked = set(verify_dataset("music"))
    expected = {"artists.csv", "tracks.csv", "users.csv", "listening_events.csv", "ratings.csv"}
    expected |= {f"audio/track_{i:03d}.flac" for i in range(len(load_tracks()))}
    assert checked == expected


def test_bad_track_ids_give_clear_errors():
    n = len(load_tracks())
    with pytest.raises(ValueError, match=f"between 0 and {n - 1}"):
        load_clip(n)
    with pytest.raises(ValueError, match=f"between 0 and {n - 1}"):
        load_clip(-1)
    with pytest.raises(TypeError, match="integer"):
        load_clip("3")
    with pytest.raises(TypeError):
        load_clips(5)


# ---------------------------------------------------------------------------------------
# Planted structure: popularity, latent factors, bias
# ---------------------------------------------------------------------------------------
def test_popularity_has_a_long_tail(tables):
    plays = np.sort(tables["tracks"]["n_plays"].to_numpy())[::-1]
    n = len(plays)
    top10 = plays[: n // 10].sum() / plays.sum()
    bottom50 = plays[n // 2:].sum() / plays.sum()
    assert top10 > 0.5, f"top 10% of tracks get {top10:.0%} of plays, expected > 50%"
    assert bottom50 < 0.12, f"bottom half of tracks get {bottom50:.0%} of plays, expected < 12%"


def test_matrix_factorisation_beats_baselines_on_held_out_ratings(tables):
    ratings, n_users, n_items = tables["ratings"], len(tables["users"]), len(tables["tracks"])
    test = np.random.default_rng(0).random(len(ratings)) < 0.2
    train_triples, test_triples = rating_triples(ratings[~test]), rating_triples(ratings[test])
    ut, it, rt = test_triples[:, 0].astype(int), test_triples[:, 1].astype(int), test_triples[:, 2]
    biases = fit_als(train_triples, n_users, n_items, n_factors=0, reg=5.0, iterations=10)
    mf = fit_als(train_triples, n_users, n_items, n_factors=8, reg=5.0, iterations=12)
    plays = np.bincount(tables["events"]["track_id"], minlength=n_items)
    X = np.c_[np.ones(len(train_triples)), np.log1p(plays[train_triples[:, 1].astype(int)])]
    w = np.linalg.lstsq(X, train_triples[:, 2], rcond=None)[0]
    scores = {
        "global mean": rmse(np.full(len(rt), biases.mu), rt),
        "popularity": rmse(np.c_[np.ones(len(rt)), np.log1p(plays[it])] @ w, rt),
        "biases": rmse(biases.predict(ut, it), rt),
        "MF": rmse(mf.predict(ut, it), rt),
    }
    print("RMSE " + ", ".join(f"{name} {value:.3f}" for name, value in scores.items()))
    assert scores["MF"] < scores["biases"] - 0.04
    assert scores["MF"] < scores["popularity"] - 0.1 and scores["MF"] < scores["global mean"] - 0.1
    # the datasheet's "sanity figures" quote these numbers
    quoted = {"global mean": 1.069, "popularity": 1.069, "biases": 0.940, "MF": 0.797}
    for name, value in quoted.items():
        assert scores[name] == pytest.approx(value, abs=0.0005), f"DATASHEET.md quotes {name} RMSE {value}"


def test_implicit_mf_beats_popularity_on_a_time_split(tables):
    events, n_users, n_items = tables["events"], len(tables["users"]), len(tables["tracks"])
    cut = pd.Timestamp("2025-10-15", tz="UTC")
    train, test = events[events["timestamp"] < cut], events[events["timestamp"] >= cut]
    C = interaction_matrix(train, n_users, n_items)
    # implicit ALS (Hu, Koren & Volinsky 2008) with confidence 1 + 5 log(1 + plays)
    rng = np.random.default_rng(0)
    k, lam = 16, 1.0
    pref, W = (C > 0).astype(float), 1 + 5 * np.log1p(C)
    X, Y = rng.normal(0, 0.1, (n_users, k)), rng.normal(0, 0.1, (n_items, k))
    for _ in range(8):
        X = np.linalg.solve(np.einsum("ui,ik,il->ukl", W, Y, Y) + lam * np.eye(k), ((W * pref) @ Y)[..., None])[..., 0]
        Y = np.linalg.solve(np.einsum("ui,uk,ul->ikl", W, X, X) + lam * np.eye(k), ((W * pref).T @ X)[..., None])[..., 0]

    def recall_at_10(scores):
        scores = np.where(C > 0, -np.inf, scores)  # recommend tracks new to the user
        top = np.argsort(-scores, axis=1, kind="stable")[:, :10]
        out = []
        for user, items in test.groupby("user_id")["track_id"]:
            new = set(items) - set(np.flatnonzero(C[user]))
            if new and C[user].sum() > 0:
                out.append(len(new & set(top[user])) / min(len(new), 10))
        return float(np.mean(out))

    pop = recall_at_10(np.tile(C.sum(0), (n_users, 1)))
    mf = recall_at_10(X @ Y.T)
    print(f"recall@10 popularity {pop:.3f}, implicit MF {mf:.3f}")
    assert mf > 1.2 * pop


def test_ratings_drift_down_through_the_year_as_the_datasheet_says(tables):
    ratings = tables["ratings"].copy()
    by_month = ratings.groupby(ratings["timestamp"].dt.month)["rating"].mean()
    nth = ratings.groupby("user_id").cumcount() + 1        # ratings are sorted by time
    first_five, after_forty = ratings["rating"][nth <= 5].mean(), ratings["rating"][nth > 40].mean()
    print(f"mean rating: January {by_month[1]:.2f}, December {by_month[12]:.2f}; "
          f"a listener's ratings 1-5 {first_five:.2f}, after the 40th {after_forty:.2f}")
    assert [round(by_month[1], 2), round(by_month[12], 2)] == [4.21, 3.83]
    assert [round(first_five, 2), round(after_forty, 2)] == [4.25, 3.59]


def test_planted_exposure_bias_against_independent_artists(tables):
    tracks = tables["tracks"].merge(tables["artists"][["artist_id", "group"]], on="artist_id")
    by_group = tracks.groupby("group").agg(n=("track_id", "size"), plays=("n_plays", "sum"))
    share_tracks = by_group["n"] / by_group["n"].sum()
    share_plays = by_group["plays"] / by_group["plays"].sum()
    ratio = share_plays["independent"] / share_tracks["independent"]
    rated = tables["ratings"].merge(tracks[["track_id", "group"]], on="track_id")
    mean_rating = rated.groupby("group")["rating"].mean()
    print(f"independent: {share_tracks['independent']:.0%} of tracks, {share_plays['independent']:.0%} of "
          f"plays; mean rating {mean_rating['independent']:.2f} vs {mean_rating['major-label']:.2f}")
    assert ratio < 0.6, f"independent tracks get {ratio:.2f}x their catalogue share of plays"
    assert mean_rating["independent"] >= mean_rating["major-label"]


# ---------------------------------------------------------------------------------------
# Audio
# ---------------------------------------------------------------------------------------
def test_clips_format_and_audio_budget(clips):
    assert len(clips) == len(load_tracks())
    for track_id, (y, sr) in enumerate(clips):
        assert sr == SAMPLE_RATE == 22050
        assert y.dtype == np.float32 and y.shape == (N_SAMPLES,), f"clip {track_id}: {y.dtype} {y.shape}"
        assert 0.3 < np.abs(y).max() <= 0.51, f"clip {track_id} peak {np.abs(y).max():.2f}"
    size = sum(p.stat().st_size for p in (MUSIC / "audio").glob("*.flac"))
    assert size <= 25e6, f"audio takes {size / 1e6:.1f} MB, budget 25 MB"


def _spectral_features(y: np.ndarray) -> np.ndarray:
    """Simple NumPy features: log band energies (mean, std over frames), centroid, flatness."""
    frames = np.lib.stride_tricks.sliding_window_view(y, 2048)[::512] * np.hanning(2048)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2 + 1e-10
    edges = np.geomspace(40, 11025, 17)
    freqs = np.fft.rfftfreq(2048, 1 / SAMPLE_RATE)
    bands = np.stack([power[:, (freqs >= lo) & (freqs < hi)].sum(1) for lo, hi in zip(edges[:-1], edges[1:], strict=True)], 1)
    logb = np.log(bands)
    centroid = (power * freqs).sum(1) / power.sum(1)
    flatness = np.exp(np.log(power).mean(1)) / power.mean(1)
    loud = np.log(power.sum(1))
    return np.r_[logb.mean(0), logb.std(0), centroid.mean(), centroid.std(), flatness.mean(), np.diff(loud).std()]


def test_instrument_family_is_recoverable_from_audio_features(clips):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.array([_spectral_features(y) for y, _ in clips])
    family = load_tracks()["instrument_family"].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    acc = cross_val_score(model, X, family, cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean()
    chance = pd.Series(family).value_counts(normalize=True).max()
    print(f"instrument family accuracy {acc:.2f} (majority class {chance:.2f})")
    assert acc > 0.85 and acc > chance + 0.4


def test_tempo_is_recoverable_by_librosa(clips):
    import librosa

    tracks = load_tracks()
    ids = range(0, len(tracks), 4)
    exact = octave = 0
    for t in ids:
        y, sr = clips[t]
        env = librosa.onset.onset_strength(y=y, sr=sr)
        est = float(librosa.feature.tempo(onset_envelope=env, sr=sr)[0])
        ratio = est / tracks.loc[t, "tempo_bpm"]
        exact += abs(ratio - 1) <= 0.04
        octave += min(abs(ratio - 2) / 2, abs(ratio - 0.5) / 0.5) <= 0.04
    n = len(ids)
    print(f"tempo: {exact}/{n} within 4%, {octave}/{n} octave errors")
    assert exact / n >= 0.85 and (exact + octave) / n >= 0.95


def test_key_tonic_is_recoverable_from_chroma(clips):
    import librosa

    tracks = load_tracks()
    ids = range(1, len(tracks), 4)
    tonic = exact = 0
    for t in ids:
        y, sr = clips[t]
        estimate = estimate_key(librosa.feature.chroma_stft(y=y, sr=sr))
        tonic += estimate.split()[0] == tracks.loc[t, "tonic"]
        exact += estimate == tracks.loc[t, "key"]
    print(f"key (Krumhansl-Schmuckler on mean chroma): tonic {tonic}/{len(ids)}, key {exact}/{len(ids)}")
    assert tonic / len(ids) >= 0.75 and exact / len(ids) >= 0.6


# ---------------------------------------------------------------------------------------
# Reproducibility
# ---------------------------------------------------------------------------------------
def test_builder_reproduces_tables_and_clips(tmp_path):
    """The tables are rebuilt byte-for-byte; three clips are re-rendered sample-for-sample.

    (Rebuilding all 320 clips takes about 30 s; the full byte-for-byte check is
    ``python datasets/music/build.py --out /tmp/music`` then comparing the SHA256SUMS.)
    """
    import soundfile as sf

    build = _builder()
    build.build(tmp_path, audio=False, verbose=False)
    for name in ("artists.csv", "tracks.csv", "users.csv", "listening_events.csv", "ratings.csv"):
        assert sha256_of(tmp_path / name) == sha256_of(MUSIC / name), f"{name} differs when rebuilt"
    tracks = pd.read_csv(tmp_path / "tracks.csv")
    for t in (0, 101, len(tracks) - 1):
        y = build.render_clip(tracks.iloc[t], np.random.default_rng([build.SEED, 7, t]))
        stored, _ = sf.read(MUSIC / "audio" / f"track_{t:03d}.flac", dtype="int16")
        assert np.array_equal(build.to_pcm(y), stored), f"clip {t} differs when re-rendered"
