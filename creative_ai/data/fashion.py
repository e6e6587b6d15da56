"""The bundled fashion catalogue (see ``datasets/fashion/DATASHEET.md``).

A fictional online fashion shop: 12,000 procedurally drawn garments (10,000 ``"train"``,
2,000 held-out ``"test"``) in the ten Fashion-MNIST categories, their attributes (print,
colour, brand tier, price), 800 simulated customers with their views and purchases, and
3,000 outfits labelled compatible or incompatible by (rule-following) stylists.

Everything loads offline through :func:`creative_ai.data.bundled_path`, which checks each
file against the dataset's ``SHA256SUMS`` manifest.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from PIL import Image

from creative_ai.data.registry import bundled_path

DATASET = "fashion"

#: The ten categories in Fashion-MNIST order: ``category_id`` indexes this tuple.
GARMENT_CATEGORIES: tuple[str, ...] = (
    "t-shirt/top", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)
#: Print (surface pattern) names; ``"leopard"`` and ``"crocodile"`` are the animal prints.
PRINTS: tuple[str, ...] = ("plain", "stripes", "dots", "checks", "leopard", "crocodile")
ANIMAL_PRINTS: frozenset[str] = frozenset({"leopard", "crocodile"})
#: Colour names used in ``items["colour"]``.
COLOURS: tuple[str, ...] = (
    "black", "white", "grey", "navy", "beige",
    "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink",
)
#: Base RGB (0-255) of each colour as drawn.
COLOUR_RGB: dict[str, tuple[int, int, int]] = {
    "black": (38, 38, 42), "white": (236, 236, 230), "grey": (140, 140, 146),
    "navy": (34, 48, 102), "beige": (214, 193, 158), "red": (200, 36, 44),
    "orange": (236, 128, 28), "yellow": (240, 206, 40), "green": (46, 140, 70),
    "teal": (24, 140, 140), "blue": (48, 104, 210), "purple": (118, 60, 160),
    "pink": (236, 120, 170),
}
#: Hue in degrees on the stylists' colour wheel; ``None`` for the neutrals.
COLOUR_HUES: dict[str, int | None] = {
    "black": None, "white": None, "grey": None, "navy": None, "beige": None,
    "red": 0, "orange": 30, "yellow": 60, "green": 120, "teal": 180, "blue": 220,
    "purple": 275, "pink": 330,
}

_SPLITS = {"train": ("garments_train.png", 10_000), "test": ("garments_test.png", 2_000)}
_TILE = 32
_PER_ROW = 100


def _stamp(path) -> tuple[str, int, int]:
    """Cache key of a verified file: a changed file is re-verified and re-read."""
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def _sheet_images(split: str) -> np.ndarray:
    name, n = _SPLITS[split]
    return _decode_sheet(_stamp(bundled_path(DATASET, name)), n)


@lru_cache(maxsize=2)
def _decode_sheet(stamp: tuple[str, int, int], n: int) -> np.ndarray:
    with Image.open(stamp[0]) as img:
        sheet = np.asarray(img.convert("RGB"), dtype=np.uint8)
    rows = sheet.shape[0] // _TILE
    tiles = sheet.reshape(rows, _TILE, _PER_ROW, _TILE, 3).transpose(0, 2, 1, 3, 4)
    images = tiles.reshape(rows * _PER_ROW, _TILE, _TILE, 3)[:n]
    images.setflags(write=False)
    return images


def _area_matrix(n_out: int, n_in: int) -> np.ndarray:
    """Row-stochastic (n_out, n_in) matrix averaging input pixels by overlap (area resampling)."""
    scale = n_in / n_out
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        lo, hi = i * scale, (i + 1) * scale
        for j in range(int(np.floor(lo)), min(int(np.ceil(hi)), n_in)):
            m[i, j] = min(hi, j + 1) - max(lo, j)
    return m / m.sum(axis=1, keepdims=True)


def to_fashion_mnist_style(images: np.ndarray) -> np.ndarray:
    """Convert (N, 32, 32, 3) uint8 RGB garments to (N, 28, 28) uint8 grayscale.

    Luma uses the ITU-R BT.601 weights (0.299 R + 0.587 G + 0.114 B), then area
    resampling 32 → 28; like Fashion-MNIST, the background stays 0 (black).

    Example::

        >>> images, _ = load_garments("test")
        >>> to_fashion_mnist_style(images[:5]).shape
        (5, 28, 28)
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[1:] != (32, 32, 3):
        raise ValueError(f"expected an array of shape (N, 32, 32, 3), got shape {images.shape}")
    luma = images.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    r = _area_matrix(28, 32)
    small = r @ luma @ r.T  # (28, 32) @ (N, 32, 32) @ (32, 28) -> (N, 28, 28)
    return np.clip(np.round(small), 0, 255).astype(np.uint8)


def _items() -> pd.DataFrame:
    return _read_items(_stamp(bundled_path(DATASET, "items.csv")))


@lru_cache(maxsize=1)
def _read_items(stamp: tuple[str, int, int]) -> pd.DataFrame:
    return pd.read_csv(stamp[0])


