"""Tests for creative_ai.audio: plots carry units, clicks line up, the evaluation pipeline is
fixed, split by group, and refuses bad feature matrices with clear messages."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from creative_ai import audio  # noqa: E402

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
    with pytest.raises(ValueError, match="clip 0: the feature vector contains NaN"):
        audio.feature_matrix(lambda y, sr: np.array([np.nan]), clips)


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
