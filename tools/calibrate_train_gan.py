"""Calibrate lab 04's train_gan check: run its graded training for many loops and seeds.

For every correct loop design (the lab's solution and tests/grading/lab04_fashion_gan/
right_answers/train_gan__*.py) and every broken one (wrong_answers/train_gan__*.py), train
the course's toy networks on lesson 04's ring of eight clusters exactly as the test cell does
(4,096 points, 30 epochs, batch 64, lr 0.001), with train_gan's seed 0, 1, 2, ..., and print the
share of 2,000 generated points within three standard deviations of a cluster centre and the
number of clusters with at least 20 of them (gan.ring_coverage). The lab's thresholds must sit
below every correct run and above every broken one that is meant to fail this check.

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
SETTINGS = {"points": 4096, "epochs": 30, "batch_size": 64, "lr": 0.001, "samples": 2000, "min_count": 20}
RECORD = CASES / "train_gan_calibration.json"


def train(source: str, seed: int, ring) -> tuple[float, int]:
    namespace = {"torch": torch, "F": F, "nn": torch.nn, "np": np, "gan": gan}
    helpers = solution_sources()
    exec(helpers["discriminator_loss"], namespace)  # the learner's Task 3-4 functions, correct
    exec(helpers["generator_loss"], namespace)
    exec(source, namespace)
    g0, d0 = gan.make_toy_generator(latent_dim=2, seed=1), gan.make_toy_discriminator(seed=2)
    trained = namespace["train_gan"](g0, d0, ring, epochs=SETTINGS["epochs"], batch_size=SETTINGS["batch_size"],
                                     lr=SETTINGS["lr"], seed=seed)
    g = gan.make_toy_generator(latent_dim=2, seed=1)
    g.load_state_dict(dict(trained.state_dict()))
    with torch.no_grad():
        points = g(torch.randn(SETTINGS["samples"], 2, generator=torch.Generator().manual_seed(123)))
    coverage = gan.ring_coverage(points)
    return coverage.high_quality, coverage.clusters_reached(SETTINGS["min_count"])


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
    ring = gan.toy_ring(SETTINGS["points"], seed=0)
    results = []
    for kind, name, source in designs():
        if args.only and name not in args.only:
            continue
        for seed in args.seeds:
            start = time.perf_counter()
            try:
                rate, kinds = train(source, seed, ring)
                outcome = f"{rate:6.1%} high quality, {kinds} clusters"
            except Exception as error:  # a broken loop may crash: that fails the check too
                rate, kinds, outcome = float("nan"), 0, f"crashed: {type(error).__name__}: {str(error)[:60]}"
            results.append((kind, name, seed, rate, kinds))
            print(f"{kind:5s} {name:34s} seed {seed}: {outcome}  ({time.perf_counter() - start:.0f} s)", flush=True)
    if args.json:
        fields = ("kind", "design", "seed", "quality", "clusters")
        args.json.write_text(json.dumps({"settings": SETTINGS, "runs": [dict(zip(fields, r, strict=True)) for r in results]},
                                        indent=1))
    right = [r for r in results if r[0] == "right"]
    wrong = [r for r in results if r[0] != "right" and np.isfinite(r[3])]
    if right:
        print(f"correct loops: lowest quality {min(r[3] for r in right):.1%}, fewest clusters {min(r[4] for r in right)}")
    if wrong:
        for name in sorted({r[1] for r in wrong}):
            rates = [r[3] for r in wrong if r[1] == name]
            print(f"broken {name}: highest quality {max(rates):.1%}")


def merge(parts: list[Path]) -> None:
    """Merge --json parts into RECORD, with the summary the lab's text quotes."""
    runs = sorted((run for part in parts for run in json.loads(part.read_text())["runs"]),
                  key=lambda r: (r["kind"], r["design"], r["seed"]))
    for run in runs:
        if run["quality"] != run["quality"]:  # NaN: the loop crashed (that fails the check too)
            run["quality"], run["outcome"] = None, "crashed"
    right = [r for r in runs if r["kind"] == "right"]
    broken = [r for r in runs if r["kind"] == "wrong" and r["quality"] is not None]
    # Designs that are written differently can train identically (same random stream, same updates):
    # count the trainings that differ, by their results over the seeds.
    by_design: dict[str, list] = {}
    for r in right:
        by_design.setdefault(r["design"], []).append((r["seed"], r["quality"], r["clusters"]))
    summary = {"correct_designs": len(by_design),
               "correct_distinct_trainings": len({tuple(sorted(v)) for v in by_design.values()}),
               "seeds": sorted({r["seed"] for r in right}),
               "correct_lowest_quality": min(r["quality"] for r in right),
               "correct_highest_quality": max(r["quality"] for r in right),
               "correct_fewest_clusters": min(r["clusters"] for r in right),
               "broken_highest_quality": max((r["quality"] for r in broken), default=None),
               "broken_most_clusters": max((r["clusters"] for r in broken), default=None),
               "ungraded_saturating_quality": [r["quality"] for r in runs if r["kind"] == "ungraded"]}
    RECORD.write_text(json.dumps({"what": "lab 04 train_gan check: share of 2,000 generated points within three "
                                          "standard deviations of a cluster centre, and clusters with at least "
                                          f"{SETTINGS['min_count']} such points, after training the course's toy "
                                          "networks on the ring of eight clusters with each loop design",
                                  "command": "tools/calibrate_train_gan.py --json PART ...; --merge PART ...",
                                  "settings": SETTINGS, "summary": summary, "runs": runs}, indent=1) + "\n")
    print(f"wrote {RECORD}: {summary}")


if __name__ == "__main__":
    main()
