"""Show images and play sound in notebooks.

Figures use a colour-blind-safe palette (Okabe–Ito) and always carry titles; audio players
state their sample rate, because a clip played at the wrong rate sounds plausible but wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

OKABE_ITO = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
]


def _as_image(image, index: int) -> np.ndarray:
    """Return an (H, W) or (H, W, 3|4) float/uint8 array from arrays or torch tensors."""
    if hasattr(image, "detach"):  # torch tensors are channel-first (C, H, W) by convention
        image = image.detach().cpu().float().numpy()
        if image.ndim == 3 and image.shape[0] in (1, 3, 4):
            image = np.moveaxis(image, 0, -1)
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[-1] not in (3, 4)):
        raise ValueError(
            f"image {index}: expected shape (H, W), (H, W, 3) or (H, W, 4) (or a channel-first "
            f"tensor), got {image.shape}"
        )
    if image.dtype.kind == "f":
        lo, hi = float(np.nanmin(image)), float(np.nanmax(image))
        if lo < -1e-6 or hi > 1 + 1e-6:
            if lo >= -1 - 1e-6 and hi <= 1 + 1e-6:
                image = (image + 1) / 2  # GAN outputs live in [-1, 1]
            else:
                raise ValueError(
                    f"image {index}: float images must lie in [0, 1] (or [-1, 1]); got values "
                    f"from {lo:.3g} to {hi:.3g}. Rescale it, e.g. (x - x.min()) / (x.max() - x.min())."
                )
    return image


def image_grid(
    images: Sequence,
    titles: Sequence[str] | None = None,
    ncols: int = 6,
    size: float = 2.0,
    suptitle: str | None = None,
    cmap: str = "gray",
):
    """Draw images in a grid and return the matplotlib Figure.

    ``images``: a sequence (or array of shape (N, H, W[, C])) of images, as uint8 or floats
    in [0, 1] (floats in [-1, 1] are mapped to [0, 1]); torch tensors may be channel-first.
    ``titles``: one per image, or None. ``size``: inches per cell.
    """
    import matplotlib.pyplot as plt

    images = list(images)
    if not images:
        raise ValueError("image_grid needs at least one image, got an empty sequence")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"expected {len(images)} titles (one per image), got {len(titles)}")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(_as_image(images[i], i), cmap=cmap, interpolation="nearest")
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


class CaptionedAudio:
    """An IPython audio player with a caption naming the sample rate and duration."""

    def __init__(self, audio, caption: str):
        self.audio = audio
        self.caption = caption

    def _repr_html_(self) -> str:
        import html

        return (
            f"<figure style='margin:0'><figcaption><b>{html.escape(self.caption)}</b>"
            f"</figcaption>{self.audio._repr_html_()}</figure>"
        )

    def __repr__(self) -> str:
        return f"<audio: {self.caption}>"


def audio_player(y, sr: int, title: str | None = None, normalize: bool = True) -> CaptionedAudio:
    """Return an audio player for a mono or stereo signal, captioned with its sample rate.

    ``y``: samples, shape (n,) or (channels, n), floats in [-1, 1]. ``sr``: samples per
    second (Hz). The caption reads e.g. ``"kick drum — 22,050 Hz, 2.0 s"`` so learners know
    what they hear. Show it by making it the last expression of a cell, or with
    ``IPython.display.display``.
    """
    from IPython.display import Audio

    y = np.asarray(y)
    if y.ndim not in (1, 2) or y.size == 0:
        raise ValueError(f"expected a non-empty signal of shape (n,) or (channels, n), got {y.shape}")
    if isinstance(sr, bool) or not isinstance(sr, (int, np.integer)) or sr <= 0:
        raise ValueError(f"sr must be a positive integer number of samples per second, got {sr!r}")
    if not np.isfinite(y).all():
        raise ValueError("the signal contains NaN or infinite samples")
    seconds = y.shape[-1] / sr
    caption = f"{title + ' — ' if title else ''}{int(sr):,} Hz, {seconds:.1f} s"
    return CaptionedAudio(Audio(y, rate=int(sr), normalize=normalize), caption)
