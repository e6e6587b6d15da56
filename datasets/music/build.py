"""Build the bundled music-service dataset (``datasets/music/``) from fixed seeds.

Run ``python datasets/music/build.py`` (or ``make data``) from the course folder; it rewrites
every data file in this folder and the ``SHA256SUMS`` manifest, byte-for-byte identical on
every run on the same platform. ``--metadata-only`` rebuilds the CSV tables and leaves the
audio alone (a few seconds; the tests use it to check determinism); ``--out DIR`` writes
somewhere else. See ``DATASHEET.md`` for what is generated and why.

Everything is synthesised here with NumPy: a fictional catalogue (artists, tracks), users,
listening events and ratings drawn from a latent-factor model, and one 4-second audio clip
per track whose instrument, tempo, key and style follow the track's metadata.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

# The loader owns the format (sample rate, clip length, pitch-class spelling); the builder
# follows it, so the two cannot disagree.
from creative_ai.data.music import CLIP_SECONDS, PITCH_CLASSES  # noqa: E402
from creative_ai.data.music import SAMPLE_RATE as SR  # noqa: E402

SEED = 20250301
PEAK = 0.5  # peak amplitude of every clip (-6 dBFS)
AUDIO_BITS = 12  # resolution of the stored samples (see to_pcm)
N_ARTISTS = 96
N_TRACKS = 320
N_USERS = 1000
N_FACTORS = 8
YEAR_START = pd.Timestamp("2025-01-01", tz="UTC")
YEAR_END = pd.Timestamp("2026-01-01", tz="UTC")

# The planted bias (see DATASHEET.md): tracks by independent artists get this fraction of the
# exposure of comparable major-label tracks, although their quality (item bias) is drawn from
# the same distribution shifted up by INDEPENDENT_QUALITY_SHIFT rating points.
INDEPENDENT_EXPOSURE = 0.35
INDEPENDENT_QUALITY_SHIFT = 0.10

# family -> instruments; instrument -> (lowest, highest) MIDI note of its melody register
INSTRUMENTS = {
    "plucked_string": {"acoustic guitar": (52, 71), "harp": (55, 79)},
    "bowed_string": {"violin": (64, 84), "cello": (45, 64)},
    "brass": {"trumpet": (58, 77), "trombone": (45, 64)},
    "mallet": {"marimba": (57, 79), "vibraphone": (57, 79), "glockenspiel": (72, 91)},
    "synth": {"synth lead": (60, 79), "synth pad": (50, 69)},
}
FAMILY_OF = {inst: fam for fam, insts in INSTRUMENTS.items() for inst in insts}

# genre -> instrument weights, tempo range (BPM), drum pattern, melodic density
# (probability that a beat is split into two eighth notes), weight in the catalogue
GENRES = {
    "classical": dict(inst={"violin": 3, "cello": 3, "harp": 2}, tempo=(70, 110), drums=None, density=0.25, weight=1.0),
    "folk": dict(inst={"acoustic guitar": 5, "violin": 1, "harp": 1}, tempo=(84, 126), drums=None, density=0.3, weight=1.1),
    "jazz": dict(inst={"trumpet": 3, "trombone": 2, "vibraphone": 3}, tempo=(100, 150), drums="swing", density=0.45, weight=1.0),
    "rock": dict(inst={"acoustic guitar": 3, "trombone": 1, "synth lead": 1}, tempo=(110, 150), drums="backbeat", density=0.35, weight=1.2),
    "pop": dict(inst={"synth lead": 3, "acoustic guitar": 2, "marimba": 2, "glockenspiel": 1}, tempo=(96, 130), drums="backbeat", density=0.3, weight=1.6),
    "electronic": dict(inst={"synth lead": 3, "synth pad": 3, "glockenspiel": 1}, tempo=(120, 150), drums="four_on_floor", density=0.4, weight=1.2),
    "hip-hop": dict(inst={"marimba": 2, "synth pad": 2, "trumpet": 1, "vibraphone": 1}, tempo=(84, 102), drums="boom_bap", density=0.3, weight=1.1),
    "ambient": dict(inst={"synth pad": 3, "glockenspiel": 2, "vibraphone": 2, "harp": 1}, tempo=(70, 96), drums=None, density=0.15, weight=0.8),
}

REGIONS = {
    "North America": (["United States", "Canada", "Mexico"], 0.26),
    "Europe": (["United Kingdom", "Germany", "France", "Sweden", "Spain", "Italy", "Netherlands"], 0.30),
    "Latin America": (["Brazil", "Argentina", "Colombia", "Chile"], 0.13),
    "Africa": (["Nigeria", "South Africa", "Ghana", "Kenya", "Senegal"], 0.11),
    "Asia": (["Japan", "South Korea", "India", "Indonesia", "Philippines"], 0.14),
    "Oceania": (["Australia", "New Zealand"], 0.06),
}

# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------
_SYL = ["ka", "lo", "mi", "ra", "ve", "sun", "ta", "no", "el", "ri", "sa", "dor", "an", "ly",
        "ze", "mo", "ba", "ko", "li", "ne", "va", "shi", "ro", "del", "ma", "to", "fe", "jun"]
_ADJ = ["Amber", "Velvet", "Silver", "Hollow", "Golden", "Paper", "Neon", "Quiet", "Electric",
        "Crimson", "Midnight", "Wild", "Glass", "Lunar", "Copper", "Salt", "Static", "Blue",
        "Northern", "Little", "Broken", "Distant", "Honey", "Iron", "Violet", "Open", "Slow",
        "Bright", "Fading", "Secret", "Sudden", "Tidal"]
_NOUN = ["Foxes", "Harbour", "Rivers", "Signals", "Lanterns", "Orchard", "Echoes", "Sparrows",
         "Machines", "Tides", "Gardens", "Satellites", "Coast", "Ashes", "Wolves", "Mirrors",
         "Engines", "Meadow", "Parade", "Circuit", "Owls", "Canyon", "Choir", "Atlas"]
_TNOUN = ["Light", "Summer", "Morning", "Streets", "Heart", "Skyline", "Rain", "Fire", "Road",
          "Window", "Dream", "Shore", "Winter", "Garden", "Signal", "Horizon", "Letters",
          "Weather", "Dance", "Island", "Stars", "Echo", "Harvest", "Motion", "Home", "River"]


def _word(rng: np.random.Generator, n_syl: int) -> str:
    return "".join(rng.choice(_SYL, n_syl)).capitalize()


def _artist_name(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        kind = rng.random()
        if kind < 0.45:
            name = f"{_word(rng, rng.integers(2, 4))} {_word(rng, rng.integers(2, 4))}"
        elif kind < 0.8:
            name = f"The {rng.choice(_ADJ)} {rng.choice(_NOUN)}"
        else:
            name = f"{_word(rng, 2)} & the {rng.choice(_NOUN)}"
        if name not in used:
            used.add(name)
            return name


def _title(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        kind = rng.random()
        if kind < 0.5:
            t = f"{rng.choice(_ADJ)} {rng.choice(_TNOUN)}"
        elif kind < 0.75:
            t = f"{rng.choice(_TNOUN)} of {rng.choice(_NOUN)}"
        else:
            t = f"{_word(rng, rng.integers(2, 4))}"
        if t not in used:
            used.add(t)
            return t


def _choice_weighted(rng: np.random.Generator, options: dict) -> str:
    keys = list(options)
    w = np.array([options[k] for k in keys], dtype=float)
    return keys[rng.choice(len(keys), p=w / w.sum())]


# ---------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------
def make_artists(rng: np.random.Generator) -> pd.DataFrame:
    used: set[str] = set()
    region_names = list(REGIONS)
    region_p = np.array([REGIONS[r][1] for r in region_names])
    genres = list(GENRES)
    genre_p = np.array([GENRES[g]["weight"] for g in genres])
    rows = []
    for a in range(N_ARTISTS):
        region = region_names[rng.choice(len(region_names), p=region_p / region_p.sum())]
        country = str(rng.choice(REGIONS[region][0]))
        group = "independent" if rng.random() < 0.45 else "major-label"
        stage_p = [0.45, 0.4, 0.15] if group == "independent" else [0.25, 0.5, 0.25]
        stage = ["emerging", "established", "veteran"][rng.choice(3, p=stage_p)]
        debut = {"emerging": (2019, 2025), "established": (2008, 2019), "veteran": (1985, 2008)}[stage]
        rows.append(
            dict(
                artist_id=a,
                name=_artist_name(rng, used),
                country=country,
                region=region,
                group=group,
                career_stage=stage,
                debut_year=int(rng.integers(debut[0], debut[1])),
                main_genre=genres[rng.choice(len(genres), p=genre_p / genre_p.sum())],
            )
        )
    return pd.DataFrame(rows)


def make_tracks(rng: np.random.Generator, artists: pd.DataFrame) -> pd.DataFrame:
    # Artists get 1..8 tracks (more for established/veteran); every artist has >= 1 track.
    stage_mult = artists["career_stage"].map({"emerging": 0.7, "established": 1.2, "veteran": 1.3}).to_numpy()
    weights = stage_mult * rng.lognormal(0, 0.5, N_ARTISTS)
    extra = rng.multinomial(N_TRACKS - N_ARTISTS, weights / weights.sum())
    counts = 1 + extra
    used: set[str] = set()
    rows = []
    genres = list(GENRES)
    for a, n in enumerate(counts):
        art = artists.iloc[a]
        for _ in range(n):
            genre = art["main_genre"] if rng.random() < 0.8 else genres[rng.integers(len(genres))]
            spec = GENRES[genre]
            instrument = _choice_weighted(rng, spec["inst"])
            lo, hi = spec["tempo"]
            tonic = int(rng.integers(12))
            mode = "minor" if rng.random() < (0.55 if genre in ("ambient", "hip-hop", "classical") else 0.35) else "major"
            first = max(int(art["debut_year"]), 1985)
            if rng.random() < 0.18:  # new releases during the simulated year
                release = YEAR_START + pd.Timedelta(days=int(rng.integers(15, 330)))
            else:
                start = pd.Timestamp(f"{first}-01-01", tz="UTC")
                span = (YEAR_START - start).days
                release = start + pd.Timedelta(days=int(rng.integers(0, max(span, 2))))
            rows.append(
                dict(
                    artist_id=a,
                    title=_title(rng, used),
                    genre=genre,
                    instrument=instrument,
                    instrument_family=FAMILY_OF[instrument],
                    tempo_bpm=int(rng.integers(lo, hi + 1)),
                    tonic=PITCH_CLASSES[tonic],
                    tonic_pc=tonic,
                    mode=mode,
                    key=f"{PITCH_CLASSES[tonic]} {mode}",
                    has_drums=spec["drums"] is not None,
                    duration_s=int(np.clip(rng.normal(215, 45), 120, 420)),
                    release_date=release.tz_localize(None).normalize(),
                )
            )
    tracks = pd.DataFrame(rows)
    # Shuffle so track ids are not grouped by artist, then number them.
    order = rng.permutation(len(tracks))
    tracks = tracks.iloc[order].reset_index(drop=True)
    tracks.insert(0, "track_id", np.arange(len(tracks)))
    return tracks


# ---------------------------------------------------------------------------------------
# Users, latent factors, listening events, ratings
# ---------------------------------------------------------------------------------------
def make_users(rng: np.random.Generator) -> pd.DataFrame:
    region_names = list(REGIONS)
    region_p = np.array([0.30, 0.30, 0.14, 0.08, 0.13, 0.05])
    ages = ["18-24", "25-34", "35-44", "45-54", "55+"]
    age_p = np.array([0.27, 0.33, 0.2, 0.12, 0.08])
    rows = []
    for u in range(N_USERS):
        region = region_names[rng.choice(len(region_names), p=region_p)]
        signup = pd.Timestamp("2019-01-01") + pd.Timedelta(days=int(rng.integers(0, 365 * 6 + 300)))
        rows.append(dict(user_id=u, country=str(rng.choice(REGIONS[region][0])), region=region,
                         age_band=ages[rng.choice(5, p=age_p)], signup_date=signup))
    return pd.DataFrame(rows)


def latent_model(rng: np.random.Generator, artists: pd.DataFrame, tracks: pd.DataFrame, users: pd.DataFrame) -> dict:
    """True user/item factors and biases of the generative model (not shipped)."""
    genres = list(GENRES)
    g_vec = rng.normal(0, 1, (len(genres), N_FACTORS))
    g_vec /= np.linalg.norm(g_vec, axis=1, keepdims=True)
    a_vec = rng.normal(0, 0.45, (N_ARTISTS, N_FACTORS))
    g_idx = tracks["genre"].map({g: i for i, g in enumerate(genres)}).to_numpy()
    q = 1.0 * g_vec[g_idx] + a_vec[tracks["artist_id"].to_numpy()] + rng.normal(0, 0.3, (N_TRACKS, N_FACTORS))

    # Users like one or two genres (older users lean to classical, jazz, folk).
    age_lean = {"18-24": ["electronic", "hip-hop", "pop"], "25-34": ["pop", "rock", "electronic"],
                "35-44": ["rock", "jazz", "folk"], "45-54": ["jazz", "classical", "folk"],
                "55+": ["classical", "jazz", "folk"]}
    p = np.zeros((N_USERS, N_FACTORS))
    fav = []
    for u in range(N_USERS):
        pref = np.ones(len(genres))
        for g in age_lean[users.loc[u, "age_band"]]:
            pref[genres.index(g)] += 1.0
        k = 1 if rng.random() < 0.5 else 2
        chosen = rng.choice(len(genres), size=k, replace=False, p=pref / pref.sum())
        fav.append(chosen)
        w = rng.dirichlet(np.ones(k)) if k > 1 else np.ones(1)
        p[u] = (w[:, None] * g_vec[chosen]).sum(0) + rng.normal(0, 0.35, N_FACTORS)
    p *= 0.85

    group = artists["group"].to_numpy()[tracks["artist_id"].to_numpy()]
    b_item = rng.normal(0, 0.35, N_TRACKS) + np.where(group == "independent", INDEPENDENT_QUALITY_SHIFT, 0.0)
    b_user = rng.normal(0, 0.35, N_USERS)
    mu = 2.5
    affinity = p @ q.T  # (users, tracks)

    # Exposure (how much the service promotes a track): long-tailed, partly earned (quality)
    # and partly not (label group, career stage) -- the planted bias.
    stage = artists["career_stage"].to_numpy()[tracks["artist_id"].to_numpy()]
    exposure = rng.lognormal(0, 0.9, N_TRACKS) * np.exp(1.0 * b_item)
    exposure *= np.where(group == "independent", INDEPENDENT_EXPOSURE, 1.0)
    exposure *= np.select([stage == "emerging", stage == "veteran"], [0.7, 1.2], 1.0)
    return dict(p=p, q=q, b_item=b_item, b_user=b_user, mu=mu, affinity=affinity, exposure=exposure)


def make_events(rng: np.random.Generator, tracks: pd.DataFrame, users: pd.DataFrame, model: dict) -> pd.DataFrame:
    release = pd.to_datetime(tracks["release_date"]).to_numpy().astype("datetime64[s]").astype(np.int64)
    y0 = int(YEAR_START.timestamp())
    y1 = int(YEAR_END.timestamp())
    score = model["affinity"] + model["b_item"][None, :]
    logits = 2.0 * score + np.log(model["exposure"])[None, :]
    dur = tracks["duration_s"].to_numpy()
    n_events = np.clip(rng.lognormal(np.log(55), 0.8, N_USERS), 5, 400).astype(int)
    out_u, out_t, out_ts, out_sec = [], [], [], []
    for u in range(N_USERS):
        signup = int(pd.Timestamp(users.loc[u, "signup_date"], tz="UTC").timestamp())
        start = max(y0, signup)
        n = n_events[u]
        # sessions: a few start times, events in a session a few minutes apart
        n_sess = max(1, int(np.ceil(n / rng.integers(3, 9))))
        sess_start = np.sort(rng.integers(start, y1 - 3600, n_sess))
        sess_of = np.sort(rng.integers(0, n_sess, n))
        within = np.zeros(n, dtype=np.int64)
        for s in range(n_sess):
            idx = np.flatnonzero(sess_of == s)
            within[idx] = np.cumsum(rng.integers(120, 300, len(idx)))
        ts = sess_start[sess_of] + within
        pu = np.exp(logits[u] - logits[u].max())
        pu /= pu.sum()
        items = rng.choice(N_TRACKS, size=n, p=pu)
        bad = release[items] > ts
        while bad.any():  # a track cannot be played before its release: redraw
            items[bad] = rng.choice(N_TRACKS, size=int(bad.sum()), p=pu)
            bad = release[items] > ts
        # seconds played: liked tracks are mostly played to the end, others skipped early
        like = 1 / (1 + np.exp(-(1.6 * score[u, items] - 0.9)))
        full = rng.random(n) < like
        sec = np.where(full, dur[items], np.maximum(5, (rng.random(n) * 0.5 * dur[items]).astype(int)))
        out_u.append(np.full(n, u))
        out_t.append(items)
        out_ts.append(ts)
        out_sec.append(sec)
    ev = pd.DataFrame(dict(user_id=np.concatenate(out_u), track_id=np.concatenate(out_t),
                           timestamp=np.concatenate(out_ts), seconds_played=np.concatenate(out_sec)))
    ev = ev.sort_values(["timestamp", "user_id", "track_id"], kind="mergesort").reset_index(drop=True)
    return ev


def make_ratings(rng: np.random.Generator, events: pd.DataFrame, users: pd.DataFrame, model: dict) -> pd.DataFrame:
    first = events.groupby(["user_id", "track_id"], sort=True)["timestamp"].min().reset_index()
    raters = rng.random(N_USERS) < 0.75
    keep = raters[first["user_id"].to_numpy()] & (rng.random(len(first)) < 0.8)
    r = first[keep].reset_index(drop=True)
    u = r["user_id"].to_numpy()
    i = r["track_id"].to_numpy()
    true = model["mu"] + model["b_user"][u] + model["b_item"][i] + 2.0 * model["affinity"][u, i]
    raw = true + rng.normal(0, 0.4, len(r))
    r["rating"] = np.clip(np.rint(raw), 1, 5).astype(int)
    r["timestamp"] = r["timestamp"] + rng.integers(60, 3 * 86400, len(r))
    r = r.sort_values(["timestamp", "user_id", "track_id"], kind="mergesort").reset_index(drop=True)
    return r[["user_id", "track_id", "rating", "timestamp"]]


def _iso(seconds: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s") + "Z"


# ---------------------------------------------------------------------------------------
# Audio synthesis
# ---------------------------------------------------------------------------------------
def midi_hz(m: float) -> float:
    return 440.0 * 2 ** ((m - 69) / 12)


def _env(n: int, attack: float, release: float) -> np.ndarray:
    e = np.ones(n)
    a = max(1, min(n, int(attack * SR)))
    r = max(1, min(n - a, int(release * SR))) if n - a > 1 else 0
    e[:a] = np.linspace(0, 1, a, endpoint=False)
    if r:
        e[n - r:] *= np.linspace(1, 0, r)
    return e


def _additive(freq: float, n: int, amps: np.ndarray, vib_depth: float = 0.0, vib_rate: float = 5.5,
              ratios: np.ndarray | None = None, decays: np.ndarray | None = None, phase_rng=None) -> np.ndarray:
    t = np.arange(n) / SR
    inst = np.full(n, freq)
    if vib_depth:
        inst = freq * (1 + vib_depth * np.sin(2 * np.pi * vib_rate * t) * np.clip(t / 0.15, 0, 1))
    phase = 2 * np.pi * np.cumsum(inst) / SR
    ratios = np.arange(1, len(amps) + 1) if ratios is None else ratios
    y = np.zeros(n)
    for k, (ratio, amp) in enumerate(zip(ratios, amps, strict=True)):
        if freq * ratio >= SR / 2 - 500:
            break
        ph = 0.0 if phase_rng is None else phase_rng.uniform(0, 2 * np.pi)
        part = amp * np.sin(ratio * phase + ph)
        if decays is not None:
            part *= np.exp(-decays[k] * t)
        y += part
    return y


def _karplus(freq: float, n: int, rng: np.random.Generator, decay: float, bright: float) -> np.ndarray:
    period = max(2, int(round(SR / freq - 0.5)))
    y = np.zeros(n + period + 1)
    burst = rng.uniform(-1, 1, period + 1)
    if bright < 1:  # darker excitation: one-pole low-pass
        for j in range(1, len(burst)):
            burst[j] = bright * burst[j] + (1 - bright) * burst[j - 1]
    y[: period + 1] = burst - burst.mean()
    s = period + 1
    while s < len(y):
        e = min(s + period, len(y))
        y[s:e] = decay * 0.5 * (y[s - period:e - period] + y[s - period - 1:e - period - 1])
        s = e
    return y[period + 1:]


def render_note(instrument: str, midi: float, dur: float, rng: np.random.Generator) -> np.ndarray:
    """One note of ``instrument`` lasting about ``dur`` seconds (plus its natural ring)."""
    f = midi_hz(midi)
    if instrument in ("acoustic guitar", "harp"):
        n = int((dur + 0.4) * SR)
        y = _karplus(f, n, rng, decay=0.996 if instrument == "acoustic guitar" else 0.998,
                     bright=0.5 if instrument == "acoustic guitar" else 0.9)
        return y * _env(n, 0.002, 0.05)
    if instrument in ("violin", "cello"):
        n = int(dur * SR)
        k = np.arange(1, 16)
        amps = 1 / k * (1 + 0.6 * np.exp(-((k - (4 if instrument == "violin" else 2)) ** 2) / 4))
        y = _additive(f, n, amps, vib_depth=0.005, vib_rate=5.6, phase_rng=rng)
        return y * _env(n, 0.035, 0.06) * (1 + 0.6 * np.exp(-np.arange(n) / (0.08 * SR)))
    if instrument in ("trumpet", "trombone"):
        n = int(dur * SR)
        env = _env(n, 0.025, 0.05)
        t = np.arange(n) / SR
        y = np.zeros(n)
        bright = 0.35 + 0.65 * env
        inst = f * (1 - 0.02 * np.exp(-t / 0.03))  # scoop up into the note
        phase = 2 * np.pi * np.cumsum(inst) / SR
        for k in range(1, 20):
            if f * k >= SR / 2 - 500:
                break
            y += (bright ** (0.5 * k)) * (1.0 / k ** 0.6) * np.sin(k * phase)
        return y * env
    if instrument in ("marimba", "vibraphone", "glockenspiel"):
        spec = {
            "marimba": (np.array([1, 3.93, 9.2]), np.array([1, 0.35, 0.12]), np.array([6, 18, 40]), 0.6),
            "vibraphone": (np.array([1, 4.0, 10.1]), np.array([1, 0.3, 0.1]), np.array([2.2, 8, 25]), 1.0),
            "glockenspiel": (np.array([1, 2.76, 5.40, 8.93]), np.array([1, 0.45, 0.25, 0.12]), np.array([3, 7, 14, 25]), 0.9),
        }[instrument]
        n = int((dur + spec[3]) * SR)
        y = _additive(f, n, spec[1], ratios=spec[0], decays=spec[2])
        if instrument == "vibraphone":
            y *= 1 + 0.25 * np.sin(2 * np.pi * 5.5 * np.arange(n) / SR)
        mallet = rng.normal(0, 1, n) * np.exp(-np.arange(n) / (0.002 * SR)) * 0.3
        return (y + mallet) * _env(n, 0.001, 0.05)
    if instrument == "synth lead":
        n = int(dur * SR)
        k = np.arange(1, 30)
        amps = np.where(k % 2 == 1, 1.0 / k, 0.0)  # square wave
        return _additive(f, n, amps) * _env(n, 0.005, 0.04) * np.exp(-np.arange(n) / (0.6 * SR))
    if instrument == "synth pad":
        n = int(dur * SR)
        k = np.arange(1, 20)
        amps = 1.0 / k * np.exp(-k / 8)
        # a soft sawtooth plus a quieter one an octave up. (Detuned oscillators would sound
        # richer, but their beating makes the loudness pulse at rates a tempo estimator
        # mistakes for the beat.)
        y = _additive(f, n, amps, phase_rng=rng) + 0.4 * _additive(2 * f, n, amps[:8], phase_rng=rng)
        return y * _env(n, 0.03, 0.08) * (0.75 + 0.25 * np.exp(-np.arange(n) / (0.15 * SR)))
    raise ValueError(f"unknown instrument {instrument!r}")


def _kick(rng):
    n = int(0.3 * SR)
    t = np.arange(n) / SR
    f = 45 + 90 * np.exp(-t / 0.04)
    return np.sin(2 * np.pi * np.cumsum(f) / SR) * np.exp(-t / 0.12)


def _snare(rng):
    n = int(0.2 * SR)
    t = np.arange(n) / SR
    noise = rng.normal(0, 1, n)
    noise = np.diff(noise, prepend=0) * 0.6
    return 0.5 * noise * np.exp(-t / 0.05) + 0.5 * np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.04)


def _hat(rng, length=0.04):
    n = int(0.12 * SR)
    t = np.arange(n) / SR
    noise = np.diff(rng.normal(0, 1, n + 1))
    return 0.3 * noise * np.exp(-t / length)


DRUM_PATTERNS = {  # (instrument, position in beats within a 4-beat bar, gain)
    "backbeat": [("kick", 0, 1.0), ("kick", 2, 1.0), ("snare", 1, 0.8), ("snare", 3, 0.8)]
    + [("hat", x / 2, 0.5) for x in range(8)],
    "four_on_floor": [("kick", b, 1.0) for b in range(4)] + [("snare", 1, 0.6), ("snare", 3, 0.6)]
    + [("hat", b, 0.4) for b in range(4)],
    "boom_bap": [("kick", 0, 1.0), ("kick", 2.5, 0.6), ("snare", 1, 0.9), ("snare", 3, 0.9)]
    + [("hat", b, 0.5) for b in range(4)] + [("hat", b + 0.5, 0.15) for b in range(4)],
    "swing": [("kick", b, 0.5) for b in range(4)] + [("ride", b, 0.6) for b in range(4)]
    + [("ride", 1 + 2 / 3, 0.3), ("ride", 3 + 2 / 3, 0.3), ("snare", 1, 0.35), ("snare", 3, 0.35)],
}


def _scale(tonic: int, mode: str) -> list[int]:
    steps = [0, 2, 4, 5, 7, 9, 11] if mode == "major" else [0, 2, 3, 5, 7, 8, 10]
    return [(tonic + s) % 12 for s in steps]


def _chord(tonic: int, mode: str, degree: int) -> list[int]:
    """Pitch classes of the triad on scale degree 0 (I), 3 (IV) or 4 (V); minor V is major."""
    sc = _scale(tonic, mode)
    pcs = [sc[degree % 7], sc[(degree + 2) % 7], sc[(degree + 4) % 7]]
    if mode == "minor" and degree == 4:
        pcs[1] = (tonic + 11) % 12  # raised leading tone (harmonic minor)
    return pcs


def _nearest(pc: int, lo: int, hi: int, target: float) -> int:
    cands = [m for m in range(lo - 12, hi + 13) if m % 12 == pc]
    return min(cands, key=lambda m: (abs(m - target), m))


def render_clip(track: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Render the 4-second clip of one track as float64 in [-1, 1]."""
    n = int(CLIP_SECONDS * SR)
    y = np.zeros(n + 2 * SR)
    inst = track["instrument"]
    lo, hi = INSTRUMENTS[track["instrument_family"]][inst]
    tonic, mode = int(track["tonic_pc"]), track["mode"]
    spec = GENRES[track["genre"]]
    beat = 60.0 / float(track["tempo_bpm"])
    n_beats = int(np.ceil(CLIP_SECONDS / beat)) + 1
    # I-IV-I-V: in a 4-second clip (1-3 bars) the tonic chord dominates and the IV chord
    # (which contains the tonic) comes before the V, so the key is clear from the chroma.
    progression = [0, 3, 0, 4]
    scale = _scale(tonic, mode)
    centre = (lo + hi) / 2
    mel_prev = _nearest(tonic, lo, hi, centre)

    def add(sig, start_s, gain):
        s = int(round(start_s * SR))
        if s >= len(y):
            return
        e = min(len(y), s + len(sig))
        y[s:e] += gain * sig[: e - s]

    for b in range(n_beats):
        bar, pos = divmod(b, 4)
        chord = _chord(tonic, mode, progression[bar % 4])
        t0 = b * beat
        accent = 1.0 if pos == 0 else (0.8 if pos == 2 else 0.7)
        # bass: chord root on every beat, same instrument an octave below the melody
        bass = _nearest(chord[0], lo - 12, lo, lo - 5)
        add(render_note(inst, bass, beat * 0.9, rng), t0, 0.55 * accent)
        # chord on beats 1 and 3
        if pos in (0, 2):
            for pc in chord:
                add(render_note(inst, _nearest(pc, lo, hi, lo + 5), beat * 1.8, rng), t0, 0.22 * accent)
        # melody: chord tones on strong beats, scale steps otherwise; tonic first and last
        split = rng.random() < spec["density"]
        subs = [0.0, 0.5] if split else [0.0]
        for sub in subs:
            if b == 0 and sub == 0:
                m = _nearest(tonic, lo, hi, centre)
            elif sub == 0 and pos in (0, 2):
                m = _nearest(int(rng.choice(chord)), lo, hi, mel_prev)
            else:
                step = int(rng.choice([-2, -1, 1, 2]))
                pcs_near = sorted({_nearest(pc, lo, hi, mel_prev) for pc in scale})
                below = [x for x in pcs_near if x < mel_prev]
                above = [x for x in pcs_near if x > mel_prev]
                seq = below[-2:] + [mel_prev] + above[:2]
                m = seq[int(np.clip(seq.index(mel_prev) + step, 0, len(seq) - 1))]
            m = int(np.clip(m, lo, hi))
            mel_prev = m
            d = beat * (0.5 if split else 1.0)
            add(render_note(inst, m, d * 0.95, rng), t0 + sub * beat, (0.5 if sub == 0 else 0.32) * accent)
    tonal_peak = np.abs(y[:n]).max() + 1e-9
    y /= tonal_peak
    drums = spec["drums"]
    if drums:
        d = np.zeros_like(y)
        hits = DRUM_PATTERNS[drums]
        for bar in range(int(np.ceil(n_beats / 4)) + 1):
            for kind, pos, gain in hits:
                t0 = (bar * 4 + pos) * beat
                if t0 >= CLIP_SECONDS:
                    continue
                sig = {"kick": _kick, "snare": _snare, "hat": _hat}.get(kind)
                sig = sig(rng) if sig else _hat(rng, 0.12)
                s = int(round(t0 * SR))
                e = min(len(d), s + len(sig))
                d[s:e] += gain * sig[: e - s]
        y = 0.65 * y + 0.6 * d
    y = y[:n]
    fade = int(0.02 * SR)
    y[-fade:] *= np.linspace(1, 0, fade)
    return y / (np.abs(y).max() + 1e-9) * PEAK


