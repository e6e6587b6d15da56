"""Build the bundled fashion catalogue (see DATASHEET.md next to this file).

Run ``python datasets/fashion/build.py`` (or ``make data``) from the course folder; it
rewrites every data file in this folder byte-for-byte (fixed seeds, PNG and CSV written
with fixed settings, no timestamps) and finishes by writing ``SHA256SUMS``.

Files written
-------------
* ``garments_train.png`` / ``garments_test.png``: sprite sheets of 32×32 RGB garment
  images, 100 tiles per row, row-major, image ``i`` of the split at tile ``i``.
* ``items.csv``: one row per image (both splits), in sheet order.
* ``customers.csv``, ``interactions.csv``: simulated shoppers and their views/purchases.
* ``outfits.csv``: stylist-labelled outfits (compatible or breaking exactly one rule).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.registry import write_manifest  # noqa: E402

SEED = 20260301
N_TRAIN, N_TEST = 10_000, 2_000
SIZE = 32  # stored image size (pixels)
SS = 3  # supersampling factor used while drawing
BIG = SIZE * SS
TILES_PER_ROW = 100

# Fashion-MNIST order, so that category_id means the same thing as its labels.
CATEGORIES = [
    "t-shirt/top", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
]
PRINTS = ["plain", "stripes", "dots", "checks", "leopard", "crocodile"]
ANIMAL_PRINTS = {"leopard", "crocodile"}
# name -> (RGB, hue in degrees on the stylists' colour wheel or None for neutrals)
COLOURS = {
    "black": ((38, 38, 42), None),
    "white": ((236, 236, 230), None),
    "grey": ((140, 140, 146), None),
    "navy": ((34, 48, 102), None),
    "beige": ((214, 193, 158), None),
    "red": ((200, 36, 44), 0),
    "orange": ((236, 128, 28), 30),
    "yellow": ((240, 206, 40), 60),
    "green": ((46, 140, 70), 120),
    "teal": ((24, 140, 140), 180),
    "blue": ((48, 104, 210), 220),
    "purple": ((118, 60, 160), 275),
    "pink": ((236, 120, 170), 330),
}
TOPS = {"t-shirt/top", "pullover", "shirt"}
BOTTOMS = {"trouser"}
SHOES = {"sandal", "sneaker", "ankle boot"}
TIERS = ["budget", "high-street", "premium", "luxury"]
BRANDS = {
    "budget": ["Basix", "ThreadLine", "Pennywise"],
    "high-street": ["Marlowe & Co", "Urbanic", "Kestrel"],
    "premium": ["Atelier Nord", "Sable", "Orrin"],
    "luxury": ["Maison Vey", "Castellane"],
}
BASE_PRICE = {  # EUR, high-street tier, plain
    "t-shirt/top": 18, "trouser": 45, "pullover": 40, "dress": 55, "coat": 110,
    "sandal": 35, "shirt": 35, "sneaker": 65, "bag": 50, "ankle boot": 85,
}
TIER_FACTOR = {"budget": 0.55, "high-street": 1.0, "premium": 2.2, "luxury": 5.5}
PRINT_FACTOR = {"plain": 1.0, "stripes": 1.05, "dots": 1.05, "checks": 1.1,
                "leopard": 1.25, "crocodile": 1.5}


def hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def colours_clash(c1: str, c2: str) -> bool:
    """The datasheet's colour-wheel rule: two chromatic colours clash when their hues are
    more than 45° and less than 150° apart (neither analogous nor near-complementary)."""
    h1, h2 = COLOURS[c1][1], COLOURS[c2][1]
    if h1 is None or h2 is None:
        return False
    return 45 < hue_distance(h1, h2) < 150


# --------------------------------------------------------------------------------------
# Print textures: a bank of tiles per print, cropped at random for each garment.
# Each tile holds an "ink" map in [0, 1] (0 = base colour) and a brightness map.
# --------------------------------------------------------------------------------------
TILE = 2 * BIG


def _stripes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:TILE, 0:TILE].astype(np.float64)
    period = rng.uniform(9, 16)
    angle = rng.choice([0.0, 0.0, 90.0, 45.0, -45.0]) + rng.normal(0, 3)
    t = np.deg2rad(angle)
    u = xx * np.cos(t) + yy * np.sin(t)
    duty = rng.uniform(0.3, 0.55)
    ink = ((u / period) % 1.0 < duty).astype(np.float64)
    return ink, np.ones_like(ink)


def _checks(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:TILE, 0:TILE].astype(np.float64)
    period = rng.uniform(12, 20)
    a = ((xx / period) % 1.0 < 0.5).astype(np.float64)
    b = ((yy / period) % 1.0 < 0.5).astype(np.float64)
    if rng.random() < 0.5:  # gingham: overlaps are darker
        ink = 0.5 * (a + b)
    else:  # chequerboard
        ink = np.logical_xor(a > 0, b > 0).astype(np.float64)
    return ink, np.ones_like(ink)


def _dots(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:TILE, 0:TILE].astype(np.float64)
    period = rng.uniform(11, 17)
    radius = rng.uniform(0.22, 0.34) * period
    row = np.floor(yy / period)
    shift = (row % 2) * period / 2  # staggered rows
    fx = (xx + shift) % period - period / 2
    fy = yy % period - period / 2
    ink = (fx**2 + fy**2 < radius**2).astype(np.float64)
    return ink, np.ones_like(ink)


def _leopard(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    img = Image.new("L", (TILE, TILE), 0)
    draw = ImageDraw.Draw(img)
    n = int(TILE * TILE / 260)
    centres = rng.uniform(-10, TILE + 10, size=(n, 2))
    for cx, cy in centres:
        r = rng.uniform(5, 9)
        # a broken ring of dark blotches (value 255) around a tawny centre (value 120)
        draw.ellipse([cx - r * 0.7, cy - r * 0.6, cx + r * 0.7, cy + r * 0.6], fill=120)
        for k in range(int(rng.integers(3, 6))):
            a = rng.uniform(0, 2 * math.pi) + k * 1.3
            px, py = cx + r * math.cos(a), cy + 0.85 * r * math.sin(a)
            s = rng.uniform(1.8, 3.2)
            draw.ellipse([px - s, py - s * 0.8, px + s, py + s * 0.8], fill=255)
    ink = np.asarray(img, dtype=np.float64) / 255.0
    return ink, np.ones_like(ink)


def _crocodile(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    step = rng.uniform(11, 16)
    n = int(TILE / step) + 3
    gy, gx = np.mgrid[0:n, 0:n].astype(np.float64)
    pts = np.stack([gx.ravel() * step * 1.25, gy.ravel() * step], axis=1) - step
    pts += rng.uniform(-0.3, 0.3, size=pts.shape) * step
    yy, xx = np.mgrid[0:TILE, 0:TILE].astype(np.float64)
    d = (xx.ravel()[:, None] - pts[None, :, 0]) ** 2 + (yy.ravel()[:, None] - pts[None, :, 1]) ** 2
    part = np.partition(d, 1, axis=1)
    d1, d2 = np.sqrt(part[:, 0]), np.sqrt(part[:, 1])
    nearest = np.argmin(d, axis=1)
    groove = np.clip(1.0 - (d2 - d1) / 2.2, 0, 1).reshape(TILE, TILE)  # cell borders
    cell_light = rng.uniform(0.8, 1.12, size=len(pts))[nearest].reshape(TILE, TILE)
    # scales are domed: lighter in the middle of each cell
    dome = 1.0 + 0.12 * np.clip((d2 - d1) / step, 0, 1).reshape(TILE, TILE)
    return groove, cell_light * dome


TEXTURE_MAKERS = {"stripes": _stripes, "checks": _checks, "dots": _dots,
                  "leopard": _leopard, "crocodile": _crocodile}


def make_texture_bank(rng: np.random.Generator, per_print: int = 12) -> dict:
    bank = {}
    for name, maker in TEXTURE_MAKERS.items():
        bank[name] = [maker(rng) for _ in range(per_print)]
    return bank


# --------------------------------------------------------------------------------------
# Garment silhouettes in unit coordinates (x right, y down), drawn at BIG×BIG.
# Each drawer returns (fabric polygons, detail lines, trims) where trims are
# (polygon, RGB) painted over the fabric (soles, buckles...).
# --------------------------------------------------------------------------------------
def _mirror(half: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Close a left-half outline (from top centre going round the left side to bottom
    centre) into a symmetric polygon."""
    right = [(1.0 - x, y) for x, y in reversed(half)]
    return half + right


