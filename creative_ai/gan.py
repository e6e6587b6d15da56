"""Helpers for module 04, GANs for fashion imagery (lesson 04 and lab 04).

Everything here *supports* the lesson and the lab: architectures, a training loop with a
progress bar and live pictures, the evaluation classifier that judges generated garments,
the shipped conditional generator, and figures. Deliberately **not** here: the GAN losses,
spherical interpolation, the Fréchet distance and the nearest-neighbour memorisation audit —
learners write those in lab 04 (the lesson computes them in its own cells).

Conventions: images are float tensors of shape (N, 3, 32, 32) with values in [−1, 1]
(−1 is the black background), the range a ``tanh`` output layer produces; uint8 arrays of
shape (N, 32, 32, 3) are what :func:`creative_ai.data.load_garments` returns, and
:func:`to_tensor` / :func:`to_uint8` convert between the two.

* Data: :func:`to_tensor`, :func:`to_uint8`, :func:`condition_vectors`, :func:`toy_ring`.
* Networks: :class:`DCGANGenerator`, :class:`DCGANDiscriminator` (unconditional or
  conditioned on category and print), :class:`ToyGenerator`, :class:`ToyDiscriminator`,
  :func:`make_generator` / :func:`make_discriminator` (seeded builders the lab's tests use).
* Training: :func:`fit_gan` (any GAN, any data shape; progress bar, history, callbacks),
  :class:`LiveMonitor` (loss curves and a sample grid, redrawn as training runs).
* Evaluation: :class:`GarmentClassifier`, :func:`load_classifier`, :func:`classify`,
  :func:`recognition_rate`, :func:`classifier_features`, :func:`kernel_distance` (KID-style),
  :func:`precision_recall` (k-nearest-neighbour manifolds), :func:`coverage_table`.
* The shipped model: :func:`load_fashion_generator`, :func:`generate`.
* Figures and widgets: :func:`sample_grid`, :func:`plot_losses`, :func:`plot_toy`,
  :func:`plot_category_histogram`, :func:`interpolation_figure`, :func:`neighbours_figure`,
  :func:`design_tool`, :func:`interpolation_explorer`.

"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from creative_ai.display import OKABE_ITO

__all__ = [
    "CATEGORY_NAMES", "NOT_A_GARMENT", "PRINT_NAMES", "LATENT_DIM", "SHIPPED_TRAINING",
    "to_tensor", "to_uint8", "condition_vectors", "toy_ring",
    "DCGANGenerator", "DCGANDiscriminator", "ToyGenerator", "ToyDiscriminator",
    "make_generator", "make_discriminator", "dcgan_init",
    "GanHistory", "fit_gan", "LiveMonitor", "flops_per_step", "train_conditional_gan",
    "GarmentClassifier", "load_classifier", "classify", "recognition_rate",
    "classifier_features", "kernel_distance", "precision_recall", "coverage_table",
    "load_fashion_generator", "generate",
    "sample_grid", "plot_losses", "plot_toy", "plot_category_histogram",
    "interpolation_figure", "neighbours_figure", "conv_operator_norm", "design_tool", "interpolation_explorer",
    "save_weights", "load_weights",
]

#: The ten garment categories (Fashion-MNIST order) and the six prints of the catalogue.
CATEGORY_NAMES: tuple[str, ...] = (
    "t-shirt/top", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)
PRINT_NAMES: tuple[str, ...] = ("plain", "stripes", "dots", "checks", "leopard", "crocodile")
#: The evaluation classifier's extra class for images that are not garments (label 10).
NOT_A_GARMENT = len(CATEGORY_NAMES)
#: Length of the latent vector of the shipped conditional generator.
LATENT_DIM = 32
N_CONDITIONS = len(CATEGORY_NAMES) + len(PRINT_NAMES)


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------
def to_tensor(images) -> Any:
    """uint8 RGB images (N, 32, 32, 3), values 0-255 → float32 tensor (N, 3, 32, 32) in [−1, 1].

    Example::

        >>> images, items = load_garments("train")
        >>> x = to_tensor(images[:8]); x.shape, float(x.min()), float(x.max())
        (torch.Size([8, 3, 32, 32]), -1.0, 1.0)
    """

    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"expected uint8 images of shape (N, H, W, 3), got shape {images.shape}")
    if images.dtype != np.uint8:
        raise TypeError(f"expected uint8 images (values 0-255), got dtype {images.dtype}; "
                        "for float images in [0, 1] multiply by 255 and convert with .astype(np.uint8)")
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float()
    return x.div_(127.5).sub_(1.0).contiguous()


def to_uint8(images) -> np.ndarray:
    """Float images (N, 3, H, W) in [−1, 1] (tensor or array) → uint8 array (N, H, W, 3).

    Values outside [−1, 1] are clipped; the inverse of :func:`to_tensor` up to rounding.
    """
    if hasattr(images, "detach"):
        images = images.detach().cpu().float().numpy()
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1] != 3:
        raise ValueError(f"expected float images of shape (N, 3, H, W), got shape {images.shape}")
    out = np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(out.transpose(0, 2, 3, 1))


def _as_index(values, names: Sequence[str], what: str) -> np.ndarray:
    """Map names or integer ids (or a mix) to an int array of ids, with a clear error for typos."""
    lookup = {name: i for i, name in enumerate(names)}
    ids, unknown = [], []
    for value in np.atleast_1d(np.asarray(values, dtype=object)).ravel():
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            if not 0 <= value < len(names):
                raise ValueError(f"{what} ids must be in 0..{len(names) - 1}, got {value}")
            ids.append(int(value))
        elif value in lookup:
            ids.append(lookup[value])
        else:
            unknown.append(str(value))
    if unknown:
        raise ValueError(f"unknown {what} {sorted(set(unknown))[:5]}; expected one of {list(names)} or ids 0..{len(names) - 1}")
    return np.array(ids, dtype=np.int64)


def condition_vectors(categories, prints) -> Any:
    """One-hot condition vectors (N, 16) for the conditional GAN: 10 categories then 6 prints.

    ``categories``/``prints``: names (``"dress"``, ``"leopard"``) or integer ids, one per
    image, or a single value broadcast to the other's length.

    Example::

        >>> condition_vectors(["dress", "bag"], "leopard").shape
        torch.Size([2, 16])
    """

    cat = _as_index(categories, CATEGORY_NAMES, "category")
    prt = _as_index(prints, PRINT_NAMES, "print")
    if len(cat) != len(prt):
        if len(cat) == 1:
            cat = np.repeat(cat, len(prt))
        elif len(prt) == 1:
            prt = np.repeat(prt, len(cat))
        else:
            raise ValueError(f"expected as many prints as categories, got {len(prt)} and {len(cat)}")
    out = torch.zeros(len(cat), N_CONDITIONS)
    out[torch.arange(len(cat)), torch.from_numpy(cat)] = 1.0
    out[torch.arange(len(cat)), len(CATEGORY_NAMES) + torch.from_numpy(prt)] = 1.0
    return out


def toy_ring(n: int, modes: int = 8, radius: float = 2.0, spread: float = 0.05, seed: int = 0) -> Any:
    """A 2-D toy distribution: ``n`` points from ``modes`` Gaussians spaced on a circle.

    The ring of eight Gaussians is the standard picture of mode collapse (Metz et al., 2017,
    *Unrolled generative adversarial networks*). Returns a float32 tensor of shape (n, 2).
    """

    if n < 1 or modes < 1:
        raise ValueError(f"expected n >= 1 and modes >= 1, got n={n}, modes={modes}")
    rng = np.random.default_rng(seed)
    which = rng.integers(0, modes, size=n)
    angle = 2 * np.pi * which / modes
    centres = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return torch.from_numpy((centres + spread * rng.standard_normal((n, 2))).astype(np.float32))


# --------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------
def dcgan_init(module) -> None:
    """DCGAN initialisation (Radford et al., 2016): conv and linear weights ~ N(0, 0.02),
    batch-norm scales ~ N(1, 0.02), biases 0. Use as ``net.apply(dcgan_init)``."""

    if torch.nn.utils.parametrize.is_parametrized(module):
        return  # spectrally normalised: initialised before the parametrisation was added
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class DCGANGenerator(nn.Module):
    """DCGAN-style generator: latent z (B, latent_dim) [+ condition (B, 16)] → (B, 3, 32, 32).

    A linear layer makes a (4·width, 4, 4) block; three upsample-and-convolve stages
    double the resolution to 8, 16 and 32 pixels (nearest-neighbour upsampling then a 3×3
    convolution avoids the checkerboard artefacts of transposed convolutions; Odena et
    al., 2016), each followed by batch normalisation and ReLU except the last, which
    ends in ``tanh`` so pixels lie in [−1, 1]. ``n_conditions=16`` makes it conditional
    (Mirza & Osindero, 2014): the one-hot category and print are appended to z.
    """

    def __init__(self, latent_dim: int = LATENT_DIM, n_conditions: int = 0, width: int = 32):
        super().__init__()
        if latent_dim < 1 or width < 1 or n_conditions < 0:
            raise ValueError(f"expected latent_dim >= 1, width >= 1, n_conditions >= 0; got "
                             f"{latent_dim}, {width}, {n_conditions}")
        self.latent_dim, self.n_conditions, self.width = latent_dim, n_conditions, width
        self.project = nn.Sequential(
            nn.Linear(latent_dim + n_conditions, 4 * width * 16, bias=False),
            nn.BatchNorm1d(4 * width * 16), nn.ReLU(True))

        def up(c_in, c_out):
            return [nn.Upsample(scale_factor=2, mode="nearest"),
                    nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]

        self.body = nn.Sequential(*up(4 * width, 2 * width), *up(2 * width, width),
                                  nn.Upsample(scale_factor=2, mode="nearest"),
                                  nn.Conv2d(width, 3, 3, padding=1), nn.Tanh())

    def forward(self, z, condition=None):
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"expected latent vectors of shape (B, {self.latent_dim}), got {tuple(z.shape)}")
        if self.n_conditions:
            if condition is None or condition.shape != (z.shape[0], self.n_conditions):
                got = None if condition is None else tuple(condition.shape)
                raise ValueError(f"this generator is conditional: expected a condition of shape "
                                 f"({z.shape[0]}, {self.n_conditions}), got {got}")
            z = torch.cat([z, condition.to(z.dtype)], dim=1)
        return self.body(self.project(z).view(-1, 4 * self.width, 4, 4))

class DCGANDiscriminator(nn.Module):
    """DCGAN-style discriminator: (B, 3, 32, 32) images [+ condition (B, 16)] → logits (B,).

    Three stride-2 4×4 convolutions (32 → 16 → 8 → 4 pixels), each followed by leaky ReLU
    (slope 0.2), with batch normalisation after the second and third, flattened to features
    φ(x), then a linear layer to one **logit** per image (no sigmoid: the loss applies it,
    which is numerically safer). A conditional discriminator adds a *projection* term
    ⟨E c, φ(x)⟩ for the condition c, after Miyato & Koyama (*cGANs with projection
    discriminator*, ICLR 2018): it learns one direction in feature space per category and per
    print, and rewards images whose features point the way their label says. This is an
    adaptation, not their exact recipe: φ(x) is the flattened 4×4 feature map (they sum-pool
    it), the embedding ``embed`` is not spectrally normalised (their code normalises it), and
    the condition is multi-hot (category + print), so the projection is a *sum* of a category
    term and a print term — a log-linear model with no category × print interaction.

    ``spectral_norm=True`` divides the weight matrix of every convolution and of the head by
    an estimate of its largest singular value (one step of power iteration per training
    forward pass, which slightly *under*-estimates it) and drops batch normalisation, as in
    Miyato et al., *Spectral normalization for generative adversarial networks* (ICLR 2018).
    For the head (a dense layer) that bounds the layer's Lipschitz constant by about 1. For a
    convolution it bounds the spectral norm of the kernel reshaped to a
    (c_out, c_in·k·k) matrix, which is **not** the norm of the convolution as an operator on
    images: overlapping patches can stretch an input by up to about ⌈k/s⌉ times more (here
    4/2 = 2; Sedghi, Gupta & Long, ICLR 2019; Gouk et al., *Machine Learning* 2021).
    :func:`conv_operator_norm` measures the true value. So spectral normalisation keeps the
    image path's Lipschitz constant bounded by a modest constant (not 1), which is what stops
    the discriminator from sharpening its verdicts without limit.
    """

    def __init__(self, n_conditions: int = 0, width: int = 32, spectral_norm: bool = False):
        super().__init__()
        self.n_conditions, self.width, self.spectral_norm = n_conditions, width, spectral_norm

        def norm(channels):
            return [] if spectral_norm else [nn.BatchNorm2d(channels)]

        self.features = nn.Sequential(
            nn.Conv2d(3, width, 4, 2, 1), nn.LeakyReLU(0.2, True),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=spectral_norm), *norm(2 * width),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * width, 4 * width, 4, 2, 1, bias=spectral_norm), *norm(4 * width),
            nn.LeakyReLU(0.2, True),
            nn.Flatten())
        self.head = nn.Linear(4 * width * 16, 1)
        self.embed = nn.Linear(n_conditions, 4 * width * 16, bias=False) if n_conditions else None
        if spectral_norm:
            self.apply(dcgan_init)  # before the parametrisation, which then normalises these weights
            for layer in [*self.features, self.head]:
                if isinstance(layer, (nn.Conv2d, nn.Linear)):
                    torch.nn.utils.parametrizations.spectral_norm(layer)

    def forward(self, x, condition=None):
        if x.ndim != 4 or x.shape[1:] != (3, 32, 32):
            raise ValueError(f"expected images of shape (B, 3, 32, 32), got {tuple(x.shape)}")
        phi = self.features(x)
        logits = self.head(phi).squeeze(1)
        if self.n_conditions:
            if condition is None or condition.shape != (x.shape[0], self.n_conditions):
                got = None if condition is None else tuple(condition.shape)
                raise ValueError(f"this discriminator is conditional: expected a condition of shape "
                                 f"({x.shape[0]}, {self.n_conditions}), got {got}")
            logits = logits + (self.embed(condition.to(x.dtype)) * phi).sum(dim=1)
        return logits


def conv_operator_norm(conv, input_size: int, n_iter: int = 200, seed: int = 0) -> float:
    """The spectral norm of a 2-D convolution *as a linear map on images* of
    ``input_size`` × ``input_size`` pixels (its Lipschitz constant, bias ignored), by power
    iteration with the convolution and its adjoint (the transposed convolution).

    ``conv`` is an ``nn.Conv2d`` (a spectrally normalised one is evaluated with its current,
    normalised weight). Compare with the largest singular value of the kernel reshaped to a
    (c_out, c_in·k·k) matrix — what spectral normalisation divides by: for overlapping
    strided kernels the operator norm can be larger (up to about ⌈k/s⌉ times).
    """
    import torch.nn.functional as F

    weight = conv.weight.detach()
    stride, padding = conv.stride, conv.padding
    rng = torch.Generator().manual_seed(seed)
    x = torch.randn(1, weight.shape[1], input_size, input_size, generator=rng, dtype=torch.float64)
    weight = weight.double()
    sigma = 0.0
    for _ in range(n_iter):
        x = x / x.norm()
        y = F.conv2d(x, weight, stride=stride, padding=padding)
        sigma = float(y.norm())
        x = F.conv_transpose2d(y, weight, stride=stride, padding=padding,
                               output_padding=tuple(input_size - ((o - 1) * s - 2 * p + k)
                                                    for o, s, p, k in zip(y.shape[2:], stride, padding,
                                                                          weight.shape[2:], strict=True)))
    return sigma


class ToyGenerator(nn.Module):
    """A small MLP mapping noise (B, latent_dim) to 2-D points (B, 2), for the toy GAN."""

    def __init__(self, latent_dim: int = 2, hidden: int = 64):
        super().__init__()
        self.latent_dim = latent_dim
        self.body = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                  nn.ReLU(), nn.Linear(hidden, 2))

    def forward(self, z, condition=None):
        return self.body(z)

class ToyDiscriminator(nn.Module):
    """A small MLP giving one logit per 2-D point: (B, 2) → (B,)."""

    def __init__(self, hidden: int = 64):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                  nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, x, condition=None):
        return self.body(x).squeeze(1)

class GarmentClassifier(nn.Module):
    """The course's evaluation classifier for 32×32 garments (weights shipped, see
    ``datasets/garment_classifier/MODEL_CARD.md``).

    Three 3×3 convolution blocks (batch norm, ReLU, 2×2 max-pooling: 32 → 16 → 8 → 4
    pixels) and a 128-unit layer — the **features** used for the Fréchet and kernel
    distances — feed two heads: 11 category logits (the ten categories and
    :data:`NOT_A_GARMENT`) and 6 print logits. Input: (B, 3, 32, 32) in [−1, 1].
    """

    n_features = 128

    def __init__(self):
        super().__init__()

        def block(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                    nn.MaxPool2d(2)]

        self.body = nn.Sequential(*block(3, 32), *block(32, 64), *block(64, 128), nn.Flatten(),
                                  nn.Linear(128 * 16, self.n_features), nn.ReLU())
        self.category_head = nn.Linear(self.n_features, len(CATEGORY_NAMES) + 1)
        self.print_head = nn.Linear(self.n_features, len(PRINT_NAMES))

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        f = self.body(x)
        return self.category_head(f), self.print_head(f)


def _seeded(build: Callable[[], Any], seed: int, dcgan: bool = True) -> Any:
    """Build a module with torch's global RNG seeded (then DCGAN's initialisation unless
    ``dcgan`` is False: PyTorch's default one), then restore the RNG state."""

    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        module = build()
        if dcgan:
            module.apply(dcgan_init)
    finally:
        torch.random.set_rng_state(state)
    return module


