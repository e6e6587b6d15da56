"""tools/benchmark.py's best-schedule bound: the shortest time whole notebooks could take on the cores."""

from __future__ import annotations

import itertools
import random
import sys

from course import REPO

sys.path.insert(0, str(REPO / "tools"))
from benchmark import best_schedule_seconds  # noqa: E402


def _brute_force_two_cores(durations: list[float]) -> float:
    best = float("inf")
    for sides in itertools.product((0, 1), repeat=len(durations)):
        loads = [0.0, 0.0]
        for side, duration in zip(sides, durations, strict=True):
            loads[side] += duration
        best = min(best, max(loads))
    return best


def test_two_cores_is_the_best_split_of_whole_jobs():
    # three equal submissions and a blank one: two of them back to back, not the sum over two
    assert best_schedule_seconds([1.4, 6.9, 6.9, 6.9], 2) == 13.8
    assert best_schedule_seconds([3, 3, 2, 2, 2], 2) == 6.0   # longest-first would give 7
    assert best_schedule_seconds([5.0], 2) == 5.0
    assert best_schedule_seconds([], 2) == 0.0
    rng = random.Random(0)
    for _ in range(200):
        durations = [round(rng.uniform(0.1, 20), 1) for _ in range(rng.randint(1, 9))]
        assert abs(best_schedule_seconds(durations, 2) - _brute_force_two_cores(durations)) < 1e-6, durations


def test_never_below_the_plain_limit_nor_the_longest_job():
    rng = random.Random(1)
    for cores in (1, 2, 3, 4):
        for _ in range(50):
            durations = [rng.uniform(0.5, 30) for _ in range(rng.randint(1, 40))]
            best, slack = best_schedule_seconds(durations, cores), 0.005 * len(durations)  # hundredths
            assert best >= max(durations) - slack and best >= sum(durations) / cores - slack
            assert best <= sum(durations) + slack