def draw_top(rng, variant):
    w = rng.uniform(0.26, 0.33)  # half body width
    top, bottom = rng.uniform(0.14, 0.2), rng.uniform(0.82, 0.9)
    neck = rng.uniform(0.08, 0.12)
    if variant == "sleeveless":
        half = [(0.5 - neck, top), (0.5 - w + 0.03, top + 0.02), (0.5 - w + 0.04, top + 0.2),
                (0.5 - w, top + 0.3), (0.5 - w, bottom), (0.5, bottom)]
    else:
        sl = rng.uniform(0.14, 0.2)
        half = [(0.5 - neck, top), (0.5 - w - 0.02, top + 0.03), (0.5 - w - sl, top + 0.22),
                (0.5 - w - sl + 0.07, top + 0.3), (0.5 - w, top + 0.22), (0.5 - w, bottom),
                (0.5, bottom)]
    poly = _mirror(half)
    neckline = [(0.5 - neck, top), (0.5, top + rng.uniform(0.05, 0.1)), (0.5 + neck, top)]
    return [poly], [(neckline, 2)], []


def draw_shirt(rng, variant):
    w = rng.uniform(0.25, 0.31)
    top, bottom = rng.uniform(0.12, 0.17), rng.uniform(0.84, 0.92)
    neck = rng.uniform(0.07, 0.1)
    if variant == "short-sleeve":
        sl = rng.uniform(0.14, 0.19)
        half = [(0.5 - neck, top), (0.5 - w - 0.02, top + 0.03), (0.5 - w - sl, top + 0.24),
                (0.5 - w - sl + 0.07, top + 0.31), (0.5 - w, top + 0.23), (0.5 - w, bottom),
                (0.5, bottom)]
    else:
        half = [(0.5 - neck, top), (0.5 - w - 0.02, top + 0.03), (0.5 - w - 0.16, bottom - 0.06),
                (0.5 - w - 0.08, bottom - 0.02), (0.5 - w, top + 0.3), (0.5 - w, bottom),
                (0.5, bottom)]
    poly = _mirror(half)
    details = [([(0.5, top + 0.06), (0.5, bottom)], 2)]  # button placket
    collar_l = [(0.5 - neck, top), (0.5 - neck - 0.03, top + 0.1), (0.5 - 0.01, top + 0.08)]
    collar_r = [(1 - x, y) for x, y in collar_l]
    trims = []
    for y in np.linspace(top + 0.12, bottom - 0.08, 5):
        trims.append(([(0.49, y - 0.012), (0.51, y - 0.012), (0.51, y + 0.012), (0.49, y + 0.012)],
                      (230, 230, 225)))
    return [poly, collar_l, collar_r], details + [(collar_l, 2), (collar_r, 2)], trims