def make_generator(latent_dim: int = 32, width: int = 32, seed: int = 0, n_conditions: int = 0):
    """A freshly initialised :class:`DCGANGenerator`, the same for the same arguments.

    Lab 04's tests train this reference network with *your* training loop, so that your loop
    is graded on its own, whatever your own ``Generator`` looks like. The result carries a
    recipe (:mod:`creative_ai.recipe`), so the grader can rebuild it in another process.
    """
    from creative_ai.recipe import with_recipe

    net = _seeded(lambda: DCGANGenerator(latent_dim, n_conditions, width), seed)
    return with_recipe(net, make_generator, latent_dim, width, seed, n_conditions)


def make_discriminator(width: int = 16, seed: int = 0, n_conditions: int = 0, spectral_norm: bool = False):
    """A freshly initialised :class:`DCGANDiscriminator`, the same for the same arguments
    (the partner of :func:`make_generator`; carries a recipe too)."""
    from creative_ai.recipe import with_recipe

    net = _seeded(lambda: DCGANDiscriminator(n_conditions, width, spectral_norm), seed)
    return with_recipe(net, make_discriminator, width, seed, n_conditions, spectral_norm)


def make_toy_generator(latent_dim: int = 2, hidden: int = 64, seed: int = 0):
    """A freshly initialised :class:`ToyGenerator` (PyTorch's default initialisation, with torch
    seeded by ``seed``), the same for the same arguments. Lab 04's check of ``train_gan`` trains it
    with your loop on :func:`toy_ring`. Carries a recipe, like :func:`make_generator`."""
    from creative_ai.recipe import with_recipe

    net = _seeded(lambda: ToyGenerator(latent_dim, hidden), seed, dcgan=False)
    return with_recipe(net, make_toy_generator, latent_dim, hidden, seed)