def to_pcm(y: np.ndarray) -> np.ndarray:
    """Quantise to 16-bit integers whose lowest 16 - AUDIO_BITS bits are zero.

    FLAC stores such "wasted bits" for free, so the clips take about a third less space at
    12-bit resolution (72 dB of dynamic range, plenty for these synthetic sounds).
    """
    step = 2 ** (16 - AUDIO_BITS)
    return (np.round(np.clip(y, -1, 1) * 32767 / step) * step).clip(-32768, 32767).astype(np.int16)


# ---------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------
def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n", float_format="%.8g")


def build(out: Path = HERE, audio: bool = True, verbose: bool = True) -> dict:
    from creative_ai.data.registry import write_manifest

    t_start = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    artists = make_artists(rng)
    tracks = make_tracks(rng, artists)
    users = make_users(rng)
    model = latent_model(rng, artists, tracks, users)
    events = make_events(rng, tracks, users, model)
    ratings = make_ratings(rng, events, users, model)

    plays = np.bincount(events["track_id"], minlength=N_TRACKS)
    tracks["n_plays"] = plays
    tracks["popularity"] = plays / plays.sum()
    tracks["audio_file"] = [f"audio/track_{i:03d}.flac" for i in tracks["track_id"]]
    tracks["release_date"] = pd.to_datetime(tracks["release_date"]).dt.strftime("%Y-%m-%d")
    users_out = users.copy()
    users_out["signup_date"] = pd.to_datetime(users_out["signup_date"]).dt.strftime("%Y-%m-%d")
    events_out = events.copy()
    events_out["timestamp"] = _iso(events_out["timestamp"].to_numpy())
    ratings_out = ratings.copy()
    ratings_out["timestamp"] = _iso(ratings_out["timestamp"].to_numpy())

    track_cols = ["track_id", "title", "artist_id", "genre", "instrument", "instrument_family",
                  "tempo_bpm", "key", "tonic", "tonic_pc", "mode", "has_drums", "duration_s",
                  "release_date", "n_plays", "popularity", "audio_file"]
    _write_csv(artists, out / "artists.csv")
    _write_csv(tracks[track_cols], out / "tracks.csv")
    _write_csv(users_out, out / "users.csv")
    _write_csv(events_out, out / "listening_events.csv")
    _write_csv(ratings_out, out / "ratings.csv")

    if audio:
        import soundfile as sf

        (out / "audio").mkdir(exist_ok=True)
        for _, tr in tracks.iterrows():
            clip_rng = np.random.default_rng([SEED, 7, int(tr["track_id"])])
            y = render_clip(tr, clip_rng)
            sf.write(out / tr["audio_file"], to_pcm(y), SR, format="FLAC", subtype="PCM_16",
                     compression_level=1.0)
            if verbose and tr["track_id"] % 40 == 0:
                print(f"  audio {tr['track_id']}/{N_TRACKS}  {time.time() - t_start:.1f} s", flush=True)
    write_manifest(out)
    info = dict(seconds=time.time() - t_start, n_events=len(events), n_ratings=len(ratings))
    if verbose:
        print(f"built {out}: {N_ARTISTS} artists, {N_TRACKS} tracks, {N_USERS} users, "
              f"{len(events)} events, {len(ratings)} ratings in {info['seconds']:.1f} s")
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    parser.add_argument("--metadata-only", action="store_true", help="rebuild the tables, not the audio")
    args = parser.parse_args(argv)
    build(args.out, audio=not args.metadata_only)


if __name__ == "__main__":
    main()
