"""Train the bundled feed-forward stylisation networks (see MODEL_CARD.md next to this file).

One small :class:`creative_ai.style.TransformerNet` per style learns to paint a photo in one
forward pass (Johnson, Alahi & Fei-Fei, ECCV 2016): it is trained to minimise the same
content, style and total-variation losses that lesson 03 minimises pixel by pixel, measured
by the bundled SqueezeNet 1.1, on random crops of redistributable images only — photographs
that scikit-image ships as public domain or CC0, and the course's own generated style
images. ``chelsea`` (the lesson's cat) and the CC BY photos ``china`` and ``flower`` are never
shown to it, so the lesson can stylise photos it has not seen.

Usage, from the course folder::

    python datasets/fast_style/build.py                  # offline, seconds: verify the committed weights
    python datasets/fast_style/build.py --retrain          # maintainers: retrain every style (CPU, ~30 min each)
    python datasets/fast_style/build.py --retrain --styles mosaic --iterations 200 --out /tmp/fs   # a quick try

``make data`` runs the default: it checks every committed ``<style>.npz`` against
``SHA256SUMS``, loads it without pickle and stylises a test photo, and prints how to retrain.
Training is seeded and deterministic on one machine; another CPU or torch build can change
the last bits of the weights (and so their checksums), never the recipe.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.registry import sha256_of, write_manifest  # noqa: E402

SEED = 20260303
STYLES = ("stained_glass", "brush_strokes")
WIDTH, N_RESIDUAL = 16, 4
CROP = 128            # training crops (pixels); the network is fully convolutional
BATCH = 4
ITERATIONS = 1000
LR = 2e-3
STYLE_SIZE = 256      # the style image's size when its Gram matrices are measured
TV_WEIGHT_FACTOR = 5  # the feed-forward net needs more smoothing than per-image optimisation
# Per-image optimisation starts from the photo, so content survives by default; a network
# starts from nothing and, with the optimisation's weights, learnt to paint the style over
# everything (measured: content loss ~7,000 vs ~2,200 for optimisation). A larger content
# weight makes it keep the photo.
CONTENT_WEIGHT = 3.0

# skimage.data photos whose docstrings state public domain / CC0 / no known copyright
# restrictions (scikit-image 0.26). Grayscale ones are repeated into three channels.
TRAINING_PHOTOS = ("astronaut", "rocket", "coffee", "hubble_deep_field", "retina", "immunohistochemistry",
                   "camera", "clock", "brick", "grass", "gravel", "coins", "text", "cell")
HELD_OUT = ("chelsea", "china", "flower")  # never used for training


def training_images() -> list[np.ndarray]:
    """Float32 (H, W, 3) images in [0, 1]: the photos above and the eight generated styles."""
    import skimage.data

    from creative_ai.data import load_style_images

    images = []
    for name in TRAINING_PHOTOS:
        img = np.asarray(getattr(skimage.data, name)())
        if img.ndim == 2:
            img = np.stack([img] * 3, axis=-1)
        img = img[..., :3].astype(np.float32)
        images.append(img / 255.0 if img.max() > 1.0 else img)
    images.extend(load_style_images(size=384).values())
    return images


def random_batch(images, rng: np.random.Generator, batch: int, crop: int):
    """``batch`` random crops (random image, scale 0.5-1 of the short side, flip) resized to ``crop``."""
    import torch
    import torch.nn.functional as F

    out = []
    for _ in range(batch):
        img = images[int(rng.integers(len(images)))]
        h, w = img.shape[:2]
        side = int(rng.uniform(0.5, 1.0) * min(h, w))
        top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        patch = torch.from_numpy(np.ascontiguousarray(img[top:top + side, left:left + side].transpose(2, 0, 1)))[None]
        patch = F.interpolate(patch, size=(crop, crop), mode="bilinear", align_corners=False, antialias=True)
        if rng.random() < 0.5:
            patch = patch.flip(-1)
        out.append(patch)
    return torch.cat(out).clamp(0, 1)


# The training losses. They are the builder's own few lines (the lab asks students to write
# theirs): Gram matrix / (C*H*W), MSE, mean absolute neighbour difference.
def _gram(f):
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)


def _tv(x):
    return (x[..., 1:, :] - x[..., :-1, :]).abs().mean() + (x[..., :, 1:] - x[..., :, :-1]).abs().mean()


def train(style: str, iterations: int, log_every: int = 50, checkpoint: Path | None = None):
    import torch

    from creative_ai.style import TransformerNet, load_extractor, load_image_tensor

    torch.manual_seed(SEED)
    rng = np.random.default_rng([SEED, sum(map(ord, style))])
    extractor = load_extractor("squeezenet")
    with torch.no_grad():
        target = extractor(load_image_tensor("style", style, STYLE_SIZE), layers=extractor.style_layers)
        target_grams = [_gram(target[layer]) for layer in extractor.style_layers]
    images = training_images()
    net = TransformerNet(WIDTH, N_RESIDUAL)
    optimizer = torch.optim.Adam(net.parameters(), lr=LR)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=iterations, eta_min=LR / 20)
    log, began = [], time.perf_counter()
    for step in range(1, iterations + 1):
        photos = random_batch(images, rng, BATCH, CROP)
        painted = net(photos)
        with torch.no_grad():
            content_target = extractor(photos, layers=[extractor.content_layer])[extractor.content_layer]
        features = extractor(painted)
        content = ((features[extractor.content_layer] - content_target) ** 2).mean()
        style_loss = sum(w * ((_gram(features[layer]) - g) ** 2).mean()
                         for w, layer, g in zip(extractor.style_weights, extractor.style_layers, target_grams, strict=True))
        tv = TV_WEIGHT_FACTOR * extractor.tv_weight * _tv(painted)
        loss = CONTENT_WEIGHT * content + style_loss + tv
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % log_every == 0 or step == iterations:
            # The log holds losses only, so a rebuild reproduces it byte for byte; time is printed.
            entry = {"step": step, "content": float(content.detach()), "style": float(style_loss.detach()),
                     "tv": float(tv.detach())}
            log.append(entry)
            print(f"  {style} {json.dumps(entry)} ({time.perf_counter() - began:.0f} s)", flush=True)
            if checkpoint is not None and step % (4 * log_every) == 0:
                write_npz(net, checkpoint)  # to look at while training continues
    return net.eval(), log


def write_npz(net, path: Path) -> None:
    """State dict as plain .npy arrays (plus the architecture) in a zip with fixed timestamps."""
    arrays = {name: value.detach().cpu().numpy() for name, value in net.state_dict().items()}
    arrays["meta.width"] = np.array(net.width, dtype=np.int64)
    arrays["meta.n_residual"] = np.array(net.n_residual, dtype=np.int64)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.array(arrays[name], order="C"), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def verify() -> int:
    import torch

    from creative_ai.style import fast_styles, load_fast_stylizer, load_image_tensor

    styles = fast_styles()
    photo = load_image_tensor("content", "china")
    for style in styles:
        net = load_fast_stylizer(style)  # verifies the checksum, loads without pickle
        with torch.no_grad():
            painted = net(photo)
        if painted.shape != photo.shape or not 0 <= float(painted.min()) <= float(painted.max()) <= 1:
            raise SystemExit(f"{style}: the network's output is not an image of the input's shape in [0, 1]")
        print(f"{style}.npz: checksum OK, {sum(p.numel() for p in net.parameters()):,} parameters, stylises a photo")
    print("To retrain (maintainers, CPU, about 30 minutes per style): python datasets/fast_style/build.py --retrain")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retrain", "--train", dest="train", action="store_true",
                        help="retrain (minutes per style) instead of verifying")
    parser.add_argument("--styles", nargs="+", default=list(STYLES), help=f"styles to train (default {STYLES})")
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: on a busy machine more threads than free cores is far slower)")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    args = parser.parse_args(argv)
    if not args.train:
        return verify()
    import torch

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    args.out.mkdir(parents=True, exist_ok=True)
    for style in args.styles:
        print(f"training {style}: {args.iterations} iterations of {BATCH} crops of {CROP} px", flush=True)
        net, log = train(style, args.iterations, checkpoint=args.out / f"{style}.partial")
        write_npz(net, args.out / f"{style}.npz")
        (args.out / f"{style}_training_log.json").write_text(json.dumps(log, indent=1) + "\n")
        (args.out / f"{style}.partial").unlink(missing_ok=True)
    write_manifest(args.out)
    for path in sorted(args.out.glob("*.npz")):
        print(f"{path.name}: SHA-256 {sha256_of(path)[:12]}…, {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
