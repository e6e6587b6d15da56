"""Bundled images for style transfer (see ``datasets/images/DATASHEET.md``).

* Content photos (6): ``astronaut``, ``chelsea``, ``china``, ``coffee``, ``flower``,
  ``rocket`` — photographs shipped inside scikit-image / scikit-learn, 256 px on the long
  side; public domain, CC0 or CC BY 2.0 (see :func:`load_image_info` for each one's
  source, licence and attribution).
* Style images (8): ``brush_strokes``, ``concentric_squares``, ``cubist_shards``,
  ``ink_wash``, ``mosaic``, ``op_art``, ``pointillism``, ``stained_glass`` — 256×256
  generative art made by the course's builder, CC0.

Images come back as float32 arrays of shape (H, W, 3) with values in [0, 1].
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from PIL import Image

from creative_ai.data.registry import bundled_path

DATASET = "images"
KINDS = ("content", "style")
CONTENT_IMAGES: tuple[str, ...] = ("astronaut", "chelsea", "china", "coffee", "flower", "rocket")
STYLE_IMAGES: tuple[str, ...] = (
    "brush_strokes", "concentric_squares", "cubist_shards", "ink_wash",
    "mosaic", "op_art", "pointillism", "stained_glass",
)
_NAMES = {"content": CONTENT_IMAGES, "style": STYLE_IMAGES}


def load_image_info() -> pd.DataFrame:
    """One row per bundled image: where it comes from and how it may be used.

    Columns: ``kind`` (``"content"``/``"style"``), ``name``, ``file`` (path inside
    ``datasets/images``), ``width``, ``height`` (pixels), ``title``, ``source``, ``licence``,
    ``attribution`` (credit to show when you publish a result made from the image).

    Example::

        >>> info = load_image_info()
        >>> info.set_index("name").loc["china", "licence"]
        'CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/)'
    """
    return pd.read_csv(bundled_path(DATASET, "images.csv"))


def _read(kind: str, name: str) -> np.ndarray:
    path = bundled_path(DATASET, f"{kind}/{name}.png")  # verified (cheaply, once per change)
    st = path.stat()
    return _decode(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=32)
def _decode(path: str, mtime_ns: int, size: int) -> np.ndarray:
    with Image.open(path) as img:
        arr = np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0
    arr.setflags(write=False)
    return arr


def _check_size(size: int | tuple[int, int] | None) -> tuple[int, int] | int | None:
    if size is None:
        return None
    if isinstance(size, bool):
        raise TypeError(f"size must be None, an int or a (height, width) tuple, got {size!r}")
    if isinstance(size, (int, np.integer)):
        if size < 8:
            raise ValueError(f"size must be at least 8 pixels, got {size}")
        return int(size)
    if (
        isinstance(size, tuple)
        and len(size) == 2
        and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in size)
    ):
        if min(size) < 8:
            raise ValueError(f"size must be at least 8 pixels on each side, got {size}")
        return (int(size[0]), int(size[1]))
    raise TypeError(f"size must be None, an int or a (height, width) tuple, got {size!r}")


def _resize(arr: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    h, w = arr.shape[:2]
    if isinstance(size, tuple):
        new_h, new_w = size
    else:  # the long side becomes `size`, the aspect ratio is kept
        s = size / max(h, w)
        new_h, new_w = max(1, round(h * s)), max(1, round(w * s))
    if (new_h, new_w) == (h, w):
        return np.array(arr)
    img = Image.fromarray(np.round(arr * 255).astype(np.uint8))
    img = img.resize((new_w, new_h), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0


def load_image(kind: str, name: str, size: int | tuple[int, int] | None = None) -> np.ndarray:
    """Load one bundled image as a float32 array of shape (H, W, 3), values in [0, 1].

    Parameters
    ----------
    kind : ``"content"`` or ``"style"``.
    name : one of :data:`CONTENT_IMAGES` or :data:`STYLE_IMAGES`.
    size : ``None`` keeps the stored size (content: 256 px long side; style: 256×256);
        an int resizes so that the long side has that many pixels (aspect ratio kept);
        a ``(height, width)`` tuple resizes to exactly that shape. Lanczos resampling.

    Example::

        >>> cat = load_image("content", "chelsea", size=128)
        >>> cat.shape, cat.dtype
        ((85, 128, 3), dtype('float32'))
        >>> load_image("style", "mosaic", size=(64, 64)).shape
        (64, 64, 3)
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be 'content' or 'style', got {kind!r}")
    if name not in _NAMES[kind]:
        raise ValueError(f"unknown {kind} image {name!r}; choose one of {list(_NAMES[kind])}")
    size = _check_size(size)
    arr = _read(kind, name)
    return np.array(arr) if size is None else _resize(arr, size)


def load_content_images(size: int | tuple[int, int] | None = None) -> dict[str, np.ndarray]:
    """All content photos as a dict name -> float32 (H, W, 3) array in [0, 1].

    ``size`` as in :func:`load_image`. Example::

        >>> photos = load_content_images(size=128)
        >>> sorted(photos)
        ['astronaut', 'chelsea', 'china', 'coffee', 'flower', 'rocket']
    """
    size = _check_size(size)
    return {name: load_image("content", name, size) for name in CONTENT_IMAGES}


def load_style_images(size: int | tuple[int, int] | None = None) -> dict[str, np.ndarray]:
    """All generated style images as a dict name -> float32 (H, W, 3) array in [0, 1].

    ``size`` as in :func:`load_image`. Example::

        >>> styles = load_style_images(size=64)
        >>> styles["stained_glass"].shape
        (64, 64, 3)
    """
    size = _check_size(size)
    return {name: load_image("style", name, size) for name in STYLE_IMAGES}
