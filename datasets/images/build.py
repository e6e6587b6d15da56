"""Build the bundled style-transfer images (see DATASHEET.md next to this file).

Run ``python datasets/images/build.py`` (or ``make data``) from the course folder (an optional
argument names another output folder). It writes

* ``content/<name>.png``: six photographs that ship inside scikit-image and scikit-learn
  (no network needed), resized to 256 px on the long side (Lanczos);
* ``style/<name>.png``: eight 256×256 generative-art images drawn by this script with
  fixed seeds;
* ``images.csv``: one row per image with its source, licence and attribution;

and finally ``SHA256SUMS``. PNGs are written by Pillow with fixed settings and no
timestamps, so a rebuild with the pinned packages is byte-for-byte identical.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.registry import write_manifest  # noqa: E402

SEED = 20260302
LONG_SIDE = 256
STYLE_SIZE = 256

# name -> (loader, title, source, licence, attribution), the licence wording as the
# package's docstring / DESCR states it.
CONTENT = {
    "astronaut": (
        "skimage.data.astronaut",
        "Astronaut Eileen Collins",
        "scikit-image 0.26 skimage.data.astronaut(); NASA Great Images database, https://flic.kr/p/r9qvLn",
        "Public domain",
        "'No known copyright restrictions, released into the public domain.' (NASA)",
    ),
    "chelsea": (
        "skimage.data.chelsea",
        "Chelsea the cat",
        "scikit-image 0.26 skimage.data.chelsea()",
        "CC0",
        "'No copyright restrictions. CC0 by the photographer (Stefan van der Walt).'",
    ),
    "coffee": (
        "skimage.data.coffee",
        "Coffee cup",
        "scikit-image 0.26 skimage.data.coffee(); courtesy of Pikolo Espresso Bar",
        "CC0",
        "'No copyright restrictions. CC0 by the photographer (Rachel Michetti).'",
    ),
    "rocket": (
        "skimage.data.rocket",
        "Launch of DSCOVR on Falcon 9",
        "scikit-image 0.26 skimage.data.rocket(); SpaceX Photos, "
        "https://www.flickr.com/photos/spacexphotos/16511594820/",
        "Public domain",
        "'The image was captured by SpaceX and released in the public domain.'",
    ),
    "china": (
        "sklearn:china.jpg",
        "Chinese pagoda above a lake (china.jpg)",
        "scikit-learn 1.9 sklearn.datasets.load_sample_images() china.jpg; "
        "https://www.flickr.com/photos/danielbuechele/6061409035/",
        "CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/)",
        "'Some rights reserved by danielbuechele'; retrieved 21 August 2011 by Robert Layton",
    ),
    "flower": (
        "sklearn:flower.jpg",
        "Flower (flower.jpg)",
        "scikit-learn 1.9 sklearn.datasets.load_sample_images() flower.jpg; "
        "https://www.flickr.com/photos/vultilion/6056698931/",
        "CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/)",
        "scikit-learn's DESCR says 'Some rights reserved by danielbuechele' but links the "
        "photographer page https://www.flickr.com/photos/vultilion/; retrieved 21 August 2011 "
        "by Robert Layton",
    ),
}


def load_content(key: str) -> np.ndarray:
    if key.startswith("sklearn:"):
        from sklearn.datasets import load_sample_image

        return load_sample_image(key.split(":", 1)[1])
    import skimage.data

    return getattr(skimage.data, key.split(".")[-1])()


def resize_long_side(img: np.ndarray, long_side: int) -> Image.Image:
    pil = Image.fromarray(img).convert("RGB")
    w, h = pil.size
    s = long_side / max(w, h)
    return pil.resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------------------
# Generative style images (all 256×256 RGB)
# --------------------------------------------------------------------------------------
N = STYLE_SIZE


def smooth_noise(rng: np.random.Generator, sigma: float, shape=(N, N)) -> np.ndarray:
    """Gaussian-filtered white noise scaled to zero mean and unit standard deviation."""
    f = ndimage.gaussian_filter(rng.normal(size=shape), sigma, mode="wrap")
    return (f - f.mean()) / f.std()


def hex_rgb(h: str) -> tuple[int, int, int]:
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


def brush_strokes(rng: np.random.Generator) -> Image.Image:
    """Short thick strokes following a swirling flow field (post-impressionist sky)."""
    palette = ["#1b3a6b", "#2a5aa0", "#4f86c6", "#9cc3e4", "#f2d35b", "#e8a93a", "#f7efd2", "#16284a"]
    angle = smooth_noise(rng, 28) * 2.2 + np.linspace(0, 1.5, N)[None, :]
    zone = smooth_noise(rng, 40)
    img = Image.new("RGB", (N, N), hex_rgb(palette[0]))
    draw = ImageDraw.Draw(img)
    for _ in range(4200):
        x, y = rng.uniform(0, N, size=2)
        z = zone[int(y), int(x)]
        idx = int(np.clip((z + 1.8) / 3.6 * (len(palette) - 1) + rng.normal(0, 0.7), 0, len(palette) - 1))
        colour = tuple(int(np.clip(c + rng.normal(0, 10), 0, 255)) for c in hex_rgb(palette[idx]))
        pts = [(x, y)]
        for _ in range(int(rng.integers(4, 9))):
            a = angle[int(y) % N, int(x) % N]
            x, y = x + 2.2 * math.cos(a), y + 2.2 * math.sin(a)
            pts.append((x, y))
        draw.line(pts, fill=colour, width=int(rng.integers(3, 6)), joint="curve")
    return img


def stained_glass(rng: np.random.Generator) -> Image.Image:
    """Voronoi panes of jewel colours with dark lead cames and uneven glass."""
    jewels = ["#8b1a1a", "#c0392b", "#1f4e9c", "#2e86c1", "#1e8449", "#d4ac0d", "#7d3c98", "#e67e22", "#117a65"]
    n_cells = 70
    pts = rng.uniform(0, N, size=(n_cells, 2))
    yy, xx = np.mgrid[0:N, 0:N]
    d = (xx[..., None] - pts[:, 0]) ** 2 + (yy[..., None] - pts[:, 1]) ** 2
    part = np.sqrt(np.partition(d, 1, axis=-1)[..., :2])
    nearest = np.argmin(d, axis=-1)
    colours = np.array([hex_rgb(jewels[int(rng.integers(len(jewels)))]) for _ in range(n_cells)], float)
    img = colours[nearest]
    glass = 1.0 + 0.12 * smooth_noise(rng, 3) + 0.1 * smooth_noise(rng, 20)
    radial = 1.15 - 0.35 * np.clip(part[..., 0] / 30, 0, 1)  # light through the pane centre
    img = img * (glass * radial)[..., None]
    lead = np.clip((part[..., 1] - part[..., 0]) / 2.5, 0, 1)[..., None]
    img = img * lead + np.array([25, 22, 20]) * (1 - lead)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def op_art(rng: np.random.Generator) -> Image.Image:
    """Black-and-white stripes bent by a bulge (in the manner of 1960s op art)."""
    yy, xx = np.mgrid[0:N, 0:N] / N
    cx, cy = rng.uniform(0.35, 0.65, size=2)
    r = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    bulge = 0.09 * np.exp(-(r / 0.28) ** 2)
    phase = (yy + bulge * np.tanh((xx - cx) / 0.12) * 3 + 0.04 * np.sin(6 * np.pi * xx)) * 26
    v = 0.5 + 0.5 * np.tanh(6 * np.sin(2 * np.pi * phase))
    img = np.stack([v * 235 + 12, v * 232 + 12, v * 225 + 14], axis=-1)
    return Image.fromarray(img.astype(np.uint8))


def mosaic(rng: np.random.Generator) -> Image.Image:
    """Jittered square tesserae with grout, coloured by sea waves (Roman floor style)."""
    yy, xx = np.mgrid[0:N, 0:N] / N
    field = 1.6 * np.sin(2 * np.pi * (3 * yy + 0.25 * np.sin(2 * np.pi * 2 * xx)) + 0.8 * smooth_noise(rng, 25))
    palette = np.array([hex_rgb(h) for h in ["#0b3954", "#087e8b", "#bfd7ea", "#f4f1de", "#e07a5f", "#3d405b"]], float)
    img = Image.new("RGB", (N, N), (196, 188, 172))  # grout
    draw = ImageDraw.Draw(img)
    step = 9
    for gy in range(0, N + step, step):
        for gx in range(0, N + step, step):
            x = gx + rng.uniform(-1.2, 1.2)
            y = gy + rng.uniform(-1.2, 1.2)
            v = field[min(int(y), N - 1), min(int(x), N - 1)]
            idx = int(np.clip((v + 2) / 4 * len(palette), 0, len(palette) - 1))
            c = np.clip(palette[idx] + rng.normal(0, 12, 3), 0, 255).astype(int)
            s = step - 1.8 + rng.uniform(-0.6, 0.4)
            a = rng.uniform(-0.15, 0.15)
            corners = [(-s / 2, -s / 2), (s / 2, -s / 2), (s / 2, s / 2), (-s / 2, s / 2)]
            poly = [(x + px * math.cos(a) - py * math.sin(a), y + px * math.sin(a) + py * math.cos(a))
                    for px, py in corners]
            draw.polygon(poly, fill=tuple(int(v) for v in c))
    return img


def ink_wash(rng: np.random.Generator) -> Image.Image:
    """Layered misty mountain ridges in diluted ink on warm paper (sumi-e style)."""
    yy, xx = np.mgrid[0:N, 0:N]
    paper = np.array([238, 230, 212], float) * (1 + 0.02 * smooth_noise(rng, 1.2))[..., None]
    img = paper.copy()
    for layer in range(5):
        base = 0.3 + 0.13 * layer
        ridge = (base + 0.09 * smooth_noise(rng, 18, shape=(1, N))[0] + 0.04 * smooth_noise(rng, 5, shape=(1, N))[0]) * N
        depth = yy - ridge[None, :]
        ink = np.clip(depth / 6, 0, 1) * np.exp(-np.clip(depth, 0, None) / (40 + 20 * layer))
        ink *= (0.25 + 0.15 * layer) * (1 + 0.25 * smooth_noise(rng, 4))
        img = img * (1 - ink[..., None]) + np.array([30, 30, 35]) * ink[..., None]
    # a red seal in a corner
    x0, y0 = int(rng.integers(200, 225)), int(rng.integers(18, 40))
    img[y0:y0 + 18, x0:x0 + 14] = img[y0:y0 + 18, x0:x0 + 14] * 0.2 + np.array([178, 34, 34]) * 0.8
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    return pil.filter(ImageFilter.GaussianBlur(0.6))


def pointillism(rng: np.random.Generator) -> Image.Image:
    """Dots of pure colour sampling a sunset landscape (neo-impressionist style)."""
    yy, xx = np.mgrid[0:N, 0:N] / N
    horizon = 0.55 + 0.05 * smooth_noise(rng, 30, shape=(1, N))[0]
    sky = np.stack([0.98 - 0.3 * yy, 0.55 + 0.4 * yy, 0.35 + 0.6 * (0.6 - yy)], -1)
    land = np.stack([0.2 + 0.2 * yy, 0.45 - 0.1 * yy, 0.25 + 0.05 * yy], -1)
    sun = np.exp(-(((xx - 0.68) ** 2 + (yy - 0.38) ** 2) / 0.006))[..., None]
    scene = np.where((yy > horizon[None, :])[..., None], land, sky)
    scene = np.clip(scene + sun * np.array([0.3, 0.25, -0.2]), 0, 1)
    img = Image.new("RGB", (N, N), (245, 240, 225))
    draw = ImageDraw.Draw(img)
    for _ in range(9000):
        x, y = rng.uniform(0, N, size=2)
        c = scene[int(y), int(x)] + rng.normal(0, 0.06, 3)
        if rng.random() < 0.06:  # a complementary accent dot
            c = 1 - c
        r = rng.uniform(1.6, 2.8)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in np.clip(c, 0, 1) * 255))
    return img


def cubist_shards(rng: np.random.Generator) -> Image.Image:
    """Overlapping translucent angular planes in ochre and grey (analytic-cubist mood)."""
    palette = ["#6e5a3b", "#a88b5b", "#c9b48a", "#4a4a48", "#8c8c84", "#d8cfb8", "#3b2f22"]
    img = np.full((N, N, 3), hex_rgb("#b9a57f"), float)
    for _ in range(60):
        layer = Image.new("L", (N, N), 0)
        cx, cy = rng.uniform(0, N, size=2)
        k = int(rng.integers(3, 6))
        angles = np.sort(rng.uniform(0, 2 * np.pi, size=k))
        radii = rng.uniform(20, 80, size=k)
        ImageDraw.Draw(layer).polygon(
            [(cx + r * math.cos(a), cy + r * math.sin(a)) for a, r in zip(angles, radii, strict=True)],
            fill=255)
        m = np.asarray(layer, float)[..., None] / 255 * rng.uniform(0.25, 0.55)
        grad = np.linspace(0.85, 1.15, N)[None, :, None] if rng.random() < 0.5 else np.linspace(1.15, 0.85, N)[:, None, None]
        img = img * (1 - m) + np.array(hex_rgb(palette[int(rng.integers(len(palette)))])) * grad * m
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    for _ in range(14):  # a few dark contour lines
        x, y = rng.uniform(0, N, size=2)
        a = rng.uniform(0, np.pi)
        ln = rng.uniform(30, 110)
        draw.line([(x, y), (x + ln * math.cos(a), y + ln * math.sin(a))], fill=(40, 34, 28), width=2)
    return pil


def concentric_squares(rng: np.random.Generator) -> Image.Image:
    """A 4×4 grid of squares, each with hand-drawn concentric rings (colour-study style)."""
    pal = [hex_rgb(h) for h in ["#e63946", "#f1c40f", "#1d3557", "#457b9d", "#2a9d8f", "#f4a261",
                                "#6a4c93", "#111111", "#f1faee", "#e76f51"]]
    img = Image.new("RGB", (N, N), (0, 0, 0))
    draw = ImageDraw.Draw(img)
    cell = N // 4
    for gy in range(4):
        for gx in range(4):
            x0, y0 = gx * cell, gy * cell
            draw.rectangle([x0, y0, x0 + cell - 1, y0 + cell - 1], fill=pal[int(rng.integers(len(pal)))])
            cx, cy = x0 + cell / 2 + rng.normal(0, 2), y0 + cell / 2 + rng.normal(0, 2)
            r = cell * 0.44
            while r > 3:
                draw.ellipse([cx - r, cy - r * rng.uniform(0.95, 1.05), cx + r, cy + r],
                             fill=pal[int(rng.integers(len(pal)))])
                r -= rng.uniform(4, 9)
    return img.filter(ImageFilter.GaussianBlur(0.5))


STYLES = {
    "brush_strokes": (brush_strokes, "Swirling brush strokes along a flow field"),
    "stained_glass": (stained_glass, "Voronoi stained glass with lead cames"),
    "op_art": (op_art, "Op-art stripes bent by a bulge"),
    "mosaic": (mosaic, "Tesserae mosaic of sea waves"),
    "ink_wash": (ink_wash, "Ink-wash mountain ridges on paper"),
    "pointillism": (pointillism, "Pointillist sunset of pure-colour dots"),
    "cubist_shards": (cubist_shards, "Translucent angular planes in ochre and grey"),
    "concentric_squares": (concentric_squares, "Grid of squares with concentric rings"),
}


def save_png(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, format="PNG", compress_level=9, optimize=False)


def main(out: Path = HERE) -> None:
    """Build into ``out`` (default: this folder; tests rebuild into a temporary folder)."""
    out = Path(out)
    t0 = time.perf_counter()
    rows = []
    for name, (key, title, source, licence, attribution) in CONTENT.items():
        img = resize_long_side(load_content(key), LONG_SIDE)
        save_png(img, out / "content" / f"{name}.png")
        rows.append(dict(kind="content", name=name, file=f"content/{name}.png", width=img.size[0],
                         height=img.size[1], title=title, source=source, licence=licence,
                         attribution=attribution))
    for k, (name, (maker, title)) in enumerate(STYLES.items()):
        img = maker(np.random.default_rng(SEED + k))
        assert img.size == (STYLE_SIZE, STYLE_SIZE)
        save_png(img, out / "style" / f"{name}.png")
        rows.append(dict(kind="style", name=name, file=f"style/{name}.png", width=STYLE_SIZE,
                         height=STYLE_SIZE, title=title,
                         source="generated by datasets/images/build.py (AI in the Creative Industries)",
                         licence="CC0 1.0 (dedicated to the public domain by the course authors)",
                         attribution="none required"))
    pd.DataFrame(rows).to_csv(out / "images.csv", index=False, lineterminator="\n")
    write_manifest(out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{len(rows)} images in {time.perf_counter() - t0:.1f} s; folder {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
