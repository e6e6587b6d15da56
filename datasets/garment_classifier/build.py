"""Build (or verify) the course's garment classifier (see MODEL_CARD.md next to this file).

    python datasets/garment_classifier/build.py            # verify the committed weights (fast)
    python datasets/garment_classifier/build.py --retrain  # train again and rewrite the files

``make data`` runs the first form: it checks ``garment_classifier.npz`` against
``SHA256SUMS``, re-measures the held-out accuracy and prints it, and never retrains (training
takes minutes). ``--retrain`` trains :class:`creative_ai.gan.GarmentClassifier` from the
bundled fashion catalogue with fixed seeds and one CPU thread, then writes

* ``garment_classifier.npz``: the weights, NumPy arrays named as in the module's state
  dict (load with ``allow_pickle=False``; :func:`creative_ai.gan.load_classifier` does);
* ``training_log.csv``: per epoch, the loss, held-out accuracies and seconds;
* ``SHA256SUMS``.

On the same machine and library versions a retrain reproduces the weights byte-for-byte;
other CPUs may round differently (the model card says what that changes).

The "not a garment" class
-------------------------
Besides the ten categories, the classifier learns an eleventh class from images that are
*not* garments, so that a generator's failures (noise, blobs, two garments superimposed, a
shuffled garment) are not forced into a category. They are made here, deterministically,
from the training images and random numbers: see :func:`not_garments`.
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

SEED = 20260404
EPOCHS = 6
BATCH = 128
PEAK_LR = 2e-3
N_NOT_GARMENTS = 6000
WEIGHTS = "garment_classifier.npz"


def not_garments(n: int, images, categories, seed: int):
    """``n`` images that are not garments, float (n, 3, 32, 32) in [−1, 1], six kinds in equal
    shares: pixel noise, smooth colour blobs, two garments of different categories blended
    40-60 %, a garment cut into 8×8 tiles and shuffled, flat colour, and the output of a
    randomly initialised generator of the course's architecture (what a GAN makes before it
    learns anything)."""
    import torch
    import torch.nn.functional as F

    from creative_ai import gan

    rng = torch.Generator().manual_seed(seed)
    k = n // 6
    parts = []
    # 1. pixel noise, random brightness and contrast
    noise = torch.randn(k, 3, 32, 32, generator=rng) * torch.rand(k, 1, 1, 1, generator=rng)
    parts.append((noise + torch.rand(k, 1, 1, 1, generator=rng) * 2 - 1).clamp(-1, 1))
    # 2. smooth blobs: low-resolution noise upsampled
    blobs = []
    for size, count in zip((2, 3, 4, 6, 8), np.diff(np.linspace(0, k, 6).astype(int)), strict=True):
        low = torch.randn(int(count), 3, size, size, generator=rng) * 0.8 - 0.4
        blobs.append(torch.tanh(2 * F.interpolate(low, size=32, mode="bilinear", align_corners=False)))
    parts.append(torch.cat(blobs))
    # 3. two garments of different categories superimposed
    a = torch.randint(0, len(images), (k,), generator=rng)
    b = torch.randint(0, len(images), (k,), generator=rng)
    same = categories[a] == categories[b]
    while same.any():
        b[same] = torch.randint(0, len(images), (int(same.sum()),), generator=rng)
        same = categories[a] == categories[b]
    w = 0.4 + 0.2 * torch.rand(k, 1, 1, 1, generator=rng)
    parts.append(w * images[a] + (1 - w) * images[b])
    # 4. a garment cut into a 4x4 grid of tiles, shuffled
    c = torch.randint(0, len(images), (k,), generator=rng)
    tiles = images[c].unfold(2, 8, 8).unfold(3, 8, 8).reshape(k, 3, 16, 8, 8)
    order = torch.argsort(torch.rand(k, 16, generator=rng), dim=1)
    tiles = torch.gather(tiles, 2, order[:, None, :, None, None].expand(-1, 3, -1, 8, 8))
    parts.append(tiles.reshape(k, 3, 4, 4, 8, 8).permute(0, 1, 2, 4, 3, 5).reshape(k, 3, 32, 32))
    # 5. flat colour; a third of them black (-1) or nearly black with faint noise, which is what
    #    a generator that collapsed onto the background produces
    flat = (torch.rand(k, 3, 1, 1, generator=rng) * 2 - 1).expand(k, 3, 32, 32).clone()
    dark = torch.rand(k, generator=rng) < 1 / 3
    faint = -1 + 0.15 * torch.rand(k, 1, 1, 1, generator=rng) * torch.rand(k, 3, 32, 32, generator=rng)
    parts.append(torch.where(dark[:, None, None, None], faint, flat))
    # 6. untrained generators (several random initialisations, train-mode batch statistics)
    rest = n - 5 * k
    chunks = []
    for j, count in enumerate(np.diff(np.linspace(0, rest, 11).astype(int))):
        net = gan.make_generator(latent_dim=64, width=32, seed=seed + 100 + j)
        with torch.no_grad():
            chunks.append(net(torch.randn(int(count), 64, generator=rng)))
    parts.append(torch.cat(chunks))
    return torch.cat(parts)


def load_split(split: str):
    import torch

    from creative_ai import gan
    from creative_ai.data import PRINTS, load_garments

    images, items = load_garments(split)
    return (gan.to_tensor(images), torch.tensor(items["category_id"].to_numpy().copy()),
            torch.tensor(items["print"].map({p: i for i, p in enumerate(PRINTS)}).to_numpy().copy()))


def evaluate(net, x, y, p, junk) -> dict[str, float]:
    from creative_ai import gan

    result = gan.classify(net, x)
    junk_result = gan.classify(net, junk)
    return {"category_accuracy": float(np.mean(result.category == y.numpy())),
            "print_accuracy": float(np.mean(result.print == p.numpy())),
            "garments_recognised": float(np.mean(result.recognised)),
            "not_garments_rejected": float(np.mean(~junk_result.recognised))}


def train(out: Path) -> None:
    import pandas as pd
    import torch
    import torch.nn.functional as F

    from creative_ai import gan

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    x, y, p = load_split("train")
    xt, yt, pt = load_split("test")
    junk = not_garments(N_NOT_GARMENTS, x, y, SEED + 1)
    junk_test = not_garments(1200, xt, yt, SEED + 2)
    data = torch.cat([x, junk])
    labels = torch.cat([y, torch.full((len(junk),), gan.NOT_A_GARMENT)])
    prints = torch.cat([p, torch.full((len(junk),), -100)])  # no print for non-garments
    net = gan.GarmentClassifier()
    opt = torch.optim.Adam(net.parameters(), lr=PEAK_LR)
    steps_per_epoch = -(-len(data) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, PEAK_LR, total_steps=EPOCHS * steps_per_epoch)
    rng = torch.Generator().manual_seed(SEED + 3)
    log = []
    start_cpu, start = time.process_time(), time.perf_counter()
    for epoch in range(1, EPOCHS + 1):
        net.train()
        order = torch.randperm(len(data), generator=rng)
        total = 0.0
        for first in range(0, len(data), BATCH):
            index = order[first:first + BATCH]
            category_logits, print_logits = net(data[index])
            loss = F.cross_entropy(category_logits, labels[index]) + F.cross_entropy(
                print_logits, prints[index], ignore_index=-100)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            schedule.step()
            total += float(loss.detach()) * len(index)
        net.eval()
        row = {"epoch": epoch, "train_loss": round(total / len(data), 5),
               **{k: round(v, 5) for k, v in evaluate(net, xt, yt, pt, junk_test).items()},
               "seconds": round(time.perf_counter() - start, 1), "cpu_seconds": round(time.process_time() - start_cpu, 1)}
        log.append(row)
        print(row, flush=True)
    gan.save_weights(net, out / WEIGHTS)
    pd.DataFrame(log).drop(columns=["seconds", "cpu_seconds"]).to_csv(out / "training_log.csv", index=False,
                                                                        lineterminator="\n")
    print(f"trained in {time.perf_counter() - start:.0f} s ({time.process_time() - start_cpu:.0f} s of CPU)")


def verify() -> None:
    """Check the committed weights and re-measure held-out accuracy (a few seconds)."""
    from creative_ai import gan
    from creative_ai.data import verify_dataset

    verify_dataset(HERE.name)
    net = gan.load_classifier()
    xt, yt, pt = load_split("test")
    junk = not_garments(1200, xt, yt, SEED + 2)
    scores = evaluate(net, xt, yt, pt, junk)
    print(f"{WEIGHTS} matches SHA256SUMS ({sha256_of(HERE / WEIGHTS)[:12]}…); held-out: "
          + ", ".join(f"{k} {v:.1%}" for k, v in scores.items()))
    for figure in card_figures(net, xt, yt, pt, junk, scores):
        print(f"card: {figure}")
    print("(weights are not retrained by `make data`; run this script with --retrain to train them again)")


def card_figures(net, x, y, p, junk, scores) -> list[str]:
    """Every accuracy MODEL_CARD.md quotes, formatted as it quotes them (tests check the card
    contains each one, so card and weights cannot drift apart)."""
    from creative_ai import gan

    result, junk_result = gan.classify(net, x), gan.classify(net, junk)
    y, p = y.numpy(), p.numpy()
    figures = [f"| category accuracy (10 categories + \"not a garment\" possible) | {scores['category_accuracy']:.1%} |",
               f"| print accuracy | {scores['print_accuracy']:.1%} |",
               f"| garments recognised as a garment (any category) | {scores['garments_recognised']:.1%} |",
               f"| not-a-garment images rejected | {scores['not_garments_rejected']:.1%} |"]
    figures += [f"{name} {np.mean(result.category[y == c] == c):.1%}" for c, name in enumerate(gan.CATEGORY_NAMES)]
    figures += [f"{name} {np.mean(result.print[p == k] == k):.1%}" for k, name in enumerate(gan.PRINT_NAMES)]
    # not_garments makes six kinds in equal shares, in this order
    kinds = ("noise", "blobs", "blends", "shuffled tiles", "flat colour", "untrained generators")
    k = len(junk) // 6
    rejected = ~junk_result.recognised
    figures += [f"{kind} {np.mean(rejected[i * k:(i + 1) * k] if i < 5 else rejected[5 * k:]):.1%}"
                for i, kind in enumerate(kinds)]
    return figures


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
