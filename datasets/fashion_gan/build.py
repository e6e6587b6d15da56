"""Build (or verify) the course's conditional garment generator (see MODEL_CARD.md here).

    python datasets/fashion_gan/build.py            # verify the committed weights (seconds)
    python datasets/fashion_gan/build.py --retrain  # train again (about 3 min of CPU) and rewrite

``make data`` runs the first form: it checks ``conditional_generator.npz`` against
``SHA256SUMS``, measures the model with the course's evaluation classifier and prints the
figures, and never retrains. ``--retrain`` calls
:func:`creative_ai.gan.train_conditional_gan` with :data:`creative_ai.gan.SHIPPED_SETTINGS`
on the 10,000 training garments (one CPU thread, fixed seeds), measures the model after
every epoch, and writes

* ``conditional_generator.npz``: the generator's weights (NumPy arrays named as in its state
  dict; load with ``allow_pickle=False`` — :func:`creative_ai.gan.load_fashion_generator`
  does);
* ``training_log.csv``: per epoch, the losses and the measurements below;
* ``SHA256SUMS``.

The discriminator is not shipped: it is only needed for training.

Measurements (the same ones the model card reports), on 1,000 samples — 100 per category,
prints drawn with the catalogue's frequencies, a fixed seed:

* ``recognised``: share the evaluation classifier recognises as a garment (any category, not
  "not a garment"), the measure of lesson 04's target;
* ``category_recognised``: share the evaluation classifier assigns to the requested category;
* ``category_and_print_recognised``: requested category and requested print;
* ``frechet``: Fréchet distance between the classifier's features of the samples and of
  1,000 training garments (ε = 1e-6 added to both covariances);
* ``frechet_real``: the same for 1,000 held-out real garments (the floor at this sample size).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.registry import sha256_of, write_manifest  # noqa: E402

WEIGHTS = "conditional_generator.npz"
N_EVAL = 1000


def frechet(features_a, features_b, eps: float = 1e-6) -> float:
    from scipy.linalg import sqrtm

    mu_a, mu_b = features_a.mean(0), features_b.mean(0)
    cov_a, cov_b = np.cov(features_a, rowvar=False), np.cov(features_b, rowvar=False)
    offset = eps * np.eye(len(mu_a))
    root = sqrtm((cov_a + offset) @ (cov_b + offset)).real
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(root))


class Evaluator:
    """Measures a conditional generator as described in the module docstring."""

    def __init__(self):
        from creative_ai import gan
        from creative_ai.data import load_garments

        self.gan = gan
        self.classifier = gan.load_classifier()
        train_images, train_items = load_garments("train")
        test_images, _ = load_garments("test")
        self.reference = gan.classifier_features(self.classifier, train_images[-N_EVAL:])
        self.real = gan.classifier_features(self.classifier, test_images[:N_EVAL])
        self.categories = np.arange(N_EVAL) % 10
        self.prints = train_items["print"].sample(N_EVAL, replace=True, random_state=0).to_numpy()

    def __call__(self, generator) -> dict[str, float]:
        gan = self.gan
        samples = gan.generate(generator, N_EVAL, category=self.categories, print=self.prints, seed=2026)
        seen = gan.classify(self.classifier, samples)
        category_ok = seen.category == self.categories
        print_ok = np.asarray(gan.PRINT_NAMES)[seen.print] == self.prints
        return {"recognised": round(float(np.mean(seen.recognised)), 4),
                "category_recognised": round(float(np.mean(category_ok)), 4),
                "category_and_print_recognised": round(float(np.mean(category_ok & print_ok)), 4),
                "frechet": round(frechet(gan.classifier_features(self.classifier, samples), self.reference), 2),
                "frechet_real": round(frechet(self.real, self.reference), 2)}


def _nearest(samples: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Euclidean distance from each row of ``samples`` to its nearest row of ``pool``."""
    import torch

    a = torch.from_numpy(samples.reshape(len(samples), -1)).double()
    b = torch.from_numpy(pool.reshape(len(pool), -1)).double()
    return torch.cdist(a, b).min(dim=1).values.numpy()


def _audit(samples: np.ndarray, pool: np.ndarray, held_out: np.ndarray) -> tuple[float, float, float]:
    """Lesson 04's memorisation audit: median nearest-neighbour distance of generated and of
    held-out images to the training pool, and the share of generated images closer than the
    closest 1 % of held-out ones."""
    generated, real = _nearest(samples, pool), _nearest(held_out, pool)
    return float(np.median(generated)), float(np.median(real)), float(np.mean(generated < np.quantile(real, 0.01)))