def load_fashion_items() -> pd.DataFrame:
    """Every catalogue item of both splits, one row per garment (12,000 rows).

    Columns: ``item_id`` (int, 0..11999; train items are 0..9999), ``split``
    (``"train"``/``"test"``), ``category`` (one of :data:`GARMENT_CATEGORIES`),
    ``category_id`` (int 0..9, Fashion-MNIST label), ``variant`` (shape variant, e.g.
    ``"sleeveless"``), ``print`` (one of :data:`PRINTS`), ``colour`` (one of :data:`COLOURS`),
    ``colour_hex`` (``"#rrggbb"``), ``brand``, ``brand_tier`` (``"budget"``,
    ``"high-street"``, ``"premium"``, ``"luxury"``), ``price_eur`` (float, euros),
    ``featured`` (bool: promoted on the shop's home page; test items are never featured).

    Example::

        >>> items = load_fashion_items()
        >>> items.groupby("brand_tier")["price_eur"].median().round(0).to_dict()  # doctest: +SKIP
    """
    return _items().copy()


def load_garments(split: str = "train", size: int = 32) -> tuple[np.ndarray, pd.DataFrame]:
    """Load garment images and the items they show.

    Parameters
    ----------
    split : ``"train"`` (10,000 images) or ``"test"`` (2,000 held-out images).
    size : ``32`` for RGB images of shape (N, 32, 32, 3), or ``28`` for Fashion-MNIST-like
        grayscale images of shape (N, 28, 28) (see :func:`to_fashion_mnist_style`).

    Returns
    -------
    images : uint8 array, values 0-255, background 0 (black).
    items : DataFrame with one row per image (row ``i`` describes ``images[i]``), columns as
        in :func:`load_fashion_items`; its index is 0..N-1, ``item_id`` keeps the catalogue id.

    Example::

        >>> images, items = load_garments("train")
        >>> images.shape, images.dtype
        ((10000, 32, 32, 3), dtype('uint8'))
        >>> items.loc[0, ["item_id", "category", "print", "colour"]].tolist()  # doctest: +SKIP
        >>> gray, _ = load_garments("test", size=28)
        >>> gray.shape
        (2000, 28, 28)
    """
    if split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if size not in (32, 28) or isinstance(size, bool):
        raise ValueError(f"size must be 32 (RGB) or 28 (grayscale), got {size!r}")
    images = np.array(_sheet_images(split))  # a writable copy
    items = _items()
    items = items[items["split"] == split].reset_index(drop=True)
    if len(items) != len(images):
        raise RuntimeError(
            f"items.csv lists {len(items)} {split} items but the sheet holds {len(images)} images"
        )
    if size == 28:
        images = to_fashion_mnist_style(images)
    return images, items


def load_fashion_customers() -> pd.DataFrame:
    """The 800 simulated customers.

    Columns: ``customer_id`` (int, 0..799), ``age_band`` (``"18-24"`` … ``"55+"``),
    ``region`` (``"north"``/``"south"``/``"east"``/``"west"``), ``style_profile`` (the hidden taste
    profile that drove their behaviour: ``"classic"``, ``"bold"``, ``"sporty"``,
    ``"minimal"``, ``"boho"``), ``budget`` (``"low"``/``"mid"``/``"high"``).

    Example::

        >>> load_fashion_customers()["style_profile"].value_counts().to_dict()  # doctest: +SKIP
    """
    return pd.read_csv(bundled_path(DATASET, "customers.csv"))


def load_fashion_interactions() -> pd.DataFrame:
    """Customer views and purchases of train-split items, sorted by time.

    Columns: ``customer_id`` (int, see :func:`load_fashion_customers`), ``item_id`` (int,
    a train item of :func:`load_fashion_items`), ``timestamp`` (``datetime64[ns, UTC]``,
    1 September to 29 December 2025), ``event`` (``"view"`` or ``"purchase"``; every
    purchase follows a view of the same item by the same customer).

    Example::

        >>> events = load_fashion_interactions()
        >>> events["event"].value_counts().to_dict()  # doctest: +SKIP
        >>> bought = events[events["event"] == "purchase"]
    """
    events = pd.read_csv(bundled_path(DATASET, "interactions.csv"))
    events["timestamp"] = pd.to_datetime(events["timestamp"], utc=True).astype("datetime64[ns, UTC]")
    return events


def load_outfits() -> pd.DataFrame:
    """Stylist-labelled outfits for complete-the-look (3,000 rows, half compatible).

    Columns: ``outfit_id`` (int, 0..2999), ``item_ids`` (tuple of train ``item_id`` ints,
    1 to 6 items), ``n_items`` (int), ``compatible`` (bool), ``rule`` (``"none"`` for a
    compatible outfit, otherwise the one rule it breaks: ``"structure"``, ``"shoes"``,
    ``"animal_prints"``, ``"colour_clash"``, ``"busy_prints"`` or ``"season"``; the rules are
    written out in the datasheet), ``stylist`` (who labelled it).

    Example::

        >>> outfits = load_outfits()
        >>> items = load_fashion_items().set_index("item_id")
        >>> items.loc[list(outfits.loc[0, "item_ids"]), ["category", "print", "colour"]]  # doctest: +SKIP
    """
    outfits = pd.read_csv(bundled_path(DATASET, "outfits.csv"))
    outfits["item_ids"] = [tuple(int(x) for x in s.split()) for s in outfits["item_ids"]]
    outfits["compatible"] = outfits["compatible"].astype(bool)
    return outfits
