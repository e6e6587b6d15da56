"""Calibrate lab 04's train_gan check: run its graded training for many loops and seeds.

For every correct loop design (the lab's solution and tests/grading/lab04_fashion_gan/
right_answers/train_gan__*.py) and every broken one (wrong_answers/train_gan__*.py), train
the course's reference networks exactly as the test cell does (6,400 garments, 7 epochs,
batch 64, lr 0.002), with train_gan's seed 0, 1, 2, ..., and print the share of 500 samples the
evaluation classifier recognises and the number of categories with >= 10 samples. The lab's
threshold must sit below every correct run and above every broken one that is meant to fail
this check; the margins are printed at the end.

    nice -n 10 .venv/bin/python tools/calibrate_train_gan.py --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn  # noqa: F401 (answers may use it)
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from submissions import strip_solution_markers  # noqa: E402

from creative_ai import gan  # noqa: E402
from creative_ai.data import load_garments  # noqa: E402

LAB = REPO / "labs" / "lab04_fashion_gan" / "lab04_fashion_gan.ipynb"
CASES = REPO / "tests" / "grading" / "lab04_fashion_gan"


def solution_sources() -> dict[str, str]:
    cells = json.loads(LAB.read_text())["cells"]
    out = {}
    for cell in cells:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in ("discriminator_loss", "generator_loss", "train_gan"):
            out[grade_id] = strip_solution_markers("".join(cell["source"]))
    return out


GENERATOR_FIRST_SEQUENTIAL = """
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    torch.manual_seed(seed)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    generator.train()
    discriminator.train()
    for _ in range(epochs):
        order = torch.randperm(len(images))
        for start in range(0, len(images) - batch_size + 1, batch_size):
            real = images[order[start:start + batch_size]]
            z = torch.randn(len(real), generator.latent_dim)
            g_loss = generator_loss(discriminator(generator(z)))          # 1. the generator first
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            fake = generator(torch.randn(len(real), generator.latent_dim)).detach()  # 2. D on the new G's fakes
            d_loss = discriminator_loss(discriminator(real), discriminator(fake))
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
    return generator