def card_figures(evaluate: Evaluator, generator) -> list[str]:
    """Every figure MODEL_CARD.md quotes, formatted as it quotes them (tests check the card
    contains each one, so card and weights cannot drift apart)."""
    from creative_ai.data import load_garments

    gan = evaluate.gan
    test_images, test_items = load_garments("test")
    held_out = gan.classify(evaluate.classifier, test_images)
    print_ids = test_items["print"].map({p: i for i, p in enumerate(gan.PRINT_NAMES)}).to_numpy()
    scores = evaluate(generator)
    samples = gan.generate(generator, N_EVAL, category=evaluate.categories, print=evaluate.prints, seed=2026)
    seen = gan.classify(evaluate.classifier, samples)
    category_ok = seen.category == evaluate.categories
    both_ok = category_ok & (np.asarray(gan.PRINT_NAMES)[seen.print] == evaluate.prints)
    figures = [
        f"{np.mean(held_out.category == test_items['category_id'].to_numpy()):.1%} for category",
        f"{np.mean(held_out.print == print_ids):.1%} for print",
        f"| recognised as a garment (any category) | {scores['recognised']:.1%} |",
        f"| recognised as the requested category | {scores['category_recognised']:.1%} |",
        f"| recognised as the requested category **and** print | {scores['category_and_print_recognised']:.1%} |",
        f"(classifier features) | {scores['frechet']:.1f} |",
        f"(the floor at this sample size) | {scores['frechet_real']:.1f} |",
    ]
    figures += [f"{name} {np.mean(category_ok[evaluate.categories == c]):.0%}"
                for c, name in enumerate(gan.CATEGORY_NAMES)]
    figures += [f"{name} {np.mean(both_ok[evaluate.prints == name]):.0%}" for name in gan.PRINT_NAMES]
    train_images, _ = load_garments("train")
    pixels = _audit(gan.to_tensor(gan.to_uint8(samples)).numpy(), gan.to_tensor(train_images).numpy(),
                    gan.to_tensor(test_images[:N_EVAL]).numpy())
    features = _audit(gan.classifier_features(evaluate.classifier, samples),
                      gan.classifier_features(evaluate.classifier, train_images), evaluate.real)
    figures += [f"{pixels[0]:.2f} (pixel space", f"against {pixels[1]:.2f} for held-out",
                f"{pixels[2]:.1%} of generated garments are closer",
                f"medians {features[0]:.2f} and {features[1]:.2f}, {features[2]:.1%})"]
    return figures


def train(out: Path) -> None:
    import pandas as pd
    import torch

    from creative_ai import gan
    from creative_ai.data import load_garments

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    settings = gan.SHIPPED_SETTINGS
    images, items = load_garments("train")
    evaluate = Evaluator()
    log = []
    steps_per_epoch = len(images) // settings["batch_size"]

    def after_epoch(step, generator, history):
        start, start_cpu = time.perf_counter(), time.process_time()
        row = {"epoch": step // steps_per_epoch, "step": step,
               "d_loss": round(float(np.mean(history.d_loss[-steps_per_epoch:])), 4),
               "g_loss": round(float(np.mean(history.g_loss[-steps_per_epoch:])), 4),
               **evaluate(generator), "train_seconds": round(history.seconds, 1)}
        row["eval_seconds"] = round(time.perf_counter() - start, 1)
        row["eval_cpu_seconds"] = round(time.process_time() - start_cpu, 1)
        log.append(row)
        print(row, flush=True)

    start_cpu = time.process_time()
    generator, discriminator, history = gan.train_conditional_gan(
        images, items, **settings, callback=after_epoch, progress_bar=False)
    cpu = time.process_time() - start_cpu
    flops = gan.flops_per_step(generator, discriminator, settings["batch_size"], n_conditions=gan.N_CONDITIONS)
    gan.save_weights(generator, out / WEIGHTS)
    table = pd.DataFrame(log)
    table.drop(columns=["train_seconds", "eval_seconds", "eval_cpu_seconds"]).to_csv(out / "training_log.csv", index=False,
                                                                 lineterminator="\n")
    train_seconds = table["train_seconds"].iloc[-1]
    train_cpu = cpu - table["eval_cpu_seconds"].sum()
    print(f"steps {history.steps}; training {train_seconds:.0f} s wall-clock (plus "
          f"{table['eval_seconds'].sum():.0f} s of measurements), {train_cpu:.0f} s of CPU for training; "
          f"{flops:.4g} FLOPs per step, {flops * history.steps:.4g} FLOPs in total")


def verify() -> None:
    from creative_ai import gan
    from creative_ai.data import verify_dataset

    verify_dataset(HERE.name)
    evaluate = Evaluator()
    generator = gan.load_fashion_generator()
    scores = evaluate(generator)
    print(f"{WEIGHTS} matches SHA256SUMS ({sha256_of(HERE / WEIGHTS)[:12]}…); on {N_EVAL} samples: "
          + ", ".join(f"{k} {v}" for k, v in scores.items()))
    for figure in card_figures(evaluate, generator):
        print(f"card: {figure}")
    print("(weights are not retrained by `make data`; run this script with --retrain to train them again)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retrain", action="store_true", help="train again (minutes) and rewrite the files")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to (default: next to this file)")
    args = parser.parse_args()
    if args.retrain:
        args.out.mkdir(parents=True, exist_ok=True)
        train(args.out)
        write_manifest(args.out)
    else:
        verify()


if __name__ == "__main__":
    main()