def make_toy_discriminator(hidden: int = 64, seed: int = 0):
    """A freshly initialised :class:`ToyDiscriminator`, as :func:`make_toy_generator`."""
    from creative_ai.recipe import with_recipe

    net = _seeded(lambda: ToyDiscriminator(hidden), seed, dcgan=False)
    return with_recipe(net, make_toy_discriminator, hidden, seed)


@dataclass
class RingCoverage:
    """Where generated 2-D points land on :func:`toy_ring`'s ring (see :func:`ring_coverage`)."""

    high_quality: float     # share of the points within three standard deviations of a cluster centre
    per_cluster: np.ndarray  # how many of those high-quality points each cluster got

    def clusters_reached(self, min_count: int) -> int:
        """Clusters with at least ``min_count`` high-quality points."""
        return int((self.per_cluster >= min_count).sum())


def ring_coverage(points, modes: int = 8, radius: float = 2.0, spread: float = 0.05) -> RingCoverage:
    """Measure generated points against :func:`toy_ring` with the same ``modes``, ``radius`` and
    ``spread``: a point is *high quality* when it lies within three standard deviations
    (``3 * spread``) of the nearest cluster centre, and a cluster is reached when enough of them
    land on it — the two measures the mode-collapse literature reports on this ring (Srivastava
    et al., 2017, *VEEGAN*, NeurIPS; Metz et al., 2017). Points that are NaN or infinite count
    as neither.
    """

    points = np.asarray(points.detach().cpu() if isinstance(points, torch.Tensor) else points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"expected points of shape (n, 2) with n >= 1, got shape {points.shape}")
    if modes < 1 or radius <= 0 or spread <= 0:
        raise ValueError(f"expected modes >= 1, radius > 0, spread > 0, got {modes}, {radius}, {spread}")
    angle = 2 * np.pi * np.arange(modes) / modes
    centres = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    with np.errstate(invalid="ignore", over="ignore"):
        distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    distance[~np.isfinite(distance)] = np.inf
    good = distance.min(axis=1) < 3 * spread
    return RingCoverage(float(good.mean()), np.bincount(distance.argmin(axis=1)[good], minlength=modes))


# --------------------------------------------------------------------------------------
# Weights on disk: .npz of named arrays (no pickle)
# --------------------------------------------------------------------------------------
def save_weights(module, path) -> None:
    """Save a module's state dict as an uncompressed ``.npz`` of NumPy arrays (no pickle).

    Written with fixed zip timestamps by NumPy, so the same weights give the same bytes.
    """
    state = {name: tensor.detach().cpu().numpy() for name, tensor in module.state_dict().items()}
    with open(path, "wb") as handle:
        np.savez(handle, **state)


def load_weights(module, path) -> Any:
    """Load weights saved by :func:`save_weights` into ``module`` (strictly: every name must
    match) and return the module. Uses ``allow_pickle=False``: a weights file cannot run code."""

    with np.load(path, allow_pickle=False) as archive:
        state = {name: torch.from_numpy(archive[name].copy()) for name in archive.files}
    expected = module.state_dict()
    if set(state) != set(expected):
        raise ValueError(f"{path}: weights do not fit {type(module).__name__}: missing "
                         f"{sorted(set(expected) - set(state))[:5]}, unexpected {sorted(set(state) - set(expected))[:5]}")
    wrong = [f"{name} {tuple(state[name].shape)} vs {tuple(expected[name].shape)}"
             for name in expected if state[name].shape != expected[name].shape]
    if wrong:
        raise ValueError(f"{path}: weights do not fit {type(module).__name__} (file vs module shapes): {wrong[:3]}")
    module.load_state_dict(state)
    return module


