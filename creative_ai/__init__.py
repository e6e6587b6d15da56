"""Helpers for the *AI in the Creative Industries* course.

The package holds everything the lessons and labs reuse, one module per concern so a learner
can find the code behind any lesson section:

* :mod:`creative_ai.config` — the fast-mode switch and seeding;
* :mod:`creative_ai.data` — loaders for the bundled and opt-in datasets, checksum-verified;
* :mod:`creative_ai.display` — image grids and captioned audio players;
* :mod:`creative_ai.checks` — self-checks whose failures say what was expected and found;
* :mod:`creative_ai.progress` — progress bars for slow loops;
* :mod:`creative_ai.recsys` (module 01) — ratings as triples, interaction matrices, a
  time-aware split, ALS matrix factorisation and the damped bias baseline, plots and widgets;
* :mod:`creative_ai.audio` (module 02) — plots, key finding (Krumhansl–Schmuckler), the fixed
  feature-evaluation pipeline;
* :mod:`creative_ai.style` (module 03) — feature extractors, pixel optimisation, feed-forward
  stylisers and their figures;
* :mod:`creative_ai.gan` (module 04) — DCGAN networks, a GAN training loop with live pictures,
  the evaluation classifier and shipped generator, distances, coverage and latent-walk figures;
* :mod:`creative_ai.ethics` (module 05) — the feedback-loop simulator, a score-boost
  re-ranker, re-identification, datasheet outlines, FLOP counting and a cited grid intensity;
* :mod:`creative_ai.recipe` — how the grader rebuilds package objects in another process.

It deliberately holds no lab answers: graded functions live only in the lab source notebooks.
"""

from creative_ai.config import fast_mode, pick, seed_everything

__version__ = "0.1.0"
__all__ = ["fast_mode", "pick", "seed_everything", "__version__"]
