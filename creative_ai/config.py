"""Fast-mode switch and seeding.

Fast mode shrinks epochs, steps and image sizes so that every notebook runs in well under
90 seconds. It is on when any of these holds:

* ``CREATIVE_AI_FAST`` is set to ``1``/``true``/``yes``/``on`` (``0``/``false``/``no``/``off``
  forces it off, whatever else is set);
* nbgrader is executing the notebook (it sets ``NBGRADER_EXECUTION``);
* the code runs under pytest (``PYTEST_CURRENT_TEST`` is set).
"""

from __future__ import annotations

import os
import random
import sys
from typing import TypeVar

import numpy as np

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def fast_mode() -> bool:
    """Return True when notebooks should use their small, fast settings.

    Read afresh on every call, so a notebook cell can change ``CREATIVE_AI_FAST`` and see
    the effect without restarting the kernel.
    """
    explicit = os.environ.get("CREATIVE_AI_FAST", "").strip().lower()
    if explicit in _TRUE:
        return True
    if explicit in _FALSE:
        return False
    if explicit:
        raise ValueError(
            f"CREATIVE_AI_FAST must be one of {sorted(_TRUE | _FALSE)}, got {explicit!r}"
        )
    return bool(os.environ.get("NBGRADER_EXECUTION") or os.environ.get("PYTEST_CURRENT_TEST"))


def pick(*, fast: T, full: T) -> T:
    """Choose a setting: ``fast`` in fast mode, ``full`` otherwise.

    Example: ``epochs = pick(fast=2, full=30)``.
    """
    return fast if fast_mode() else full


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python, NumPy and torch; return a NumPy Generator seeded the same way.

    Seeding all three makes a notebook give the same numbers on every run. torch is seeded
    only when it has already been imported (importing it costs seconds, and lessons that
    do not use it should not pay that): import torch before calling this.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__} {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True, warn_only=True)
    return np.random.default_rng(seed)