"""


def designs() -> list[tuple[str, str, str]]:
    solution = solution_sources()
    found = [("right", "solution", solution["train_gan"])]
    # a broken loop that Task 5 does not grade (Task 4's check catches the saturating loss): measured
    # to show how close it comes to the threshold
    saturating = solution["train_gan"].replace(
        "g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))",
        "g_loss = -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))")
    assert saturating != solution["train_gan"]
    found.append(("ungraded", "saturating_loss", saturating))
    # One more correct design, measured here only (each corpus answer costs a whole graded lab 04
    # submission in the test suite; own_loss_functions and generator_first give the same training
    # as the solution and simultaneous): a genuinely sequential generator-first loop, whose
    # discriminator step sees fakes from the *updated* generator. (A fresh z from torch's global
    # generator trains exactly as fresh_z_no_grad's seeded torch.Generator: not a design of its own.)
    found.append(("right", "calibration_generator_first_sequential", GENERATOR_FIRST_SEQUENTIAL))
    for kind, folder in (("right", "right_answers"), ("wrong", "wrong_answers")):
        for path in sorted((CASES / folder).glob("train_gan__*.py")):
            found.append((kind, path.stem.split("__", 1)[1], path.read_text()))
    return found


# What the lab's test cell does (kept in step with it by tests/test_quoted_numbers.py).
SETTINGS = {"images": 6400, "epochs": 7, "batch_size": 64, "lr": 0.002, "samples": 500, "threshold": 0.2}
RECORD = CASES / "train_gan_calibration.json"


def train(source: str, seed: int, images) -> tuple[float, int]:
    namespace = {"torch": torch, "F": F, "nn": torch.nn, "np": np, "gan": gan}
    helpers = solution_sources()
    exec(helpers["discriminator_loss"], namespace)  # the learner's Task 3-4 functions, correct
    exec(helpers["generator_loss"], namespace)
    exec(source, namespace)
    g0 = gan.make_generator(latent_dim=32, width=16, seed=1)
    d0 = gan.make_discriminator(width=16, seed=2)
    trained = namespace["train_gan"](g0, d0, images, epochs=SETTINGS["epochs"], batch_size=SETTINGS["batch_size"],
                                     lr=SETTINGS["lr"], seed=seed)
    g = gan.make_generator(latent_dim=32, width=16, seed=1)
    g.load_state_dict(dict(trained.state_dict()))
    seen = gan.classify(gan.load_classifier(), gan.generate(g, SETTINGS["samples"], seed=123))
    kinds = int((np.bincount(seen.category, minlength=11)[:10] >= 10).sum())
    return float(np.mean(seen.recognised)), kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--only", nargs="*", help="design names to run (default: all)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the runs to this file (a part of the record)")
    parser.add_argument("--merge", type=Path, nargs="+", metavar="PART",
                        help="only merge --json parts into the record (tests/grading/lab04_fashion_gan/"
                             "train_gan_calibration.json), which tests/test_quoted_numbers.py checks the lab against")
    args = parser.parse_args()
    if args.merge:
        merge(args.merge)
        return
    torch.set_num_threads(args.threads)
    images = gan.to_tensor(load_garments("train")[0][:SETTINGS["images"]])
    results = []
    for kind, name, source in designs():
        if args.only and name not in args.only:
            continue
        for seed in args.seeds:
            start = time.perf_counter()
            try:
                rate, kinds = train(source, seed, images)
                outcome = f"{rate:6.1%} recognised, {kinds:2d} categories"
            except Exception as error:  # a broken loop may crash: that fails the check too
                rate, kinds, outcome = float("nan"), 0, f"crashed: {type(error).__name__}: {str(error)[:60]}"
            results.append((kind, name, seed, rate, kinds))
            print(f"{kind:5s} {name:34s} seed {seed}: {outcome}  ({time.perf_counter() - start:.0f} s)", flush=True)
    if args.json:
        fields = ("kind", "design", "seed", "rate", "categories")
        args.json.write_text(json.dumps({"settings": SETTINGS, "runs": [dict(zip(fields, r, strict=True)) for r in results]},
                                        indent=1))
    right = [r for r in results if r[0] == "right"]
    wrong = [r for r in results if r[0] != "right" and np.isfinite(r[3])]
    if right:
        print(f"correct loops: lowest rate {min(r[3] for r in right):.1%}, fewest categories {min(r[4] for r in right)}")
    if wrong:
        for name in sorted({r[1] for r in wrong}):
            rates = [r[3] for r in wrong if r[1] == name]
            print(f"broken {name}: highest rate {max(rates):.1%}")


def merge(parts: list[Path]) -> None:
    """Merge --json parts into RECORD, with the summary the lab's text quotes."""
    runs = sorted((run for part in parts for run in json.loads(part.read_text())["runs"]),
                  key=lambda r: (r["kind"], r["design"], r["seed"]))
    for run in runs:
        if run["rate"] != run["rate"]:  # NaN: the loop crashed (that fails the check too)
            run["rate"], run["outcome"] = None, "crashed"
    right = [r for r in runs if r["kind"] == "right"]
    broken = [r for r in runs if r["kind"] == "wrong" and r["rate"] is not None]
    # Designs that are written differently can train identically (same random stream, same updates):
    # count the trainings that differ, by their results over the seeds.
    by_design: dict[str, list] = {}
    for r in right:
        by_design.setdefault(r["design"], []).append((r["seed"], r["rate"], r["categories"]))
    summary = {"correct_designs": len(by_design),
               "correct_distinct_trainings": len({tuple(sorted(v)) for v in by_design.values()}),
               "seeds": sorted({r["seed"] for r in right}),
               "correct_lowest_rate": min(r["rate"] for r in right), "correct_highest_rate": max(r["rate"] for r in right),
               "correct_fewest_categories": min(r["categories"] for r in right),
               "broken_highest_rate": max((r["rate"] for r in broken), default=None),
               "ungraded_saturating_rates": [r["rate"] for r in runs if r["kind"] == "ungraded"]}
    RECORD.write_text(json.dumps({"what": "lab 04 train_gan check: share of the samples the evaluation classifier "
                                          "recognises after training the reference networks with each loop design",
                                  "command": "tools/calibrate_train_gan.py --json PART ...; --merge PART ...",
                                  "settings": SETTINGS, "summary": summary, "runs": runs}, indent=1) + "\n")
    print(f"wrote {RECORD}: {summary}")


if __name__ == "__main__":
    main()
