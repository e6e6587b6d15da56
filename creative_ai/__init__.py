"""Helpers for the *AI in the Creative Industries* course.

The package holds everything the lessons and labs reuse: data loaders with checksum
verification (:mod:`creative_ai.data`), display helpers for images and sound
(:mod:`creative_ai.display`), self-check helpers with readable failure messages
(:mod:`creative_ai.checks`) and the fast-mode switch and seeding (:mod:`creative_ai.config`).

It deliberately holds no lab answers: graded functions live only in the lab source notebooks.
"""

from creative_ai.config import fast_mode, pick, seed_everything

__version__ = "0.1.0"
__all__ = ["fast_mode", "pick", "seed_everything", "__version__"]