def draw_pullover(rng, variant):
    w = rng.uniform(0.27, 0.33)
    top, bottom = rng.uniform(0.12, 0.18), rng.uniform(0.82, 0.9)
    neck = rng.uniform(0.08, 0.12)
    half = [(0.5 - neck, top), (0.5 - w - 0.03, top + 0.04), (0.5 - w - 0.17, bottom - 0.04),
            (0.5 - w - 0.08, bottom), (0.5 - w, top + 0.3), (0.5 - w + 0.01, bottom), (0.5, bottom)]
    poly = _mirror(half)
    hem = [(0.5 - w + 0.01, bottom - 0.05), (0.5 + w - 0.01, bottom - 0.05)]
    details = [(hem, 3)]
    if variant == "v-neck":
        details.append(([(0.5 - neck, top), (0.5, top + 0.17), (0.5 + neck, top)], 3))
    else:
        details.append(([(0.5 - neck, top), (0.5, top + 0.06), (0.5 + neck, top)], 3))
    return [poly], details, []


def draw_dress(rng, variant):
    top, bottom = rng.uniform(0.08, 0.14), rng.uniform(0.88, 0.95)
    waist = rng.uniform(0.38, 0.5)
    bw = rng.uniform(0.12, 0.16)  # bodice half-width
    flare = rng.uniform(0.2, 0.36) if variant != "sheath" else rng.uniform(0.15, 0.19)
    half = [(0.5 - 0.06, top), (0.5 - bw, top + 0.03), (0.5 - bw - 0.01, waist - 0.12),
            (0.5 - bw + 0.03, waist), (0.5 - flare, bottom), (0.5, bottom)]
    if variant == "sleeved":
        half = [(0.5 - 0.06, top), (0.5 - bw - 0.01, top + 0.02), (0.5 - bw - 0.1, top + 0.16),
                (0.5 - bw - 0.05, top + 0.2), (0.5 - bw - 0.01, top + 0.13),
                (0.5 - bw - 0.01, waist - 0.12), (0.5 - bw + 0.03, waist), (0.5 - flare, bottom),
                (0.5, bottom)]
    poly = _mirror(half)
    details = [([(0.5 - bw + 0.03, waist), (0.5 + bw - 0.03, waist)], 2)]
    return [poly], details, []


def draw_coat(rng, variant):
    w = rng.uniform(0.26, 0.32)
    top, bottom = rng.uniform(0.06, 0.1), rng.uniform(0.92, 0.97)
    neck = rng.uniform(0.07, 0.1)
    hem_w = w + rng.uniform(0.0, 0.06)
    half = [(0.5 - neck, top), (0.5 - w - 0.03, top + 0.04), (0.5 - w - 0.17, bottom - 0.2),
            (0.5 - w - 0.08, bottom - 0.17), (0.5 - w, top + 0.3), (0.5 - hem_w, bottom),
            (0.5, bottom)]
    poly = _mirror(half)
    details = [([(0.5, top + 0.12), (0.5, bottom)], 3),
               ([(0.5 - neck, top), (0.5 - 0.02, top + 0.3)], 3),
               ([(0.5 + neck, top), (0.5 + 0.02, top + 0.3)], 3)]
    if variant == "belted":
        y = rng.uniform(0.48, 0.56)
        details.append(([(0.5 - w, y), (0.5 + w, y)], 4))
    trims = []
    for y in np.linspace(top + 0.3, bottom - 0.2, 3):
        trims.append(([(0.45, y - 0.02), (0.49, y - 0.02), (0.49, y + 0.02), (0.45, y + 0.02)],
                      (30, 30, 30)))
    return [poly], details, trims


def draw_trouser(rng, variant):
    top, bottom = rng.uniform(0.05, 0.1), rng.uniform(0.92, 0.97)
    w = rng.uniform(0.17, 0.23)  # waist half-width
    crotch = rng.uniform(0.3, 0.38)
    gap = 0.015
    flare = rng.uniform(-0.04, 0.06) if variant != "wide" else rng.uniform(0.08, 0.14)
    leg_w = rng.uniform(0.13, 0.17)
    poly = [(0.5 - w, top), (0.5 + w, top), (0.5 + w + flare * 0.5, bottom * 0.6 + crotch * 0.4),
            (0.5 + w + flare, bottom), (0.5 + w + flare - leg_w - 0.03, bottom),
            (0.5 + gap, crotch), (0.5 - gap, crotch), (0.5 - w - flare + leg_w + 0.03, bottom),
            (0.5 - w - flare, bottom), (0.5 - w - flare * 0.5, bottom * 0.6 + crotch * 0.4)]
    details = [([(0.5 - w, top + 0.05), (0.5 + w, top + 0.05)], 2),
               ([(0.5, top + 0.05), (0.5, crotch)], 2)]
    return [poly], details, []