# --------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------
@dataclass
class GanHistory:
    """What :func:`fit_gan` records: one entry per step (losses, D's mean probabilities on
    real and generated batches), the wall-clock seconds spent training (time spent in
    callbacks excluded), and anything a callback adds to ``metrics``."""

    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)
    d_fake: list[float] = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0
    metrics: dict[str, list] = field(default_factory=dict)
    average: Any = None
    loss: str = "bce"

    def log(self, **values) -> None:
        """Append values to ``metrics`` (one list per name)."""
        for name, value in values.items():
            self.metrics.setdefault(name, []).append(value)


def _call(net, x, condition=None):
    """Call a network with a condition only when there is one, so that unconditional modules
    written as ``forward(self, z)`` work with every helper here."""
    return net(x) if condition is None else net(x, condition)


def _update_average(average, generator, decay: float) -> None:
    """average ← decay·average + (1 − decay)·generator for weights; buffers are copied."""
    with torch.no_grad():
        for mean, current in zip(average.parameters(), generator.parameters(), strict=True):
            mean.mul_(decay).add_(current, alpha=1 - decay)
        for mean, current in zip(average.buffers(), generator.buffers(), strict=True):
            mean.copy_(current)


def fit_gan(
    generator,
    discriminator,
    data,
    *,
    conditions=None,
    epochs: float = 1,
    batch_size: int = 64,
    lr: float = 2e-4,
    d_lr: float | None = None,
    betas: tuple[float, float] = (0.5, 0.999),
    generator_loss: str = "non-saturating",
    loss: str = "bce",
    d_steps: int = 1,
    g_steps: int = 1,
    seed: int = 0,
    average: float | None = None,
    lr_decay: bool = False,
    callback: Callable[[int, Any, GanHistory], None] | None = None,
    callback_every: int | None = None,
    progress_bar: bool = True,
    desc: str = "training the GAN",
) -> GanHistory:
    """Train a GAN by alternating discriminator and generator updates (Goodfellow et al., 2014).

    Each step draws a batch of real ``data`` (a tensor (N, ...), e.g. images (N, 3, 32, 32)
    in [−1, 1] or toy points (N, 2)) and a batch of latent vectors z ~ N(0, I); then

    1. ``d_steps`` discriminator updates on BCE-with-logits: real → 1, generated → 0 (the
       generated batch is *detached*, so this step does not touch the generator);
    2. ``g_steps`` generator updates: ``"non-saturating"`` loss BCE(D(G(z)) → 1), as
       recommended by Goodfellow et al., or ``"saturating"`` −BCE(D(G(z)) → 0), i.e.
       minimise log(1 − D(G(z))), the original minimax objective — shown in the lesson to
       stall when the discriminator wins.

    ``loss="hinge"`` replaces both with the **hinge loss** (Lim & Ye, *Geometric GAN*, 2017;
    used with spectral normalisation by Miyato et al., 2018): the discriminator minimises
    mean(max(0, 1 − D(x))) + mean(max(0, 1 + D(G(z)))) — it stops pushing a logit once it is
    beyond ±1 — and the generator minimises −mean(D(G(z))).

    Both networks use Adam with ``betas`` (DCGAN's 0.5, 0.999); ``lr`` for the generator and
    ``d_lr`` (default ``lr``) for the discriminator. ``conditions`` (N, k) makes it a
    conditional GAN: the same condition row goes to D with its real image and to G and D
    with a generated one. ``epochs`` may be fractional (0.5 = half a pass over the data).
    Networks are trained in place and left in ``train()`` mode.

    ``lr_decay=True`` lowers both learning rates linearly to 0 over the run, which calms the
    game down towards the end (the players' steps shrink, so they stop pushing each other
    around).

    ``average`` (e.g. 0.999) also keeps an exponential moving average of the generator's
    weights, ``history.average`` — a copy whose samples are smoother and change less from
    one step to the next than the raw generator's, because it averages out the oscillation
    of the game (Yazıcı et al., *The unusual effectiveness of averaging in GAN training*,
    ICLR 2019). At step t the decay is min(average, (1 + t) / (10 + t)), so that the
    average does not remember the untrained network for long; its batch-norm statistics
    are copied from the trained generator.

    ``callback(step, generator, history)`` runs every ``callback_every`` steps (default: once
    per epoch) and at the end, with the averaged generator when ``average`` is set; use it
    for pictures and metrics. Deterministic for a given ``seed`` on one machine.

    Returns a :class:`GanHistory`.
    """

    from creative_ai.progress import progress

    if generator_loss not in ("non-saturating", "saturating"):
        raise ValueError(f"generator_loss must be 'non-saturating' or 'saturating', got {generator_loss!r}")
    if loss not in ("bce", "hinge"):
        raise ValueError(f"loss must be 'bce' or 'hinge', got {loss!r}")
    if loss == "hinge" and generator_loss != "non-saturating":
        raise ValueError("generator_loss applies to loss='bce' only; the hinge loss has its own generator loss")
    if not isinstance(data, torch.Tensor) or data.ndim < 2 or not data.is_floating_point():
        raise TypeError("data must be a float tensor of shape (N, ...), e.g. to_tensor(images); got "
                        f"{type(data).__name__} {tuple(getattr(data, 'shape', ()))}")
    n = len(data)
    if n < 1 or batch_size < 1 or epochs <= 0 or d_steps < 1 or g_steps < 1:
        raise ValueError(f"expected data, batch_size >= 1, epochs > 0, d_steps/g_steps >= 1; got {n} rows, "
                         f"batch_size={batch_size}, epochs={epochs}, d_steps={d_steps}, g_steps={g_steps}")
    if conditions is not None and len(conditions) != n:
        raise ValueError(f"expected one condition row per data row ({n}), got {len(conditions)}")
    batch_size = min(batch_size, n)
    steps_per_epoch = max(1, n // batch_size)
    total = max(1, int(round(epochs * steps_per_epoch)))
    every = callback_every or steps_per_epoch
    rng = torch.Generator().manual_seed(seed)
    latent_dim = generator.latent_dim
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=d_lr or lr, betas=betas)
    generator.train()
    discriminator.train()
    history = GanHistory(loss=loss)
    if average is not None:
        if not 0 < average < 1:
            raise ValueError(f"average must be between 0 and 1 (e.g. 0.999), got {average}")
        history.average = copy.deepcopy(generator).eval()
        for parameter in history.average.parameters():
            parameter.requires_grad_(False)
    schedules = []
    if lr_decay:
        schedules = [torch.optim.lr_scheduler.LambdaLR(opt, lambda k: max(0.0, 1 - k / total)) for opt in (opt_g, opt_d)]
    order, position = torch.randperm(n, generator=rng), 0
    start, in_callbacks = time.perf_counter(), 0.0
    steps = progress(range(1, total + 1), desc=desc, total=total, disable=not progress_bar, mininterval=0.5)
    for step in steps:
        if position + batch_size > n:
            order, position = torch.randperm(n, generator=rng), 0
        index = order[position:position + batch_size]
        position += batch_size
        real = data[index]
        cond = None if conditions is None else conditions[index]
        for _ in range(d_steps):
            z = torch.randn(batch_size, latent_dim, generator=rng)
            with torch.no_grad():
                fake = _call(generator, z, cond)
            real_logits, fake_logits = _call(discriminator, real, cond), _call(discriminator, fake, cond)
            if loss == "hinge":
                d_loss = F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()
            else:
                d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                          + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
        for _ in range(g_steps):
            z = torch.randn(batch_size, latent_dim, generator=rng)
            fake_logits = _call(discriminator, _call(generator, z, cond), cond)
            if loss == "hinge":
                g_loss = -fake_logits.mean()
            elif generator_loss == "non-saturating":
                g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
            else:
                g_loss = -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
        for schedule in schedules:
            schedule.step()
        if history.average is not None:  # warm-up: early on, the average follows the generator closely
            _update_average(history.average, generator, min(average, (1 + step) / (10 + step)))
        history.d_loss.append(float(d_loss.detach()))
        history.g_loss.append(float(g_loss.detach()))
        history.d_real.append(float(torch.sigmoid(real_logits.detach()).mean()))
        history.d_fake.append(float(torch.sigmoid(fake_logits.detach()).mean()))
        history.steps = step
        if callback is not None and (step % every == 0 or step == total):
            history.seconds = time.perf_counter() - start - in_callbacks
            entered = time.perf_counter()
            callback(step, generator if history.average is None else history.average, history)
            generator.train()
            discriminator.train()
            in_callbacks += time.perf_counter() - entered
    history.seconds = time.perf_counter() - start - in_callbacks
    return history


