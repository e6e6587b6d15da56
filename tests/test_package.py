"""Unit tests of the helper package: fast mode, seeding, self-checks, display helpers."""

from __future__ import annotations

import random

import matplotlib
import numpy as np
import pytest

from creative_ai import config
from creative_ai.checks import (
    CheckFailed,
    check_close,
    check_dtype,
    check_equal,
    check_shape,
    check_true,
    check_type,
)
from creative_ai.display import audio_player, image_grid

matplotlib.use("Agg")


# ------------------------------------------------------------------ fast mode and seeding


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, False),
        ({"NBGRADER_EXECUTION": "autograde"}, True),
        ({"PYTEST_CURRENT_TEST": "x"}, True),
        ({"CREATIVE_AI_FAST": "1"}, True),
        ({"CREATIVE_AI_FAST": "yes"}, True),
        ({"CREATIVE_AI_FAST": "0", "NBGRADER_EXECUTION": "autograde"}, False),
        ({"CREATIVE_AI_FAST": "off", "PYTEST_CURRENT_TEST": "x"}, False),
    ],
)
def test_fast_mode_switch(monkeypatch, env, expected):
    for name in ("CREATIVE_AI_FAST", "NBGRADER_EXECUTION", "PYTEST_CURRENT_TEST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config.fast_mode() is expected
    assert config.pick(fast="small", full="big") == ("small" if expected else "big")


def test_fast_mode_rejects_unclear_values(monkeypatch):
    monkeypatch.setenv("CREATIVE_AI_FAST", "maybe")
    with pytest.raises(ValueError, match="CREATIVE_AI_FAST must be one of"):
        config.fast_mode()


def test_seed_everything_repeats_numbers():
    first = config.seed_everything(123)
    a = (random.random(), np.random.rand(), first.random())
    second = config.seed_everything(123)
    b = (random.random(), np.random.rand(), second.random())
    assert a == b
    third = config.seed_everything(124)
    assert third.random() != a[2]


def test_seed_everything_seeds_torch_when_imported():
    torch = pytest.importorskip("torch")
    config.seed_everything(5)
    x = torch.rand(3)
    config.seed_everything(5)
    assert torch.equal(x, torch.rand(3))


@pytest.mark.parametrize("bad", [1.5, "7", None, True, -1, 2**32])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises((TypeError, ValueError), match="seed must be"):
        config.seed_everything(bad)


# ------------------------------------------------------------------ self-check helpers


def test_check_shape_names_expected_and_found():
    check_shape("X", np.zeros((3, 4)), (3, None))
    with pytest.raises(CheckFailed, match=r"expected shape \(3, 3\), got \(3,\)"):
        check_shape("X", np.zeros(3), (3, 3))
    with pytest.raises(CheckFailed, match=r"expected an array of shape"):
        check_shape("X", [1, 2, 3], (3,))


def test_check_dtype():
    check_dtype("x", np.zeros(2, dtype=np.float32), "f")
    check_dtype("x", np.zeros(2, dtype=np.int64), "iu")
    with pytest.raises(CheckFailed, match="expected a float dtype, got int64"):
        check_dtype("x", np.zeros(2, dtype=np.int64), "f")
    with pytest.raises(CheckFailed, match="expected an array of dtype kind"):
        check_dtype("x", 3.0, "f")


def test_check_close_reports_first_difference_and_tolerance():
    check_close("v", [1.0, 2.0], np.array([1.0, 2.0 + 1e-12]))
    with pytest.raises(CheckFailed) as info:
        check_close("v", [1.0, 2.5, 3.0], [1.0, 2.0, 3.0], rtol=1e-3, atol=0)
    message = str(info.value)
    assert "expected 2" in message and "got 2.5" in message and "index (1,)" in message
    assert "1 of 3 values differ" in message
    with pytest.raises(CheckFailed, match=r"expected shape \(2,\), got \(3,\)"):
        check_close("v", [1, 2, 3], [1, 2])
    with pytest.raises(CheckFailed, match="NaN"):
        check_close("v", [np.nan], [1.0])
    with pytest.raises(CheckFailed, match="expected numbers"):
        check_close("v", "abc", 1.0)


def test_check_equal_type_and_true():
    check_equal("ids", [1, 2], [1, 2])
    check_equal("ids", np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(CheckFailed, match=r"expected \[1, 2\], got \[2, 1\]"):
        check_equal("ids", [2, 1], [1, 2])
    with pytest.raises(CheckFailed):
        check_equal("ids", np.array([1, 2, 3]), np.array([1, 2]))
    check_type("x", 1.0, (int, float))
    with pytest.raises(CheckFailed, match="expected a int or float, got str"):
        check_type("x", "1", (int, float))
    with pytest.raises(CheckFailed, match="custom message"):
        check_true(False, "custom message")
    assert issubclass(CheckFailed, AssertionError)  # nbgrader counts it as a failed test


# ------------------------------------------------------------------ display helpers


def test_image_grid_draws_every_image_with_titles():
    images = [np.zeros((8, 8)), np.ones((8, 8, 3)), np.full((8, 8, 3), 200, dtype=np.uint8)]
    fig = image_grid(images, titles=["a", "b", "c"], ncols=2, suptitle="grid")
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 3
    assert [ax.get_title() for ax in shown] == ["a", "b", "c"]
    assert len(fig.axes) == 4  # 2 x 2 grid, the last one empty


def test_image_grid_maps_gan_range_and_channel_first():
    torch = pytest.importorskip("torch")
    fig = image_grid([torch.full((3, 4, 4), -1.0)])
    data = fig.axes[0].images[0].get_array()
    assert data.shape == (4, 4, 3) and float(data.max()) == 0.0


@pytest.mark.parametrize(
    "images, kwargs, message",
    [
        ([], {}, "at least one image"),
        ([np.zeros((4, 4, 2))], {}, r"expected shape \(H, W\)"),
        ([np.full((4, 4), 5.0)], {}, r"must lie in \[0, 1\]"),
        ([np.zeros((4, 4))], {"titles": ["a", "b"]}, "expected 1 titles"),
        ([np.zeros((4, 4))], {"ncols": 0}, "ncols must be at least 1"),
    ],
)
def test_image_grid_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        image_grid(images, **kwargs)


def test_audio_player_states_sample_rate():
    sr = 22050
    y = np.sin(2 * np.pi * 440 * np.arange(sr) / sr)
    player = audio_player(y, sr, title="A4 sine")
    html = player._repr_html_()
    assert "22,050 Hz" in html and "1.0 s" in html and "A4 sine" in html and "<audio" in html


@pytest.mark.parametrize(
    "y, sr, message",
    [
        (np.zeros(0), 22050, "non-empty signal"),
        (np.zeros((2, 2, 2)), 22050, "non-empty signal"),
        (np.zeros(10), 0, "sr must be a positive integer"),
        (np.zeros(10), 22050.0, "sr must be a positive integer"),
        (np.array([0.0, np.nan]), 22050, "NaN"),
    ],
)
def test_audio_player_rejects_bad_input(y, sr, message):
    with pytest.raises(ValueError, match=message):
        audio_player(y, sr)