def draw_sandal(rng, variant):
    y0 = rng.uniform(0.6, 0.7)
    sole_t = rng.uniform(0.06, 0.09)
    x0, x1 = rng.uniform(0.05, 0.1), rng.uniform(0.9, 0.95)
    heel = rng.uniform(0.06, 0.14) if variant == "heeled" else 0.0

    def base(x):  # top of the sole at x (the heel end is raised for heeled sandals)
        return y0 - heel * (x1 - x) / (x1 - x0)

    sole = [(x0, base(x0)), (x1, base(x1)), (x1, base(x1) + sole_t), (x0, base(x0) + sole_t)]
    if variant == "heeled":
        sole = sole[:3] + [(x1 - 0.1, base(x1) + sole_t), (x1 - 0.1, y0 + heel + 0.12),
                           (x1 - 0.16, y0 + heel + 0.12), (x1 - 0.16, base(x1 - 0.16) + sole_t),
                           (x0, base(x0) + sole_t)]
    straps = []
    n_straps = int(rng.integers(2, 4))
    for cx in np.linspace(x0 + 0.14, x1 - 0.14, n_straps):
        hgt = rng.uniform(0.14, 0.24)
        b = base(cx) + 0.01
        tw = rng.uniform(0.035, 0.05)  # strap thickness
        straps.append([(cx - 0.08, b), (cx - 0.05, b - hgt), (cx + 0.05, b - hgt), (cx + 0.08, b),
                       (cx + 0.08 - tw, b), (cx + 0.05 - tw * 0.7, b - hgt + tw),
                       (cx - 0.05 + tw * 0.7, b - hgt + tw), (cx - 0.08 + tw, b)])
    sole_rgb = (60, 45, 35) if variant != "heeled" else (40, 40, 40)
    return [sole] + straps, [], [(sole, sole_rgb)]


def draw_sneaker(rng, variant):
    y_sole = rng.uniform(0.66, 0.74)
    x0, x1 = rng.uniform(0.05, 0.1), rng.uniform(0.9, 0.95)
    hgt = rng.uniform(0.28, 0.36) if variant != "high-top" else rng.uniform(0.4, 0.5)
    sole_t = rng.uniform(0.06, 0.09)
    upper = [(x0, y_sole), (x0 + 0.02, y_sole - 0.12), (x0 + 0.25, y_sole - 0.18),
             (x0 + 0.45, y_sole - hgt + 0.06), (x1 - 0.18, y_sole - hgt), (x1 - 0.02, y_sole - hgt + 0.02),
             (x1, y_sole - 0.1), (x1, y_sole)]
    sole = [(x0 - 0.01, y_sole), (x1 + 0.01, y_sole), (x1 + 0.01, y_sole + sole_t),
            (x0 + 0.03, y_sole + sole_t), (x0 - 0.01, y_sole + sole_t * 0.4)]
    laces = [([(x0 + 0.3 + 0.05 * k, y_sole - 0.17 - 0.025 * k),
               (x0 + 0.34 + 0.05 * k, y_sole - 0.13 - 0.025 * k)], 2) for k in range(4)]
    swoosh = [([(x0 + 0.22, y_sole - 0.04), (x1 - 0.25, y_sole - 0.12)], 3)]
    return [upper, sole], laces + swoosh, [(sole, (235, 235, 235))]


def draw_boot(rng, variant):
    y_sole = rng.uniform(0.8, 0.86)
    x0, x1 = rng.uniform(0.06, 0.12), rng.uniform(0.86, 0.93)
    shaft_x0 = rng.uniform(0.5, 0.58)
    shaft_top = rng.uniform(0.1, 0.2)
    heel_h = rng.uniform(0.04, 0.08) if variant != "heeled" else rng.uniform(0.1, 0.16)
    upper = [(x0, y_sole), (x0 + 0.02, y_sole - 0.14), (x0 + 0.2, y_sole - 0.24),
             (shaft_x0, y_sole - 0.3), (shaft_x0 - 0.02, shaft_top), (x1 - 0.02, shaft_top),
             (x1, y_sole - 0.2), (x1, y_sole)]
    sole = [(x0 - 0.01, y_sole), (x1 + 0.01, y_sole), (x1 + 0.01, y_sole + heel_h),
            (x1 - 0.14, y_sole + heel_h), (x1 - 0.16, y_sole + 0.03), (x0 + 0.02, y_sole + 0.03)]
    details = [([(shaft_x0 + 0.05, shaft_top + 0.02), (shaft_x0 + 0.05, y_sole - 0.25)], 3)]
    return [upper, sole], details, [(sole, (30, 28, 26))]


def draw_bag(rng, variant):
    x0, x1 = rng.uniform(0.1, 0.2), rng.uniform(0.8, 0.9)
    y0, y1 = rng.uniform(0.38, 0.5), rng.uniform(0.85, 0.92)
    taper = rng.uniform(0.0, 0.08)
    body = [(x0 + taper, y0), (x1 - taper, y0), (x1, y1), (x0, y1)]
    details = []
    polys = [body]
    if variant == "tote":
        hx0, hx1 = x0 + 0.15, x1 - 0.15
        hy = y0 - rng.uniform(0.2, 0.3)
        handle = [(hx0, y0), (hx0 + 0.02, hy), (hx1 - 0.02, hy), (hx1, y0),
                  (hx1 - 0.04, y0), (hx1 - 0.05, hy + 0.04), (hx0 + 0.05, hy + 0.04), (hx0 + 0.04, y0)]
        polys.append(handle)
    elif variant == "clutch":
        details.append(([(x0 + taper, y0), (0.5, y0 + (y1 - y0) * 0.45), (x1 - taper, y0)], 3))
    else:  # shoulder bag with a thin strap
        details.append(([(x0 + taper + 0.03, y0), (0.5, rng.uniform(0.05, 0.15)),
                         (x1 - taper - 0.03, y0)], 2))
    trims = [([(0.47, y0 + 0.05), (0.53, y0 + 0.05), (0.53, y0 + 0.09), (0.47, y0 + 0.09)],
              (200, 170, 60))]
    return polys, details, trims