def flops_per_step(generator, discriminator, batch_size: int = 64, n_conditions: int = 0,
                   sample_shape: tuple[int, ...] = (3, 32, 32)) -> int:
    """Floating-point operations of one :func:`fit_gan` step (one discriminator and one
    generator update, forward and backward passes), counted by ``torch.utils.flop_counter``.

    Multiply by the number of steps for a training run's total — the figure an energy
    estimate starts from. Counts the matrix multiplications and convolutions (which dominate);
    element-wise operations and the optimiser are not counted. Works on copies, so the
    networks are untouched. ``sample_shape``: the shape of one data sample ((2,) for the toy).
    """
    from torch.utils.flop_counter import FlopCounterMode

    g, d = copy.deepcopy(generator).train(), copy.deepcopy(discriminator).train()
    for parameter in [*g.parameters(), *d.parameters()]:
        parameter.requires_grad_(True)  # count weight gradients even for a frozen copy (a weight average)
    cond = None
    if n_conditions:
        cond = torch.zeros(batch_size, n_conditions)
        cond[:, 0] = 1.0
    real = torch.zeros(batch_size, *sample_shape)
    z = torch.randn(batch_size, g.latent_dim)
    with FlopCounterMode(display=False) as counter:
        with torch.no_grad():
            fake = g(z, cond)
        loss = (F.binary_cross_entropy_with_logits(d(real, cond), torch.ones(batch_size))
                + F.binary_cross_entropy_with_logits(d(fake, cond), torch.zeros(batch_size)))
        loss.backward()
        loss = F.binary_cross_entropy_with_logits(d(g(z, cond), cond), torch.ones(batch_size))
        loss.backward()
    return int(counter.get_total_flops())


def train_conditional_gan(images, items, *, epochs: float = 20, batch_size: int = 64, lr: float = 1e-3,
                          latent_dim: int = LATENT_DIM, width: int = 32, d_width: int = 32, seed: int = 0,
                          average: float | None = 0.999, lr_decay: bool = False, loss: str = "bce",
                          spectral_norm: bool = False, callback=None, callback_every: int | None = None,
                          progress_bar: bool = True):
    """Train a conditional DCGAN on garments and their category and print, as the shipped
    model was trained (``datasets/fashion_gan/build.py`` calls this with its recorded settings).

    ``images``: uint8 (N, 32, 32, 3) from :func:`creative_ai.data.load_garments`; ``items``:
    its DataFrame (columns ``category`` and ``print``). Returns ``(generator, discriminator,
    history)``, where ``generator`` is the weight average (``average``, see :func:`fit_gan`)
    when one is kept, in eval mode; see :func:`fit_gan` for the loop and ``loss``, and
    :class:`DCGANDiscriminator` for ``spectral_norm``.
    """
    generator = make_generator(latent_dim, width, seed, n_conditions=N_CONDITIONS)
    discriminator = make_discriminator(d_width, seed + 1, n_conditions=N_CONDITIONS, spectral_norm=spectral_norm)
    conditions = condition_vectors(items["category"].to_numpy(), items["print"].to_numpy())
    history = fit_gan(generator, discriminator, to_tensor(images), conditions=conditions, epochs=epochs,
                      batch_size=batch_size, lr=lr, seed=seed, average=average, lr_decay=lr_decay, loss=loss,
                      callback=callback,
                      callback_every=callback_every, progress_bar=progress_bar, desc="training the conditional GAN")
    if history.average is not None:
        generator = history.average
    return generator.eval(), discriminator, history


# --------------------------------------------------------------------------------------
# Live pictures while training
# --------------------------------------------------------------------------------------
class LiveMonitor:
    """A :func:`fit_gan` callback that redraws loss curves and a grid of samples in place.

    Every call draws the generator's images for a *fixed* set of latent vectors (and
    conditions), so successive grids show the same "garments" taking shape. ``metric`` is
    an optional function ``(generator) -> dict`` whose values are logged in
    ``history.metrics`` (with the step) and printed under the figure, e.g. the recognition
    rate. In a notebook the figure updates in place; elsewhere each update is shown once.
    ``keep`` remembers the sample grid of every call (for a "samples over epochs" figure).
    """

    def __init__(self, n_samples: int = 32, seed: int = 0, conditions=None, metric=None,
                 title: str = "GAN training", ncols: int = 8, keep: bool = True):

        self.seed, self.metric, self.title, self.ncols, self.keep = seed, metric, title, ncols, keep
        self.n_samples = n_samples if conditions is None else len(conditions)
        self.conditions = conditions
        self._z = None
        self.snapshots: list[tuple[int, np.ndarray]] = []
        self._handle = None

    def samples(self, generator):
        if self._z is None or self._z.shape[1] != generator.latent_dim:
            self._z = torch.randn(self.n_samples, generator.latent_dim,
                                  generator=torch.Generator().manual_seed(self.seed))
        generator.eval()
        with torch.no_grad():
            images = _call(generator, self._z, self.conditions)
        return images

    def __call__(self, step: int, generator, history: GanHistory) -> None:
        import matplotlib.pyplot as plt

        images = self.samples(generator)
        if images.ndim == 4:
            grid = _tile(to_uint8(images), self.ncols)
            if self.keep:
                self.snapshots.append((step, grid))
        values = self.metric(generator) if self.metric else {}
        history.log(step=step, seconds=history.seconds, **values)
        fig = plt.figure(figsize=(10, 3.4))
        ax_loss = fig.add_axes([0.06, 0.16, 0.42, 0.7])
        plot_losses(history, ax=ax_loss)
        ax_img = fig.add_axes([0.53, 0.04, 0.45, 0.86])
        if images.ndim == 4:
            ax_img.imshow(grid, interpolation="nearest")
            ax_img.set_title(f"samples at step {step} (same z every time)", fontsize=10)
            ax_img.axis("off")
        else:
            plot_toy(None, images.numpy(), ax=ax_img)
        extra = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items())
        fig.suptitle(f"{self.title}: step {step}, {history.seconds:.0f} s" + (f" — {extra}" if extra else ""),
                     fontsize=11)
        self._show(fig)
        plt.close(fig)

    def _show(self, fig) -> None:
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # plain Python: nothing to draw on
            return
        if get_ipython() is None:
            return
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)


