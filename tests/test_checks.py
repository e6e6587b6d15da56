"""Self-check messages give context: where an element differs, why a NaN appears, and which
task produced a bad value (creative_ai.checks)."""

from __future__ import annotations

import numpy as np
import pytest

from creative_ai.checks import CheckFailed, check_close, check_finite


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_index_names_say_what_an_index_means():
    got = np.zeros((3, 4))
    want = got.copy()
    want[2, 1] = 1.0
    message = _message(check_close, "filter bank", got, want, index_names=("filter", "FFT bin"))
    assert "at filter 2, FFT bin 1" in message and "expected 1" in message and "got 0" in message
    message = _message(check_close, "RMS per frame", [0.1, 0.2, 0.3], [0.1, 0.2, 0.5], index_names=("frame",))
    assert "at frame 2" in message
    # without names (or with the wrong number of them) the plain index is given
    assert "at index (2,)" in _message(check_close, "v", [0.0, 0.0, 1.0], [0.0, 0.0, 0.0])
    assert "at index (2,)" in _message(check_close, "v", [0.0, 0.0, 1.0], [0.0, 0.0, 0.0], index_names=("a", "b"))


def test_a_nan_names_its_usual_causes_and_the_task_hint():
    message = _message(check_close, "NDCG", float("nan"), 0.63, nan_hint="ranks must start at 1: log2(1) = 0")
    assert "got nan" in message and "0/0" in message and "log2(1) = 0" in message
    message = _message(check_close, "novelty per item", [1.0, np.inf], [1.0, 2.0], index_names=("item",))
    assert "got inf at item 1" in message and "log(0)" in message
    # expected NaN is not a surprise: equal NaNs pass
    check_close("v", [np.nan, 1.0], [np.nan, 1.0])


def test_check_finite_points_back_to_the_task():
    check_finite("scores", np.arange(5.0))
    message = _message(check_finite, "NDCG@10 per listener", [0.2, np.nan, np.nan], source="ndcg_at_k (Task 5)")
    assert "got nan at index (1,)" in message and "2 of 3 values" in message
    assert "come from ndcg_at_k (Task 5)" in message and "self-check" in message
    assert "got inf" in _message(check_finite, "x", float("inf"))
    assert "expected numbers" in _message(check_finite, "x", "abc")
