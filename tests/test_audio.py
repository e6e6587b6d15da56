"""Tests for creative_ai.audio: plots carry units, clicks line up, the evaluation pipeline is
fixed, split by group, and refuses bad feature matrices with clear messages."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from creative_ai import audio  # noqa: E402
from creative_ai.data.music import PITCH_CLASSES  # noqa: E402

SR = 22050


def _sine(freq=440.0, seconds=1.0, sr=SR):
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype(np.float32)


def test_plot_waveform_has_time_axis_in_seconds():
    ax = audio.plot_waveform(_sine(), SR, start=0.1, end=0.2, title="sine")
    xmin, xmax = ax.get_xlim()
    assert ax.get_xlabel() == "time (s)" and ax.get_title() == "sine"
    assert xmin == pytest.approx(0.1, abs=1 / SR) and xmax == pytest.approx(0.2, abs=2 / SR)
    plt.close("all")


def test_plot_waveform_rejects_bad_input():
    with pytest.raises(ValueError, match="mono signal"):
        audio.plot_waveform(np.zeros((2, 10)), SR)
    with pytest.raises(ValueError, match="sr must be"):
        audio.plot_waveform(np.zeros(10), 0)
    with pytest.raises(ValueError, match="start < end"):
        audio.plot_waveform(np.zeros(100), SR, start=0.5, end=0.1)


def test_plot_spectrogram_labels_frequency_in_hz_and_time_in_seconds():
    S = np.abs(np.fft.rfft(np.random.default_rng(0).standard_normal((20, 512)), axis=1)).T  # (257, 20)
    ax = audio.plot_spectrogram(S, SR, hop_length=256, title="noise")
    assert ax.get_ylabel() == "frequency (Hz)" and ax.get_xlabel() == "time (s)"
    assert ax.get_xlim()[1] == pytest.approx(20 * 256 / SR, rel=0.05)
    assert ax.get_ylim()[1] == pytest.approx(SR / 2, rel=0.05)
    with pytest.raises(ValueError, match="2-D"):
        audio.plot_spectrogram(np.zeros(5), SR, 256)
    plt.close("all")


def test_with_clicks_keeps_length_and_adds_energy_at_beats():
    y = np.zeros(SR * 2, dtype=np.float32)  # silence: only the clicks remain
    mixed = audio.with_clicks(y, SR, [0.5, 1.5])
    assert mixed.shape == y.shape and np.abs(mixed).max() <= 0.9 + 1e-6
    loud = np.abs(mixed) > 0.1
    assert loud[int(0.5 * SR): int(0.55 * SR)].any() and loud[int(1.5 * SR): int(1.55 * SR)].any()
    assert not loud[int(0.9 * SR): int(1.1 * SR)].any()


def test_feature_matrix_stacks_and_names_the_bad_clip():
    clips = [(_sine(220), SR), (_sine(440), SR)]
    X = audio.feature_matrix(lambda y, sr: np.array([y.std(), np.abs(y).max()]), clips)
    assert X.shape == (2, 2)
    with pytest.raises(ValueError, match="clip 1: expected 1 features"):
        audio.feature_matrix(lambda y, sr: np.ones(1 if sr and y[5] == clips[0][0][5] else 2), clips)
    def clip_features(y, sr):
        return np.array([1.0, np.nan, np.inf])

    with pytest.raises(ValueError, match=r"clip 0: clip_features returned NaN or infinite values at positions \[1, 2\]"):
        audio.feature_matrix(clip_features, clips)


def test_evaluate_features_splits_by_group_and_reports_baseline():
    rng = np.random.default_rng(0)
    labels = np.repeat(["a", "b", "c"], 20)
    groups = np.arange(60) // 3  # 20 groups of 3 clips
    separable = np.eye(3)[np.repeat([0, 1, 2], 20)] * 5 + rng.normal(0, 0.3, (60, 3))
    result = audio.evaluate_features(separable, labels, groups)
    assert result.accuracy == pytest.approx(1.0)
    assert result.confusion.sum() == 60 and list(result.classes) == ["a", "b", "c"]
    assert result.majority_baseline == pytest.approx(1 / 3)
    assert len(result.fold_accuracies) == 5
    # features that identify only the group cannot beat chance on held-out groups
    group_only = np.eye(20)[groups]
    assert audio.evaluate_features(group_only, labels, groups).accuracy <= 0.5


def test_evaluate_features_refuses_nan_and_mismatched_lengths():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="one label and one group"):
        audio.evaluate_features(X, ["a"] * 9, range(10))
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite values in 1 rows"):
        audio.evaluate_features(X, ["a", "b"] * 5, range(10))


def test_plot_confusion_checks_shape():
    ax = audio.plot_confusion(np.array([[3, 1], [0, 4]]), ["x", "y"])
    assert ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"
    with pytest.raises(ValueError, match="square"):
        audio.plot_confusion(np.zeros((2, 3)), ["x", "y"])
    plt.close("all")


# ------------------------------------------------------------------ key finding


def _pearson(a, b):
    a, b = np.asarray(a, float) - np.mean(a), np.asarray(b, float) - np.mean(b)
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def test_key_profiles_are_krumhansl_kessler_1982():
    # tonic, dominant, mediant: the highest ratings, as in the published probe-tone data
    major, minor = audio.KRUMHANSL_KESSLER_MAJOR, audio.KRUMHANSL_KESSLER_MINOR
    assert list(np.argsort(-major)[:3]) == [0, 7, 4] and list(np.argsort(-minor)[:3]) == [0, 3, 7]
    # ratings on a 1-7 scale; the diatonic notes outrank the chromatic ones in major
    assert major.min() > 1 and major.max() < 7 and minor.min() > 1 and minor.max() < 7
    diatonic = [0, 2, 4, 5, 7, 9, 11]
    assert major[diatonic].min() > np.delete(major, diatonic).max()


def test_key_scores_match_a_brute_force_correlation_and_rotate_with_the_input():
    rng = np.random.default_rng(0)
    profile = rng.random(12)
    scores = audio.key_scores(profile)
    assert len(scores) == 24 and list(scores)[:3] == ["C major", "C minor", "C# major"]
    for tonic, name in enumerate(PITCH_CLASSES):
        shifted_major = [audio.KRUMHANSL_KESSLER_MAJOR[(pc - tonic) % 12] for pc in range(12)]
        assert scores[f"{name} major"] == pytest.approx(_pearson(profile, shifted_major))
    # transposing the music by 3 semitones moves the estimated tonic by 3
    best = audio.estimate_key(profile)
    moved = audio.estimate_key(np.roll(profile, 3))
    assert PITCH_CLASSES.index(moved.split()[0]) == (PITCH_CLASSES.index(best.split()[0]) + 3) % 12
    assert moved.split()[1] == best.split()[1]


def test_estimate_key_finds_scales_and_averages_a_chromagram():
    c_major_scale = np.isin(np.arange(12), [0, 2, 4, 5, 7, 9, 11]).astype(float)
    c_major_scale[0] += 1.0                                   # the tonic sounds most
    assert audio.estimate_key(c_major_scale) == "C major"
    a_minor = np.roll(np.isin(np.arange(12), [0, 2, 3, 5, 7, 8, 10]).astype(float), 9)
    a_minor[9] += 1.0
    assert audio.estimate_key(a_minor) == "A minor"
    frames = np.repeat(np.roll(c_major_scale, 7)[:, None], 5, axis=1)  # (12, 5): G major
    assert audio.estimate_key(frames) == "G major"
    with pytest.raises(ValueError, match="shape"):
        audio.key_scores(np.ones(11))
    with pytest.raises(ValueError, match="silence"):
        audio.key_scores(np.zeros(12))


def test_chromagram_axis_names_all_twelve_pitch_classes():
    ax = audio.plot_spectrogram(np.random.default_rng(1).random((12, 30)), SR, 512, y_axis="chroma", to_db=False)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PITCH_CLASSES)


def test_spectrogram_colour_bar_says_what_the_colours_mean():
    values = np.random.default_rng(2).random((64, 20)) * -80
    ax = audio.plot_spectrogram(values, SR, 512, y_axis="mel", to_db=False, colorbar_label="level (dB re max)")
    colour_bar = ax.figure.axes[-1]
    assert colour_bar.get_ylabel() == "level (dB re max)"
    ax = audio.plot_spectrogram(np.abs(values), SR, 512)
    assert ax.figure.axes[-1].get_ylabel() == "level (dB re max)"