DRAWERS = {
    "t-shirt/top": (draw_top, ["crew", "crew", "sleeveless"]),
    "trouser": (draw_trouser, ["straight", "straight", "wide"]),
    "pullover": (draw_pullover, ["crew", "v-neck"]),
    "dress": (draw_dress, ["a-line", "sheath", "sleeved"]),
    "coat": (draw_coat, ["plain", "belted"]),
    "sandal": (draw_sandal, ["flat", "flat", "heeled"]),
    "shirt": (draw_shirt, ["long-sleeve", "long-sleeve", "short-sleeve"]),
    "sneaker": (draw_sneaker, ["low", "low", "high-top"]),
    "bag": (draw_bag, ["tote", "shoulder", "clutch"]),
    "ankle boot": (draw_boot, ["flat", "heeled"]),
}


def _transform(points, scale, sx, angle, dx, dy):
    ca, sa = math.cos(angle), math.sin(angle)
    out = []
    for x, y in points:
        x, y = (x - 0.5) * scale * sx, (y - 0.5) * scale
        x, y = x * ca - y * sa, x * sa + y * ca
        out.append(((x + 0.5 + dx) * BIG, (y + 0.5 + dy) * BIG))
    return out


def render_garment(rng, category, print_name, colour, bank) -> tuple[np.ndarray, str]:
    drawer, variants = DRAWERS[category]
    variant = variants[int(rng.integers(len(variants)))]
    polys, details, trims = drawer(rng, variant)
    scale = rng.uniform(0.8, 1.0)
    sx = rng.uniform(0.88, 1.1)
    angle = math.radians(rng.normal(0, 4))
    dx, dy = rng.uniform(-0.08, 0.08, size=2)
    if rng.random() < 0.5 and category in {"sandal", "sneaker", "ankle boot", "bag"}:
        flip = True
    else:
        flip = False

    def tf(points):
        pts = [(1 - x, y) for x, y in points] if flip else points
        return _transform(pts, scale, sx, angle, dx, dy)

    mask_img = Image.new("L", (BIG, BIG), 0)
    d = ImageDraw.Draw(mask_img)
    for poly in polys:
        d.polygon(tf(poly), fill=255)
    mask = np.asarray(mask_img, dtype=np.float64) / 255.0

    base = np.array(COLOURS[colour][0], dtype=np.float64) / 255.0
    if print_name == "plain":
        fabric = np.broadcast_to(base, (BIG, BIG, 3)).copy()
    else:
        ink, light = bank[print_name][int(rng.integers(len(bank[print_name])))]
        ox, oy = rng.integers(0, TILE - BIG, size=2)
        ink = ink[oy:oy + BIG, ox:ox + BIG][..., None]
        light = light[oy:oy + BIG, ox:ox + BIG][..., None]
        lum = base @ np.array([0.299, 0.587, 0.114])
        if print_name in {"stripes", "dots", "checks"}:
            contrast = np.array([0.93, 0.93, 0.9]) if lum < 0.55 else base * 0.3
            fabric = base * (1 - ink) + contrast * ink
        elif print_name == "leopard":
            ring = np.array([0.1, 0.08, 0.06])
            centre = base * 0.62
            ink_c = np.clip(ink * 2.0, 0, 1)  # 120/255 -> ~0.94 centre weight
            is_ring = (ink > 0.75).astype(np.float64)
            fabric = base * (1 - ink_c) + centre * ink_c
            fabric = fabric * (1 - is_ring) + ring * is_ring
        else:  # crocodile
            fabric = base * light * (1 - 0.55 * ink)
    # soft vertical light from above, darker edges for a little volume
    shade = np.linspace(1.06, 0.9, BIG)[:, None, None]
    img = np.clip(fabric * shade, 0, 1) * mask[..., None]

    det_img = Image.new("L", (BIG, BIG), 0)
    dd = ImageDraw.Draw(det_img)
    for line, width in details:
        dd.line(tf(line), fill=255, width=width)
    det = np.asarray(det_img, dtype=np.float64)[..., None] / 255.0
    img = img * (1 - 0.45 * det * mask[..., None])

    for poly, rgb in trims:
        t_img = Image.new("L", (BIG, BIG), 0)
        ImageDraw.Draw(t_img).polygon(tf(poly), fill=255)
        t = np.asarray(t_img, dtype=np.float64)[..., None] / 255.0
        img = img * (1 - t) + (np.array(rgb) / 255.0) * t

    small = Image.fromarray(np.round(img * 255).astype(np.uint8), "RGB").reduce(SS)
    return np.asarray(small, dtype=np.uint8), variant