def _tile(images: np.ndarray, ncols: int, pad: int = 1) -> np.ndarray:
    """Tile uint8 images (N, H, W, 3) into one (rows·(H+pad), ncols·(W+pad), 3) array."""
    n, h, w, c = images.shape
    ncols = max(1, min(ncols, n))
    rows = -(-n // ncols)
    sheet = np.full((rows * (h + pad) + pad, ncols * (w + pad) + pad, c), 90, dtype=np.uint8)
    for i in range(n):
        r, k = divmod(i, ncols)
        sheet[pad + r * (h + pad):pad + r * (h + pad) + h, pad + k * (w + pad):pad + k * (w + pad) + w] = images[i]
    return sheet


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------
def sample_grid(images, ncols: int = 10, title: str = "", row_labels: Sequence[str] | None = None,
                col_labels: Sequence[str] | None = None, ax=None, scale: float = 0.55):
    """Show many images as one tiled picture (much faster than one subplot per image).

    ``images``: float (N, 3, 32, 32) in [−1, 1] (tensor or array) or uint8 (N, 32, 32, 3).
    ``row_labels`` / ``col_labels`` label the rows and columns of the grid. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if hasattr(images, "detach") or (np.asarray(images).ndim == 4 and np.asarray(images).shape[1] == 3
                                     and np.asarray(images).dtype != np.uint8):
        images = to_uint8(images)
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3 or len(images) == 0:
        raise ValueError(f"expected a non-empty batch of RGB images, got shape {images.shape}")
    ncols = max(1, min(ncols, len(images)))
    rows = -(-len(images) // ncols)
    sheet = _tile(images, ncols)
    if ax is None:
        _, ax = plt.subplots(figsize=(scale * ncols + (1.2 if row_labels is not None else 0.2),
                                      scale * rows + 0.5))
    ax.imshow(sheet, interpolation="nearest")
    h, w = images.shape[1] + 1, images.shape[2] + 1
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if row_labels is not None:
        ax.set_yticks([1 + h * (r + 0.5) for r in range(len(row_labels))], list(row_labels), fontsize=8)
    if col_labels is not None:
        ax.set_xticks([1 + w * (c + 0.5) for c in range(len(col_labels))], list(col_labels), fontsize=8,
                      rotation=45, ha="left")
        ax.xaxis.tick_top()
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_losses(history: GanHistory, ax=None, smooth: int = 25, title: str = "Losses"):
    """Discriminator and generator losses against training step (moving average over
    ``smooth`` steps, raw values faint). The dotted lines mark the losses when the
    discriminator cannot tell (logit 0 everywhere): for the binary cross-entropy loss
    ln 4 ≈ 1.39 (D) and ln 2 ≈ 0.69 (G, non-saturating), the values at the game's
    equilibrium; for the hinge loss (``history.loss == "hinge"``) 2 (D) and 0 (G)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    steps = np.arange(1, len(history.d_loss) + 1)
    for values, name, colour in ((history.d_loss, "discriminator", OKABE_ITO[0]),
                                 (history.g_loss, "generator", OKABE_ITO[5])):
        values = np.asarray(values, dtype=float)
        if len(values) == 0:
            continue
        ax.plot(steps, values, color=colour, alpha=0.2, lw=0.6)
        k = max(1, min(smooth, len(values)))
        smoothed = np.convolve(values, np.ones(k) / k, mode="valid")
        ax.plot(steps[k - 1:], smoothed, color=colour, lw=1.6, label=f"{name} loss")
    hinge = getattr(history, "loss", "bce") == "hinge"
    d_line, g_line = (2.0, 0.0) if hinge else (math.log(4), math.log(2))
    ax.axhline(d_line, color=OKABE_ITO[0], ls=":", lw=1)
    ax.axhline(g_line, color=OKABE_ITO[5], ls=":", lw=1)
    ax.set_xlabel("training step (one batch each)")
    ax.set_ylabel("hinge loss (D: max(0, 1 ∓ logit); G: −logit)" if hinge else "binary cross-entropy (nats)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
    return ax


def plot_toy(real, fake, ax=None, discriminator=None, title: str = "", limit: float = 3.2):
    """Scatter 2-D real points (blue) and generated points (orange); with a
    ``discriminator`` the background shows its probability that a point is real."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    if discriminator is not None:

        grid = np.linspace(-limit, limit, 120, dtype=np.float32)
        xx, yy = np.meshgrid(grid, grid)
        with torch.no_grad():
            discriminator.eval()
            p = torch.sigmoid(discriminator(torch.from_numpy(np.stack([xx.ravel(), yy.ravel()], 1)))).numpy()
            discriminator.train()
        mesh = ax.contourf(xx, yy, p.reshape(xx.shape), levels=np.linspace(0, 1, 11), cmap="Greys", alpha=0.5)
        ax.figure.colorbar(mesh, ax=ax, label="D(x): probability real", fraction=0.046)
    if real is not None:
        real = np.asarray(real)
        ax.scatter(real[:, 0], real[:, 1], s=4, color=OKABE_ITO[0], alpha=0.5, label="real")
    if fake is not None:
        fake = np.asarray(fake)
        ax.scatter(fake[:, 0], fake[:, 1], s=4, color=OKABE_ITO[1], alpha=0.6, label="generated")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("x₁ (no unit)")
    ax.set_ylabel("x₂ (no unit)")
    if title:
        ax.set_title(title, fontsize=10)
    if real is not None or fake is not None:
        ax.legend(fontsize=7, loc="upper right", markerscale=3)
    return ax


def plot_category_histogram(predicted, ax=None, title: str = "What the classifier sees",
                            reference=None, reference_label: str = "catalogue"):
    """Bar chart of the share of images per predicted category (and "not a garment").

    ``predicted``: category ids 0..10 (10 = :data:`NOT_A_GARMENT`), e.g. from
    :func:`classify`. ``reference``: optional ids of real garments drawn as outlined bars,
    so a collapsed generator (most samples in a few categories) stands out.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    labels = [*CATEGORY_NAMES, "not a garment"]
    positions = np.arange(len(labels))
    share = np.bincount(np.asarray(predicted, dtype=int), minlength=len(labels)) / max(1, len(predicted))
    ax.bar(positions, 100 * share, color=OKABE_ITO[1], label="generated")
    if reference is not None:
        ref = np.bincount(np.asarray(reference, dtype=int), minlength=len(labels)) / max(1, len(reference))
        ax.bar(positions, 100 * ref, fill=False, edgecolor=OKABE_ITO[0], lw=1.5, label=reference_label)
    ax.set_xticks(positions, labels, rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("share of images (%)")
    ax.set_xlabel("category predicted by the evaluation classifier")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return ax


# --------------------------------------------------------------------------------------
# The evaluation classifier
# --------------------------------------------------------------------------------------
CLASSIFIER_ASSET = ("garment_classifier", "garment_classifier.npz")
GENERATOR_ASSET = ("fashion_gan", "conditional_generator.npz")


def load_classifier():
    """The course's trained :class:`GarmentClassifier`, in eval mode (weights checked
    against ``datasets/garment_classifier/SHA256SUMS``). Carries a recipe, so the grader can
    rebuild it in another process. See the model card for its accuracy and limits."""

    from creative_ai.data.registry import bundled_path
    from creative_ai.recipe import with_recipe

    net = GarmentClassifier()
    load_weights(net, bundled_path(*CLASSIFIER_ASSET))
    net.eval()
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return with_recipe(net, load_classifier)


def _images_tensor(images):
    """Accept float (N, 3, 32, 32) in [−1, 1] (tensor/array) or uint8 (N, 32, 32, 3)."""

    if isinstance(images, np.ndarray) and images.dtype == np.uint8:
        return to_tensor(images)
    if not isinstance(images, torch.Tensor):
        images = torch.as_tensor(np.asarray(images, dtype=np.float32))
    images = images.detach().float()
    if images.ndim != 4 or images.shape[1:] != (3, 32, 32):
        raise ValueError("expected images of shape (N, 3, 32, 32) with values in [-1, 1] "
                         f"(or uint8 (N, 32, 32, 3)), got shape {tuple(images.shape)}")
    if not torch.isfinite(images).all():
        raise ValueError("the images contain NaN or infinite values")
    return images


@dataclass
class Classification:
    """Per-image output of :func:`classify`: predicted category id (0..10, 10 = not a
    garment), its probability, the predicted print id (0..5) and its probability."""

    category: np.ndarray
    category_probability: np.ndarray
    print: np.ndarray
    print_probability: np.ndarray

    def __len__(self) -> int:
        return len(self.category)

    @property
    def recognised(self) -> np.ndarray:
        """True where the classifier sees a garment (not the "not a garment" class)."""
        return self.category != NOT_A_GARMENT


def _batched(classifier, images, fn, batch_size: int = 500):

    images = _images_tensor(images)
    outputs = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            outputs.append(fn(classifier, images[start:start + batch_size]))
    return outputs


def classify(classifier, images, batch_size: int = 500) -> Classification:
    """Classify garment images with the evaluation classifier (see :class:`Classification`)."""

    def run(net, batch):
        category_logits, print_logits = net(batch)
        pc, pp = torch.softmax(category_logits, 1), torch.softmax(print_logits, 1)
        return pc.max(1), pp.max(1)

    parts = _batched(classifier, images, run, batch_size)
    if not parts:
        raise ValueError("classify needs at least one image")
    return Classification(
        category=torch.cat([c.indices for c, _ in parts]).numpy(),
        category_probability=torch.cat([c.values for c, _ in parts]).numpy().astype(float),
        print=torch.cat([p.indices for _, p in parts]).numpy(),
        print_probability=torch.cat([p.values for _, p in parts]).numpy().astype(float),
    )


def recognition_rate(classifier, images, categories=None, prints=None) -> float:
    """Share of ``images`` the classifier recognises.

    Without ``categories``: the share it classifies as *some* garment rather than
    "not a garment" (for an unconditional generator). With ``categories`` (and optionally
    ``prints``; names or ids, one per image): the share classified as exactly the category
    (and print) that was asked for (for a conditional generator).
    """
    result = classify(classifier, images)
    if categories is None:
        if prints is not None:
            raise ValueError("give categories together with prints")
        return float(np.mean(result.recognised))
    cat = _as_index(categories, CATEGORY_NAMES, "category")
    if len(cat) == 1:
        cat = np.repeat(cat, len(result))
    if len(cat) != len(result):
        raise ValueError(f"expected one category per image ({len(result)}), got {len(cat)}")
    hit = result.category == cat
    if prints is not None:
        prt = _as_index(prints, PRINT_NAMES, "print")
        prt = np.repeat(prt, len(result)) if len(prt) == 1 else prt
        if len(prt) != len(result):
            raise ValueError(f"expected one print per image ({len(result)}), got {len(prt)}")
        hit &= result.print == prt
    return float(np.mean(hit))


def classifier_features(classifier, images, batch_size: int = 500) -> np.ndarray:
    """The classifier's 128-dimensional penultimate features, float64 (N, 128).

    These play the role the Inception network's pool features play in the usual FID
    (Heusel et al., 2017): a description of each image in terms the classifier learned from
    the catalogue (silhouette *and* print, since it was trained on both).
    """

    parts = _batched(classifier, images, lambda net, batch: net.features(batch), batch_size)
    if not parts:
        raise ValueError("classifier_features needs at least one image")
    return torch.cat(parts).numpy().astype(np.float64)


def kernel_distance(features_a, features_b, n_subsets: int = 20, subset_size: int = 500,
                    seed: int = 0) -> tuple[float, float]:
    """KID-style kernel distance between two feature sets (Bińkowski et al., 2018).

    The squared maximum mean discrepancy with the cubic polynomial kernel
    k(x, y) = (xᵀy / d + 1)³, estimated without bias on ``n_subsets`` random subsets of
    ``subset_size`` rows of each set (capped by the smaller set). Returns (mean, standard
    deviation) over subsets. Unlike the Fréchet distance, its expected value does not depend
    on the sample size, and it is 0 on average for two samples of the same distribution (so
    small negative values happen).
    """
    a, b = np.asarray(features_a, dtype=np.float64), np.asarray(features_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"expected two (n, d) feature arrays with the same d, got {a.shape} and {b.shape}")
    m = min(subset_size, len(a), len(b))
    if m < 2:
        raise ValueError(f"need at least 2 rows in each set, got {len(a)} and {len(b)}")
    d = a.shape[1]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        kxx, kyy, kxy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
        off = m * (m - 1)
        values.append((kxx.sum() - np.trace(kxx)) / off + (kyy.sum() - np.trace(kyy)) / off
                      - 2 * kxy.mean())
    return float(np.mean(values)), float(np.std(values))


def precision_recall(real_features, fake_features, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall of a generated set (Kynkäänniemi et al., 2019).

    Each set's *manifold* is the union of balls around its points, each ball's radius the
    distance to that point's k-th nearest neighbour in the same set. **Precision**: share of
    generated points inside the real manifold (are samples realistic?). **Recall**: share of
    real points inside the generated manifold (does the generator cover the catalogue?).
    """
    real = np.asarray(real_features, dtype=np.float64)
    fake = np.asarray(fake_features, dtype=np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"expected two (n, d) feature arrays with the same d, got {real.shape} and {fake.shape}")
    if min(len(real), len(fake)) <= k:
        raise ValueError(f"need more than k={k} points in each set, got {len(real)} and {len(fake)}")

    def sq_dist(x, y):
        return np.maximum((x**2).sum(1)[:, None] + (y**2).sum(1)[None, :] - 2 * x @ y.T, 0.0)

    def radii(x):
        d = sq_dist(x, x)
        return np.sqrt(np.partition(d, k, axis=1)[:, k])  # column 0 is the point itself

    r_real, r_fake = radii(real), radii(fake)
    cross = np.sqrt(sq_dist(fake, real))  # (n_fake, n_real)
    precision = float(np.mean((cross <= r_real[None, :]).any(axis=1)))
    recall = float(np.mean((cross.T <= r_fake[None, :]).any(axis=1)))
    return precision, recall


def coverage_table(classification: Classification, min_count: int = 1):
    """Category × print counts of recognised images (rows: categories, columns: prints).

    Compare it with the catalogue's own table (``pd.crosstab(items.category, items.print)``):
    a generator *covers* a cell when at least ``min_count`` of its samples are classified
    into it. Returns a DataFrame of counts.
    """
    import pandas as pd

    keep = classification.recognised
    table = pd.crosstab(
        pd.Categorical(np.asarray(CATEGORY_NAMES)[classification.category[keep]], categories=CATEGORY_NAMES),
        pd.Categorical(np.asarray(PRINT_NAMES)[classification.print[keep]], categories=PRINT_NAMES),
        dropna=False,
    )
    table.index.name, table.columns.name = "category", "print"
    return table


# --------------------------------------------------------------------------------------
# The shipped conditional generator
# --------------------------------------------------------------------------------------
SHIPPED_WIDTH = 16
#: The settings ``datasets/fashion_gan/build.py`` trained the shipped generator with
#: (arguments of :func:`train_conditional_gan`); lesson 04 trains with them in full mode.
#: Hinge loss, a spectrally normalised discriminator and a linear learning-rate decay (the
#: model card compares this recipe with the plain DCGAN one of the course's first version).
SHIPPED_SETTINGS: dict[str, Any] = {"epochs": 16, "batch_size": 64, "lr": 1e-3, "latent_dim": LATENT_DIM,
                                    "width": SHIPPED_WIDTH, "d_width": 16, "loss": "hinge", "spectral_norm": True,
                                    "lr_decay": True, "average": 0.999, "seed": 20260411}
#: What the shipped generator's training cost, as measured by ``datasets/fashion_gan/build.py
#: --retrain`` on the course's build machine (one thread; the model card's compute table).
#: Steps: 16 epochs of 10,000 // 64 batches. FLOPs are not stored: count them with
#: :func:`flops_per_step` on the shipped architecture.
SHIPPED_TRAINING: dict[str, Any] = {"steps": 2496, "cpu_seconds": 189, "wall_seconds": 188}


def load_fashion_generator():
    """The course's trained conditional generator (category × print), in eval mode.

    A :class:`DCGANGenerator` with ``latent_dim=32``, width 16 and 16 condition inputs, trained by
    ``datasets/fashion_gan/build.py`` on the 10,000 training garments; see its
    ``MODEL_CARD.md`` for the training run, its energy and its measured quality.
    """
    from creative_ai.data.registry import bundled_path
    from creative_ai.recipe import with_recipe

    net = DCGANGenerator(LATENT_DIM, N_CONDITIONS, SHIPPED_WIDTH)
    load_weights(net, bundled_path(*GENERATOR_ASSET))
    net.eval()
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return with_recipe(net, load_fashion_generator)


def generate(generator, n: int = 8, category=None, print=None, seed: int = 0, z=None):  # noqa: A002
    """Generate images (n, 3, 32, 32) in [−1, 1] with a generator in eval mode.

    ``z``: latent vectors (n, latent_dim) to use, or None to draw them from N(0, I) with
    ``seed``. For a conditional generator give ``category`` and ``print`` (names or ids, one
    or n of each). The generator is left in eval mode.
    """

    if z is None:
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        z = torch.randn(n, generator.latent_dim, generator=torch.Generator().manual_seed(seed))
    else:
        z = torch.as_tensor(np.asarray(z, dtype=np.float32) if not isinstance(z, torch.Tensor) else z).float()
        if z.ndim == 1:
            z = z[None, :]
        n = len(z)
    condition = None
    if getattr(generator, "n_conditions", 0):
        if category is None or print is None:
            raise ValueError("this generator is conditional: give category= and print= (names or ids)")
        condition = condition_vectors(category, print)
        if len(condition) == 1:
            condition = condition.expand(n, -1)
        if len(condition) != n:
            raise ValueError(f"expected 1 or {n} conditions, got {len(condition)}")
    generator.eval()
    with torch.no_grad():
        return _call(generator, z, condition)


# --------------------------------------------------------------------------------------
# Interpolation and audit figures, interactive tools
# --------------------------------------------------------------------------------------
def interpolation_figure(rows: dict[str, Any], title: str = "Walking through the latent space",
                         norms: dict[str, Sequence[float]] | None = None):
    """One strip of images per interpolation method, e.g. ``{"linear": imgs, "spherical": imgs}``.

    Each value holds the frames of one path, (n, 3, 32, 32) in [−1, 1]. With ``norms`` (the
    length ‖z‖ of each latent vector on each path) a second panel plots them against the
    step: a linear path cuts through the low-density middle of the Gaussian, where ‖z‖
    dips; a spherical path keeps ‖z‖ near √d. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("interpolation_figure needs at least one row of images")
    frames = {name: to_uint8(images) for name, images in rows.items()}
    n = max(len(f) for f in frames.values())
    extra = 1 if norms else 0
    fig, axes = plt.subplots(len(frames) + extra, 1, figsize=(0.62 * n + 1.6, 0.85 * len(frames) + 2.2 * extra + 0.4),
                             gridspec_kw={"height_ratios": [1] * len(frames) + [2.4] * extra}, squeeze=False)
    for ax, (name, strip) in zip(axes[:, 0], frames.items(), strict=False):
        sample_grid(strip, ncols=len(strip), ax=ax)
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    if norms:
        ax = axes[-1, 0]
        for k, (name, values) in enumerate(norms.items()):
            ax.plot(np.linspace(0, 1, len(values)), values, marker="o", ms=3, color=OKABE_ITO[k % 8], label=name)
        ax.set_xlabel("position t along the path (0 = start, 1 = end)")
        ax.set_ylabel("length ‖z‖")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def neighbours_figure(samples, train_images, indices, distances, n_show: int = 8,
                      title: str = "Generated garments and their nearest training garments",
                      unit: str = "pixel distance", closest: bool = True):
    """Top row: generated samples; bottom row: each one's nearest training image, with the
    distance in the title. ``indices``/``distances``: per sample, from a nearest-neighbour
    search (the lab's ``nearest_neighbour_distances``). With ``closest=True`` (the default)
    it shows the ``n_show`` samples *closest* to their training neighbour, closest first —
    the pairs an audit must look at, since copies hide among the closest — not the first
    ``n_show`` samples. Returns the Figure."""
    import matplotlib.pyplot as plt

    distances = np.asarray(distances, dtype=float)
    order = np.argsort(distances, kind="stable") if closest else np.arange(len(distances))
    show = order[:n_show]
    samples = to_uint8(_images_tensor(samples)[torch.as_tensor(show)])
    train = train_images if isinstance(train_images, np.ndarray) and train_images.dtype == np.uint8 \
        else to_uint8(_images_tensor(train_images))
    indices = np.asarray(indices, dtype=int)[show]
    distances = distances[show]
    fig, axes = plt.subplots(2, len(samples), figsize=(1.15 * len(samples), 2.8), squeeze=False)
    for k in range(len(samples)):
        axes[0, k].imshow(samples[k], interpolation="nearest")
        axes[1, k].imshow(train[indices[k]], interpolation="nearest")
        axes[1, k].set_title(f"{distances[k]:.2f}", fontsize=8)
        axes[0, k].axis("off")
        axes[1, k].axis("off")
    axes[0, 0].text(-4, 16, "generated", ha="right", va="center", fontsize=8)
    axes[1, 0].text(-4, 16, "nearest\ntraining", ha="right", va="center", fontsize=8)
    which = f"the {len(samples)} closest pairs" if closest else f"the first {len(samples)} samples"
    fig.suptitle(f"{title}: {which} (number: {unit})", fontsize=10)
    fig.tight_layout()
    return fig


def design_tool(generator=None, n_variations: int = 8):
    """An interactive design tool: pick a category and a print, get ``n_variations``
    garments from the conditional generator (the shipped one by default); move the seed
    slider for a new set. Returns the ipywidgets container (display it as a cell's last
    expression)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    generator = generator or load_fashion_generator()
    category = widgets.Dropdown(options=list(CATEGORY_NAMES), value="dress", description="category")
    pattern = widgets.Dropdown(options=list(PRINT_NAMES), value="leopard", description="print")
    seed = widgets.IntSlider(value=0, min=0, max=99, description="seed")
    out = widgets.Output()

    def redraw(*_):
        images = generate(generator, n_variations, category.value, pattern.value, seed=seed.value)
        with out:
            out.clear_output(wait=True)
            ax = sample_grid(images, ncols=n_variations,
                             title=f"{n_variations} variations: {pattern.value} {category.value} (seed {seed.value})")
            display(ax.figure)
            plt.close(ax.figure)

    for control in (category, pattern, seed):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([category, pattern, seed]), out])


def interpolation_explorer(interpolate: Callable, generator=None, n_frames: int = 9):
    """Interactive latent walk with the conditional generator: choose two seeds (the two
    end designs), the category and print, and the method. ``interpolate(z0, z1, n, method)``
    must return an (n, d) array of latent vectors — e.g. the lab's ``interpolate_latents``
    or the lesson's own. Returns the ipywidgets container."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    generator = generator or load_fashion_generator()
    start = widgets.IntSlider(value=1, min=0, max=99, description="start seed")
    end = widgets.IntSlider(value=2, min=0, max=99, description="end seed")
    category = widgets.Dropdown(options=list(CATEGORY_NAMES), value="sneaker", description="category")
    pattern = widgets.Dropdown(options=list(PRINT_NAMES), value="plain", description="print")
    method = widgets.ToggleButtons(options=["linear", "spherical"], value="spherical", description="path")
    out = widgets.Output()

    def latent(seed):
        return torch.randn(generator.latent_dim, generator=torch.Generator().manual_seed(seed)).numpy().astype(np.float64)

    def redraw(*_):
        path = np.asarray(interpolate(latent(start.value), latent(end.value), n_frames, method.value))
        images = generate(generator, category=category.value, print=pattern.value, z=path)
        with out:
            out.clear_output(wait=True)
            ax = sample_grid(images, ncols=n_frames,
                             title=f"{method.value} path from seed {start.value} to seed {end.value}")
            display(ax.figure)
            plt.close(ax.figure)

    for control in (start, end, category, pattern, method):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([start, end]), widgets.HBox([category, pattern]), method, out])