# --------------------------------------------------------------------------------------
# Catalogue attributes, with the planted associations documented in the datasheet.
# --------------------------------------------------------------------------------------
def sample_catalogue(rng: np.random.Generator, n: int, first_id: int) -> pd.DataFrame:
    colour_names = list(COLOURS)
    cat_ids = rng.integers(0, len(CATEGORIES), size=n)
    rows = []
    for k, cid in enumerate(cat_ids):
        cat = CATEGORIES[cid]
        # planted stereotype: dresses skew pink/red/purple, trousers and coats skew neutral
        w = np.ones(len(colour_names))
        if cat == "dress":
            for c in ("pink", "red", "purple"):
                w[colour_names.index(c)] = 4.0
        if cat in {"trouser", "coat", "ankle boot"}:
            for c in ("black", "navy", "grey", "beige"):
                w[colour_names.index(c)] = 4.0
        colour = colour_names[rng.choice(len(w), p=w / w.sum())]
        tier = TIERS[rng.choice(4, p=[0.3, 0.4, 0.22, 0.08])]
        # planted: animal prints are concentrated in the premium and luxury tiers
        pw = np.array([0.5, 0.12, 0.1, 0.12, 0.08, 0.08])
        if tier in {"premium", "luxury"}:
            pw[4:] *= 3.0
        if cat in {"sandal", "sneaker"}:
            pw[[1, 2, 3]] *= 0.5
        print_name = PRINTS[rng.choice(6, p=pw / pw.sum())]
        brand = BRANDS[tier][int(rng.integers(len(BRANDS[tier])))]
        price = BASE_PRICE[cat] * TIER_FACTOR[tier] * PRINT_FACTOR[print_name]
        price *= math.exp(rng.normal(0, 0.15))
        price = math.floor(price) + 0.99 if price > 5 else round(price, 2)
        rows.append(dict(item_id=first_id + k, category=cat, category_id=int(cid),
                         print=print_name, colour=colour, colour_hex="#{:02x}{:02x}{:02x}".format(*COLOURS[colour][0]),
                         brand=brand, brand_tier=tier, price_eur=round(price, 2)))
    return pd.DataFrame(rows)


def render_split(rng, items: pd.DataFrame, bank) -> tuple[np.ndarray, list[str]]:
    images = np.zeros((len(items), SIZE, SIZE, 3), dtype=np.uint8)
    variants = []
    for i, row in enumerate(items.itertuples(index=False)):
        images[i], v = render_garment(rng, row.category, row.print, row.colour, bank)
        variants.append(v)
    return images, variants


def write_sheet(images: np.ndarray, path: Path) -> None:
    n = len(images)
    rows = -(-n // TILES_PER_ROW)
    sheet = np.zeros((rows * SIZE, TILES_PER_ROW * SIZE, 3), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, TILES_PER_ROW)
        sheet[r * SIZE:(r + 1) * SIZE, c * SIZE:(c + 1) * SIZE] = images[i]
    Image.fromarray(sheet, "RGB").save(path, format="PNG", compress_level=9, optimize=False)


# --------------------------------------------------------------------------------------
# Customers and interactions
# --------------------------------------------------------------------------------------
STYLES = {  # style profile -> (print affinities, colour affinities, category affinities)
    "classic": ({"plain": 1.0, "checks": 0.6, "stripes": 0.4},
                {"navy": 0.8, "beige": 0.8, "white": 0.5, "black": 0.5},
                {"coat": 0.6, "shirt": 0.6, "trouser": 0.4, "ankle boot": 0.3}),
    "bold": ({"leopard": 1.2, "crocodile": 0.9, "dots": 0.4},
             {"red": 0.9, "pink": 0.7, "orange": 0.6, "purple": 0.6},
             {"dress": 0.7, "bag": 0.6, "ankle boot": 0.4}),
    "sporty": ({"plain": 0.6, "stripes": 0.8},
               {"blue": 0.7, "white": 0.7, "green": 0.5, "grey": 0.5},
               {"sneaker": 1.0, "t-shirt/top": 0.7, "pullover": 0.5}),
    "minimal": ({"plain": 1.3},
                {"black": 1.0, "white": 0.8, "grey": 0.8},
                {"trouser": 0.5, "coat": 0.4, "t-shirt/top": 0.4, "bag": 0.3}),
    "boho": ({"dots": 0.9, "checks": 0.5, "leopard": 0.3},
             {"orange": 0.8, "yellow": 0.8, "teal": 0.6, "beige": 0.5},
             {"dress": 0.9, "sandal": 0.8, "bag": 0.4}),
}
AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55+"]
REGIONS = ["north", "south", "east", "west"]
N_CUSTOMERS = 800
START = np.datetime64("2025-09-01T00:00:00")
DAYS = 120


def build_customers(rng: np.random.Generator) -> pd.DataFrame:
    style_names = list(STYLES)
    rows = []
    for cid in range(N_CUSTOMERS):
        age = AGE_BANDS[rng.choice(5, p=[0.2, 0.3, 0.22, 0.16, 0.12])]
        # planted: younger shoppers skew sporty/bold, older ones classic
        w = np.array([1.0, 1.0, 1.0, 1.0, 1.0])
        if age in {"18-24", "25-34"}:
            w[[1, 2]] *= 2.0
        if age in {"45-54", "55+"}:
            w[0] *= 3.0
        style = style_names[rng.choice(5, p=w / w.sum())]
        budget = rng.choice(["low", "mid", "high"], p=[0.35, 0.45, 0.2])
        activity = float(np.exp(rng.normal(0, 0.8)))  # long-tailed activity level
        rows.append(dict(customer_id=cid, age_band=age, region=REGIONS[int(rng.integers(4))],
                         style_profile=style, budget=budget, activity_level=activity))
    return pd.DataFrame(rows)


def build_interactions(rng, customers: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    n_items = len(items)
    # item feature one-hots
    P = pd.get_dummies(items["print"]).reindex(columns=PRINTS, fill_value=0).to_numpy(float)
    C = pd.get_dummies(items["colour"]).reindex(columns=list(COLOURS), fill_value=0).to_numpy(float)
    K = pd.get_dummies(items["category"]).reindex(columns=CATEGORIES, fill_value=0).to_numpy(float)
    log_price = np.log(items["price_eur"].to_numpy())
    # planted exposure bias: 8 % of items are "featured" on the home page
    featured = rng.random(n_items) < 0.08
    budget_pen = {"low": 1.2, "mid": 0.6, "high": 0.15}
    rows = []
    for cust in customers.itertuples(index=False):
        pa, ca, ka = STYLES[cust.style_profile]
        wp = np.array([pa.get(p, 0.0) for p in PRINTS]) + rng.normal(0, 0.3, len(PRINTS))
        wc = np.array([ca.get(c, 0.0) for c in COLOURS]) + rng.normal(0, 0.3, len(COLOURS))
        wk = np.array([ka.get(k, 0.0) for k in CATEGORIES]) + rng.normal(0, 0.3, len(CATEGORIES))
        affinity = 1.6 * (P @ wp + C @ wc + K @ wk) - budget_pen[cust.budget] * (log_price - 3.8)
        logits = affinity + np.where(featured, 1.5, 0.0)  # featured items get seen more
        prob = np.exp(logits - logits.max())
        prob /= prob.sum()
        n_views = int(np.clip(rng.poisson(28 * cust.activity_level), 3, 400))
        viewed = rng.choice(n_items, size=n_views, replace=True, p=prob)
        t0 = rng.uniform(0, DAYS * 86400 - 7 * 86400)
        times = np.sort(t0 + rng.exponential(DAYS * 86400 / 6, size=n_views)) % (DAYS * 86400)
        for item, t in zip(viewed, times, strict=True):
            rows.append((cust.customer_id, int(item), int(t), "view"))
            # purchases depend on affinity only (featured status does not raise conversion)
            p_buy = 1 / (1 + math.exp(-(affinity[item] - 5.5)))
            if rng.random() < p_buy:
                delay = int(rng.exponential(1800)) + 30
                rows.append((cust.customer_id, int(item), int(t) + delay, "purchase"))
    df = pd.DataFrame(rows, columns=["customer_id", "item_id", "t", "event"])
    df["item_id"] = items["item_id"].to_numpy()[df["item_id"].to_numpy()]
    df = df.sort_values(["t", "customer_id", "item_id", "event"], kind="mergesort").reset_index(drop=True)
    stamps = (START + df["t"].to_numpy().astype("timedelta64[s]")).astype("datetime64[s]")
    df["timestamp"] = np.datetime_as_string(stamps, unit="s")
    df["timestamp"] = df["timestamp"] + "Z"
    return df[["customer_id", "item_id", "timestamp", "event"]], featured


# --------------------------------------------------------------------------------------
# Stylist-labelled outfits
# --------------------------------------------------------------------------------------
RULES = ["structure", "shoes", "animal_prints", "colour_clash", "busy_prints", "season"]


def outfit_violations(rows: pd.DataFrame) -> list[str]:
    """Every rule an outfit breaks (rules as in DATASHEET.md)."""
    cats = list(rows["category"])
    broken = []
    n_top = sum(c in TOPS for c in cats)
    n_bottom = sum(c in BOTTOMS for c in cats)
    n_dress = cats.count("dress")
    ok_core = (n_dress == 1 and n_top == 0 and n_bottom == 0) or (
        n_dress == 0 and n_top == 1 and n_bottom == 1)
    if not ok_core or cats.count("coat") > 1 or cats.count("bag") > 1:
        broken.append("structure")
    if sum(c in SHOES for c in cats) != 1:
        broken.append("shoes")
    if sum(p in ANIMAL_PRINTS for p in rows["print"]) > 1:
        broken.append("animal_prints")
    cols = list(rows["colour"])
    if any(colours_clash(a, b) for i, a in enumerate(cols) for b in cols[i + 1:]):
        broken.append("colour_clash")
    if sum(p != "plain" for p in rows["print"]) > 2:
        broken.append("busy_prints")
    if "sandal" in cats and "coat" in cats:
        broken.append("season")
    return broken


def build_outfits(rng, items: pd.DataFrame, n_compatible=1500, n_incompatible=1500) -> pd.DataFrame:
    by_cat = {c: items.index[items["category"] == c].to_numpy() for c in CATEGORIES}

    def pick(cat):
        return int(by_cat[cat][int(rng.integers(len(by_cat[cat])))])

    def random_outfit():
        idx = []
        if rng.random() < 0.4:
            idx.append(pick("dress"))
        else:
            idx.append(pick(["t-shirt/top", "pullover", "shirt"][int(rng.integers(3))]))
            idx.append(pick("trouser"))
        if rng.random() < 0.35:
            idx.append(pick("coat"))
        idx.append(pick(["sandal", "sneaker", "ankle boot"][int(rng.integers(3))]))
        if rng.random() < 0.5:
            idx.append(pick("bag"))
        return idx

    def mutate(idx, rule):
        """Change a compatible outfit so that it breaks ``rule``."""
        idx = list(idx)
        cats = list(items.loc[idx, "category"])
        if rule == "structure":
            choice = int(rng.integers(3))
            if choice == 0 and "dress" in cats:  # dress worn with trousers
                idx.insert(1, pick("trouser"))
            elif choice == 1 and "trouser" in cats:  # two tops, no bottoms
                idx[cats.index("trouser")] = pick("t-shirt/top")
            else:  # bottoms without a top
                core = cats.index("dress") if "dress" in cats else next(
                    i for i, c in enumerate(cats) if c in TOPS)
                idx[core] = pick("trouser") if "dress" in cats else None
                idx = [i for i in idx if i is not None]
        elif rule == "shoes":
            if rng.random() < 0.6:
                idx = [i for i, c in zip(idx, cats, strict=True) if c not in SHOES]
            else:
                idx.append(pick(["sandal", "sneaker", "ankle boot"][int(rng.integers(3))]))
        elif rule == "animal_prints":
            animals = items.index[items["print"].isin(ANIMAL_PRINTS)]
            pos = rng.choice(len(idx), size=2, replace=False)
            for p in pos:
                same = np.intersect1d(animals, by_cat[cats[p]])
                idx[p] = int(same[int(rng.integers(len(same)))])
        elif rule == "colour_clash":
            p, q = rng.choice(len(idx), size=2, replace=False)
            hue_col = [c for c in COLOURS if COLOURS[c][1] is not None]
            a = hue_col[int(rng.integers(len(hue_col)))]
            b_opts = [c for c in hue_col if colours_clash(a, c)]
            b = b_opts[int(rng.integers(len(b_opts)))]
            for pos, col in ((p, a), (q, b)):
                same = items.index[(items["category"] == cats[pos]) & (items["colour"] == col)]
                idx[pos] = int(same[int(rng.integers(len(same)))])
        elif rule == "busy_prints":
            geo = items.index[items["print"].isin(["stripes", "dots", "checks"])]
            pos = rng.choice(len(idx), size=min(3, len(idx)), replace=False)
            for p in pos:
                same = np.intersect1d(geo, by_cat[cats[p]])
                idx[p] = int(same[int(rng.integers(len(same)))])
        elif rule == "season":
            shoe = next(i for i, c in enumerate(cats) if c in SHOES)
            idx[shoe] = pick("sandal")
            if "coat" not in cats:
                idx.insert(len(idx) - 1, pick("coat"))
        return idx

    records = []
    seen = set()
    while sum(r["compatible"] for r in records) < n_compatible:
        idx = random_outfit()
        key = tuple(sorted(idx))
        if key in seen or outfit_violations(items.loc[idx]):
            continue
        seen.add(key)
        records.append(dict(idx=idx, compatible=True, rule="none"))
    compatible = [r["idx"] for r in records]
    k = 0
    while len(records) < n_compatible + n_incompatible:
        rule = RULES[k % len(RULES)]
        base = compatible[int(rng.integers(len(compatible)))]
        idx = mutate(base, rule)
        key = tuple(sorted(idx))
        if key in seen or outfit_violations(items.loc[idx]) != [rule]:
            continue  # keep only outfits that break exactly the intended rule
        seen.add(key)
        records.append(dict(idx=idx, compatible=False, rule=rule))
        k += 1
    order = rng.permutation(len(records))
    item_ids = items["item_id"].to_numpy()
    out = []
    for oid, j in enumerate(order):
        r = records[j]
        out.append(dict(outfit_id=oid, item_ids=" ".join(str(item_ids[i]) for i in r["idx"]),
                        n_items=len(r["idx"]), compatible=r["compatible"], rule=r["rule"],
                        stylist=f"stylist_{int(rng.integers(1, 6))}"))
    return pd.DataFrame(out)


def main() -> None:
    t_start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    bank = make_texture_bank(np.random.default_rng(SEED + 1))
    items = sample_catalogue(rng, N_TRAIN + N_TEST, first_id=0)
    items.insert(1, "split", ["train"] * N_TRAIN + ["test"] * N_TEST)
    img_rng = np.random.default_rng(SEED + 2)
    images, variants = render_split(img_rng, items, bank)
    items.insert(4, "variant", variants)
    write_sheet(images[:N_TRAIN], HERE / "garments_train.png")
    write_sheet(images[N_TRAIN:], HERE / "garments_test.png")
    t_img = time.perf_counter() - t_start

    customers = build_customers(np.random.default_rng(SEED + 3))
    train_items = items[items["split"] == "train"].reset_index(drop=True)
    interactions, featured = build_interactions(np.random.default_rng(SEED + 4), customers, train_items)
    items["featured"] = False
    items.loc[: N_TRAIN - 1, "featured"] = featured
    outfits = build_outfits(np.random.default_rng(SEED + 5), train_items)

    items.to_csv(HERE / "items.csv", index=False, lineterminator="\n")
    customers.drop(columns="activity_level").to_csv(HERE / "customers.csv", index=False, lineterminator="\n")
    interactions.to_csv(HERE / "interactions.csv", index=False, lineterminator="\n")
    outfits.to_csv(HERE / "outfits.csv", index=False, lineterminator="\n")
    write_manifest(HERE)
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"images: {t_img:.1f} s; total {time.perf_counter() - t_start:.1f} s; "
          f"{len(items)} items, {len(interactions)} interactions, {len(outfits)} outfits; "
          f"folder {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
