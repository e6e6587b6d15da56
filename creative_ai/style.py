"""Style-transfer helpers for module 03 ("Painting with gradients").

Everything here is *support* for the lesson and the lab: a feature extractor (the network
that "sees" the images), conversions between images and tensors, a pixel-optimisation loop
with a progress bar, a small feed-forward stylisation network, and figures. None of it
computes a graded quantity: Gram matrices, the content, style and total-variation losses,
stylisation and colour preservation are for you to build.

* :func:`load_extractor` — ``"squeezenet"`` (ImageNet-trained SqueezeNet 1.1, bundled),
  ``"random"`` (the same network with random weights: an honest baseline) or ``"vgg19"``
  (ImageNet VGG-19, an opt-in 548 MB download). Calling the extractor on an image batch
  returns a dict of feature maps, one per layer.
* :func:`image_to_tensor`, :func:`tensor_to_image`, :func:`load_image_tensor`,
  :func:`check_image_tensor` — images as float tensors of shape (1, 3, H, W) in [0, 1], and
  clear errors for anything else.
* :func:`optimize_image` — gradient descent on pixels (Adam or L-BFGS with a strong-Wolfe
  line search) for a loss *you* define, with a progress bar and a loss history.
* :func:`load_fast_stylizer` — a feed-forward network trained (by
  ``datasets/fast_style/build.py``) to paint one style in a single pass.
* :func:`show_images`, :func:`plot_loss_history`, :func:`show_feature_maps`,
  :func:`show_filters` — figures with titles and labelled axes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from creative_ai.display import OKABE_ITO
from creative_ai.recipe import with_recipe

__all__ = [
    "EXTRACTORS",
    "FeatureExtractor",
    "TransformerNet",
    "calibrate_style_weights",
    "check_same_device",
    "fast_styles",
    "imagenet_classes",
    "check_image_tensor",
    "image_to_tensor",
    "load_extractor",
    "load_fast_stylizer",
    "load_image_tensor",
    "optimize_image",
    "plot_loss_history",
    "show_feature_maps",
    "show_filters",
    "show_images",
    "tensor_to_image",
]

EXTRACTORS = ("squeezenet", "random", "vgg19")

# The mean pixel (blue, green, red; 0-255) SqueezeNet's authors subtracted when training it:
# `mean_value: 104 / 117 / 123` in SqueezeNet_v1.1/train_val.prototxt (Iandola et al., 2016).
CAFFE_MEAN_BGR = (104.0, 117.0, 123.0)
# torchvision's ImageNet normalisation (RGB in [0, 1]), used by its VGG-19 weights.
TORCHVISION_MEAN = (0.485, 0.456, 0.406)
TORCHVISION_STD = (0.229, 0.224, 0.225)

# Named layers: index in the network's `features` Sequential whose *output* is the feature map.
SQUEEZENET_LAYERS = {
    "conv1": 1, "fire2": 3, "fire3": 4, "fire4": 6, "fire5": 7, "fire6": 9, "fire7": 10,
    "fire8": 11, "fire9": 12,
}
VGG19_LAYERS = {
    "relu1_1": 1, "relu1_2": 3, "relu2_1": 6, "relu2_2": 8, "relu3_1": 11, "relu3_2": 13,
    "relu3_3": 15, "relu3_4": 17, "relu4_1": 20, "relu4_2": 22, "relu4_3": 24, "relu4_4": 26,
    "relu5_1": 29,
}


# --------------------------------------------------------------------------------------
# Images <-> tensors, and the checks every helper applies
# --------------------------------------------------------------------------------------
def check_image_tensor(image, name: str = "image", batch: int | None = None) -> torch.Tensor:
    """Return ``image`` if it is a float tensor of RGB images in [0, 1]; raise a clear error if not.

    Expected: a ``torch.Tensor`` of shape (B, 3, H, W), floating point, finite, every value
    in [0, 1]; ``batch`` (if given) fixes B. The error says what was expected, what was found
    and how to fix it: a NumPy array (use :func:`image_to_tensor`), a missing batch axis
    (``x[None]``), channels last (``x.permute(0, 3, 1, 2)``), grayscale (1 channel:
    ``x.expand(-1, 3, -1, -1)``), RGBA, or values in 0–255 (divide by 255). TypeError for a
    wrong type, ValueError for a wrong shape or values.
    """
    if isinstance(image, np.ndarray):
        raise TypeError(f"{name}: expected a torch tensor of shape (B, 3, H, W), got a NumPy array of shape "
                        f"{image.shape}; convert it with creative_ai.style.image_to_tensor")
    if not isinstance(image, torch.Tensor):
        raise TypeError(f"{name}: expected a torch tensor of shape (B, 3, H, W), got {type(image).__name__}")
    shape = tuple(image.shape)
    if not image.is_floating_point():
        hint = " (uint8 0–255 pixels: use image.float() / 255)" if image.dtype == torch.uint8 else ""
        raise ValueError(f"{name}: expected a floating-point tensor with values in [0, 1], got dtype {image.dtype}{hint}")
    if image.ndim == 3 and shape[0] in (1, 3):
        raise ValueError(f"{name}: expected shape (B, 3, H, W), got {shape} — the batch axis is missing; use {name}[None]")
    if image.ndim != 4:
        raise ValueError(f"{name}: expected a 4-D tensor of shape (B, 3, H, W), got shape {shape}")
    if shape[1] != 3:
        if shape[-1] == 3:
            raise ValueError(f"{name}: expected channels first, shape (B, 3, H, W), got {shape} (channels last); "
                             f"use {name}.permute(0, 3, 1, 2)")
        if shape[1] == 1:
            raise ValueError(f"{name}: expected 3 colour channels (RGB), got 1 (a grayscale image, shape {shape}); "
                             f"repeat it with {name}.expand(-1, 3, -1, -1)")
        raise ValueError(f"{name}: expected 3 colour channels (RGB), got {shape[1]} (shape {shape})"
                         + ("; drop the alpha channel with x[:, :3]" if shape[1] == 4 else ""))
    if batch is not None and shape[0] != batch:
        raise ValueError(f"{name}: expected a batch of {batch} image(s), shape ({batch}, 3, H, W), got {shape}")
    if shape[0] < 1 or shape[2] < 1 or shape[3] < 1:
        raise ValueError(f"{name}: expected a non-empty image, got shape {shape}")
    if image.device.type != "meta":
        values = image.detach()
        if not torch.isfinite(values).all():
            raise ValueError(f"{name}: contains NaN or infinite values")
        low, high = float(values.min()), float(values.max())
        if high > 1.0 + 1e-4 and high <= 255.0 + 1e-3 and low >= -1e-4:
            raise ValueError(f"{name}: expected values in [0, 1], got values up to {high:.4g} — it looks like 0–255 "
                             f"pixels; divide by 255")
        if low < -1e-4 or high > 1.0 + 1e-4:
            raise ValueError(f"{name}: expected values in [0, 1], got values from {low:.4g} to {high:.4g}")
    return image


def _check_network_input(image) -> None:
    """Like :func:`check_image_tensor`, but tolerant of pixels a little outside [0, 1].

    An optimiser whose pixels drift a little out of range between clamps (an L-BFGS trial
    step, a clamp every few steps) passes such images to the network mid-way; values far
    outside [0, 1] (below -0.5 or above 1.5) are still refused, since they are almost always
    0–255 pixels or an optimisation that never clamps.
    """
    if not isinstance(image, torch.Tensor) or image.ndim != 4 or image.shape[1] != 3 or not image.is_floating_point():
        check_image_tensor(image, "image")  # raises the specific error
    if image.device.type == "meta":
        return
    values = image.detach()
    if not torch.isfinite(values).all():
        raise ValueError("image: contains NaN or infinite values (did the optimisation diverge? lower the learning rate)")
    low, high = float(values.min()), float(values.max())
    if low < -0.5 or high > 1.5:
        raise ValueError(f"image: expected values in [0, 1], got values from {low:.4g} to {high:.4g} — 0–255 pixels "
                         "(divide by 255) or an optimiser that left [0, 1] (clamp it: image.clamp(0, 1))")


def check_same_device(**tensors: torch.Tensor) -> torch.device:
    """Return the common device of named tensors; raise ValueError naming them if they differ."""
    devices = {name: t.device for name, t in tensors.items()}
    if len(set(devices.values())) > 1:
        listed = ", ".join(f"{name} on {device}" for name, device in devices.items())
        raise ValueError(f"expected all images on the same device, got {listed}; move them with .to(device)")
    return next(iter(devices.values()))


def _as_float_rgb(image) -> np.ndarray:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency
        Image = None
    if Image is not None and isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGB"))
    array = np.asarray(image)
    if array.ndim == 2:
        raise ValueError(f"expected a colour image of shape (H, W, 3), got a grayscale image of shape {array.shape}; "
                         f"make it RGB with np.stack([image] * 3, axis=-1)")
    if array.ndim != 3 or array.shape[-1] not in (3, 4):
        raise ValueError(f"expected an image of shape (H, W, 3), got shape {array.shape}")
    array = array[..., :3]
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    if array.dtype.kind != "f":
        raise ValueError(f"expected uint8 pixels (0–255) or floats in [0, 1], got dtype {array.dtype}")
    if not np.isfinite(array).all():
        raise ValueError("the image contains NaN or infinite values")
    low, high = float(array.min()), float(array.max())
    if high > 1.0 + 1e-4:
        raise ValueError(f"expected float pixels in [0, 1], got values up to {high:.4g}"
                         + (" — it looks like 0–255 values; divide by 255" if high <= 255.0 + 1e-3 else ""))
    if low < -1e-4:
        raise ValueError(f"expected float pixels in [0, 1], got values down to {low:.4g}")
    return np.clip(array, 0.0, 1.0).astype(np.float32)


def image_to_tensor(image, size: int | tuple[int, int] | None = None) -> torch.Tensor:
    """Turn an RGB image into a float tensor of shape (1, 3, H, W) with values in [0, 1].

    ``image``: a NumPy array (H, W, 3) — uint8 0–255 or floats in [0, 1] — or a PIL image
    (an alpha channel is dropped). ``size``: ``None`` keeps the size; an int resizes so the
    long side has that many pixels; ``(height, width)`` resizes exactly (Lanczos).

    Example::

        >>> x = image_to_tensor(load_image("content", "chelsea"), size=128)
        >>> tuple(x.shape)
        (1, 3, 85, 128)
    """
    array = _as_float_rgb(image)
    if size is not None:
        array = _resize(array, size)
    return torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))[None].float()


def _resize(array: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    from PIL import Image

    h, w = array.shape[:2]
    if isinstance(size, bool) or not isinstance(size, (int, np.integer, tuple)):
        raise TypeError(f"size must be None, an int or a (height, width) tuple, got {size!r}")
    if isinstance(size, tuple):
        if len(size) != 2 or min(size) < 8:
            raise ValueError(f"size must be a (height, width) tuple of at least 8 pixels each, got {size}")
        new_h, new_w = int(size[0]), int(size[1])
    else:
        if size < 8:
            raise ValueError(f"size must be at least 8 pixels, got {size}")
        scale = int(size) / max(h, w)
        new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    if (new_h, new_w) == (h, w):
        return array
    pil = Image.fromarray(np.round(array * 255).astype(np.uint8)).resize((new_w, new_h), Image.Resampling.LANCZOS)
    return np.asarray(pil, dtype=np.float32) / 255.0


def tensor_to_image(image: torch.Tensor) -> np.ndarray:
    """Turn a (1, 3, H, W) or (3, H, W) tensor into a float32 NumPy image (H, W, 3), clipped to [0, 1]."""
    if not isinstance(image, torch.Tensor):
        raise TypeError(f"expected a torch tensor, got {type(image).__name__}")
    if image.ndim == 4:
        if image.shape[0] != 1:
            raise ValueError(f"expected one image, shape (1, 3, H, W), got {tuple(image.shape)}; pick one with x[i]")
        image = image[0]
    if image.ndim != 3 or image.shape[0] != 3:
        raise ValueError(f"expected shape (1, 3, H, W) or (3, H, W), got {tuple(image.shape)}")
    return image.detach().cpu().float().clamp(0, 1).permute(1, 2, 0).numpy().copy()


def load_image_tensor(kind: str, name: str, size: int | tuple[int, int] | None = None) -> torch.Tensor:
    """A bundled image (see ``creative_ai.data.load_image``) as a (1, 3, H, W) tensor in [0, 1]."""
    from creative_ai.data import load_image

    return image_to_tensor(load_image(kind, name, size))


# --------------------------------------------------------------------------------------
# Feature extractors
# --------------------------------------------------------------------------------------
class FeatureExtractor(nn.Module):
    """A frozen convolutional network that returns named feature maps of RGB images.

    Call it on a (B, 3, H, W) float tensor of RGB images in [0, 1]; it converts the images
    to the input its network was trained on (``preprocess``) and returns a dict
    ``layer name -> feature map`` of shape (B, C, H', W'), for ``layers`` (default: the
    ``content_layer`` and every one of ``style_layers``). Gradients flow back to the image;
    the network's own weights never change.

    Attributes: ``name``; ``layer_names`` (every layer it can return, shallow to deep);
    ``content_layer``; ``style_layers`` and ``style_weights`` (one weight per style layer,
    chosen so that each layer's Gram-matrix MSE counts about equally — see the model card);
    ``tv_weight`` (a total-variation weight that suits the losses above); ``lr`` (an Adam
    learning rate for pixels in [0, 1]) and ``min_size`` (smallest image side it accepts).
    """

    def __init__(self, name: str, features: nn.Sequential, layers: Mapping[str, int], *,
                 content_layer: str, style_layers: Sequence[str], style_weights: Sequence[float],
                 tv_weight: float, lr: float, min_size: int, preprocessing: str, classifier: nn.Module | None = None):
        super().__init__()
        self.name = name
        self.features = features
        self.classifier = classifier
        self._index = dict(layers)
        self.layer_names = tuple(sorted(self._index, key=self._index.get))
        self.content_layer = content_layer
        self.style_layers = tuple(style_layers)
        self.style_weights = tuple(float(w) for w in style_weights)
        self.tv_weight = float(tv_weight)
        self.lr = float(lr)
        self.min_size = int(min_size)
        self.preprocessing = preprocessing
        if preprocessing == "caffe":
            self.register_buffer("_mean", torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1))
            self.register_buffer("_std", torch.ones(1, 3, 1, 1) / 255.0)
        else:
            self.register_buffer("_mean", torch.tensor(TORCHVISION_MEAN).view(1, 3, 1, 1))
            self.register_buffer("_std", torch.tensor(TORCHVISION_STD).view(1, 3, 1, 1))
        for parameter in self.parameters():
            parameter.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True):  # a frozen extractor never leaves evaluation mode
        return super().train(False)

    def preprocess(self, image: torch.Tensor) -> torch.Tensor:
        """RGB in [0, 1] -> the network's input (Caffe: BGR, 0–255, minus the mean pixel)."""
        if self.preprocessing == "caffe":
            image = image.flip(1)  # RGB -> BGR
        return (image - (self._mean / 255.0 if self.preprocessing == "caffe" else self._mean)) / self._std

    def forward(self, image: torch.Tensor, layers: Sequence[str] | None = None) -> dict[str, torch.Tensor]:
        _check_network_input(image)
        if min(image.shape[-2:]) < self.min_size:
            raise ValueError(f"image: the {self.name} extractor needs images of at least {self.min_size}×"
                             f"{self.min_size} pixels, got {tuple(image.shape[-2:])}")
        wanted = tuple(layers) if layers is not None else (self.content_layer, *self.style_layers)
        unknown = [layer for layer in wanted if layer not in self._index]
        if unknown:
            raise ValueError(f"unknown layer(s) {unknown} for the {self.name} extractor; choose from {list(self.layer_names)}")
        device = self._mean.device
        if image.device != device:
            raise ValueError(f"image is on {image.device} but the {self.name} extractor is on {device}; "
                             f"move one of them with .to(...)")
        last = max(self._index[layer] for layer in wanted)
        by_index = {self._index[layer]: layer for layer in wanted}
        out, x = {}, self.preprocess(image)
        for i, module in enumerate(self.features[: last + 1]):
            x = module(x)
            if i in by_index:
                out[by_index[i]] = x
        return {layer: out[layer] for layer in wanted}

    def classify(self, image: torch.Tensor, k: int = 5) -> list[tuple[int, str, float]]:
        """Top-``k`` ImageNet classes of one image as ``(class id, name, probability)``.

        Only for pretrained extractors that keep their classifier (SqueezeNet). The image is
        resized to 227×227 first, the input size the network was trained on.
        """
        if self.classifier is None:
            raise ValueError(f"the {self.name} extractor has no classifier")
        check_image_tensor(image, "image", batch=1)
        x = torch.nn.functional.interpolate(image, size=(227, 227), mode="bilinear", align_corners=False,
                                            antialias=True)
        with torch.no_grad():
            logits = torch.flatten(self.classifier(self.features(self.preprocess(x))), 1)[0]
            probabilities = torch.softmax(logits, dim=0)
        top = torch.topk(probabilities, k)
        names = imagenet_classes()
        return [(int(i), names[int(i)], float(p)) for p, i in zip(top.values, top.indices, strict=True)]

    def extra_repr(self) -> str:
        return (f"name={self.name!r}, content_layer={self.content_layer!r}, style_layers={self.style_layers}, "
                f"style_weights={self.style_weights}, tv_weight={self.tv_weight}")


def imagenet_classes() -> list[str]:
    """The 1,000 ImageNet class names, in class-id order (as shipped with torchvision)."""
    from torchvision.models import SqueezeNet1_1_Weights

    return list(SqueezeNet1_1_Weights.IMAGENET1K_V1.meta["categories"])


def _squeezenet_arrays() -> dict[str, np.ndarray]:
    from creative_ai.data.registry import bundled_path

    path = bundled_path("squeezenet", "squeezenet1_1.npz")
    with np.load(path, allow_pickle=False) as data:  # plain arrays: nothing is unpickled
        return {name: data[name] for name in data.files}


# Style-layer weights. The Gram matrices of different layers differ in magnitude, so each
# layer's weight is 10**4 / (its mean squared Gram entry over the eight bundled style images
# at 256 px), rounded to one significant figure — :func:`calibrate_style_weights` computes
# it, and the tests check these constants against it. Content weight 1 is implied; the
# total-variation weight and the Adam learning rate were chosen by eye on the bundled images.
_SETTINGS = {
    "squeezenet": dict(content_layer="fire2", style_layers=("conv1", "fire3", "fire4", "fire5"),
                       style_weights=(10.0, 3.0, 10.0, 60.0), tv_weight=10.0, lr=0.03, min_size=32),
    "random": dict(content_layer="fire2", style_layers=("conv1", "fire3", "fire4", "fire5"),
                   style_weights=(2.0, 5.0, 5.0, 4.0), tv_weight=10.0, lr=0.03, min_size=32),
    # VGG-19 cannot be calibrated offline: load_extractor calibrates it when it is loaded.
    "vgg19": dict(content_layer="relu4_2", style_layers=("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"),
                  style_weights=None, tv_weight=10.0, lr=0.03, min_size=32),
}
STYLE_WEIGHT_SCALE = 1e4


def _round_significant(x: float, digits: int = 1) -> float:
    return float(f"{x:.{digits}g}")


def calibrate_style_weights(extractor: FeatureExtractor, size: int = 256) -> tuple[float, ...]:
    """One weight per style layer: ``10**4 / mean squared Gram entry`` over the bundled styles.

    The Gram matrix here is ``F F^T / (C * H * W)`` for each layer's feature map F, averaged
    over the eight bundled style images at ``size`` px; each weight is rounded to one
    significant figure. Layers whose Gram entries are large get small weights, so that every
    layer counts about equally in the style loss.
    """
    from creative_ai.data.images import STYLE_IMAGES

    sums = dict.fromkeys(extractor.style_layers, 0.0)
    with torch.no_grad():
        for name in STYLE_IMAGES:
            features = extractor(load_image_tensor("style", name, size), layers=extractor.style_layers)
            for layer, f in features.items():
                b, c, h, w = f.shape
                flat = f.reshape(b, c, h * w)
                sums[layer] += float(((flat @ flat.transpose(1, 2) / (c * h * w)) ** 2).mean()) / len(STYLE_IMAGES)
    return tuple(_round_significant(STYLE_WEIGHT_SCALE / sums[layer]) for layer in extractor.style_layers)


def load_extractor(name: str = "squeezenet", seed: int = 0, download: bool = False,
                   style_weights: Sequence[float] | None = None) -> FeatureExtractor:
    """Build a frozen :class:`FeatureExtractor`.

    * ``"squeezenet"`` (default): SqueezeNet 1.1 trained on ImageNet (Iandola et al., 2016),
      bundled with the course (``datasets/squeezenet``, 4.9 MB, checksum-verified) — works
      offline. Content layer ``fire2``; style layers ``conv1``, ``fire3``, ``fire4``, ``fire5``.
    * ``"random"``: the same architecture with random (He-initialised, ``seed``) weights —
      the honest baseline: what does a network that has *learnt nothing* transfer?
    * ``"vgg19"``: VGG-19 trained on ImageNet (Simonyan & Zisserman, 2015), the network of
      Gatys et al. (2016), via ``creative_ai.data.vgg19_weights``: a 548 MB download, so it
      raises ``RemoteDataUnavailable`` unless the weights are cached or ``download=True``.

    ``style_weights`` (optional): one non-negative number per style layer, replacing the
    calibrated per-layer weights — e.g. ``(10, 0, 0, 0)`` to study the first style layer
    alone (style reconstructions from a subset of layers, as in Gatys et al., 2016, Fig. 1).

    The extractor carries a *recipe* (``creative_ai.recipe``), so the grader can rebuild the
    same network in another process.
    """
    import torchvision

    if name not in EXTRACTORS:
        raise ValueError(f"unknown extractor {name!r}; choose one of {list(EXTRACTORS)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    settings = _SETTINGS[name]
    if style_weights is not None:
        weights = tuple(style_weights) if isinstance(style_weights, (list, tuple)) else None
        if (weights is None or len(weights) != len(settings["style_layers"])
                or not all(isinstance(w, (int, float, np.integer, np.floating)) and not isinstance(w, bool)
                           and np.isfinite(w) and w >= 0 for w in weights)):
            raise ValueError(f"style_weights must be {len(settings['style_layers'])} non-negative numbers, one per "
                             f"style layer {list(settings['style_layers'])}, got {style_weights!r}")
        style_weights = tuple(float(w) for w in weights)
        extra = {"style_weights": style_weights}
    else:
        extra = {}
    if name == "vgg19":
        from torchvision.models.vgg import cfgs, make_layers

        from creative_ai.data.remote import vgg19_weights

        path = vgg19_weights(download=download)
        # Only the convolutional part is needed: build and load just that (80 MB, not 548).
        last = max(VGG19_LAYERS.values())
        features = make_layers(cfgs["E"], batch_norm=False)[: last + 1]
        state = torch.load(path, map_location="cpu", weights_only=True)
        features.load_state_dict({key.removeprefix("features."): value for key, value in state.items()
                                  if key.startswith("features.") and int(key.split(".")[1]) <= last})
        extractor = FeatureExtractor("vgg19", features, VGG19_LAYERS, preprocessing="torchvision",
                                     **{**settings, "style_weights": (1.0,) * len(settings["style_layers"])})
        extractor.style_weights = style_weights or calibrate_style_weights(extractor)
        return with_recipe(extractor, load_extractor, "vgg19", **extra)
    net = torchvision.models.squeezenet1_1(weights=None)
    if name == "squeezenet":
        state = {k: torch.from_numpy(v) for k, v in _squeezenet_arrays().items()}
        net.load_state_dict(state)
        classifier = net.classifier
    else:
        generator = torch.Generator().manual_seed(int(seed))
        for module in net.features.modules():
            if isinstance(module, nn.Conv2d):
                fan_in = module.in_channels * module.kernel_size[0] * module.kernel_size[1]
                with torch.no_grad():
                    module.weight.normal_(0.0, (2.0 / fan_in) ** 0.5, generator=generator)  # He et al. (2015)
                    module.bias.zero_()
        classifier = None
    extractor = FeatureExtractor(name, net.features, SQUEEZENET_LAYERS, preprocessing="caffe",
                                 classifier=classifier, **{**settings, **extra})
    return with_recipe(extractor, load_extractor, name, seed=int(seed), **extra)


# --------------------------------------------------------------------------------------
# Optimising pixels
# --------------------------------------------------------------------------------------
class _JitterCrop:
    """The window :func:`optimize_image` shows the loss for one jittered evaluation."""

    def __init__(self, shift: tuple[int, int], jitter: int):
        self.shift, self.jitter = tuple(shift), int(jitter)

    def __call__(self, tensor: torch.Tensor) -> torch.Tensor:
        dy, dx = self.shift
        h, w = tensor.shape[-2:]
        return tensor[..., dy:h - self.jitter + dy, dx:w - self.jitter + dx]

    def __repr__(self) -> str:
        return f"crop(shift={self.shift}, jitter={self.jitter})"


def optimize_image(
    loss_fn: Callable[[torch.Tensor], torch.Tensor | Mapping[str, torch.Tensor]],
    start: torch.Tensor,
    steps: int,
    method: str = "adam",
    lr: float = 0.02,
    progress: bool = True,
    desc: str = "optimising pixels",
    jitter: int = 0,
    seed: int = 0,
) -> tuple[torch.Tensor, list[dict[str, float]]]:
    """Minimise ``loss_fn(image)`` over the pixels of ``image``, starting from ``start``.

    ``loss_fn`` gets a (B, 3, H, W) tensor in [0, 1] and returns a scalar tensor, or a dict of
    named scalar tensors (e.g. ``{"content": ..., "style": ..., "tv": ...}``) whose sum is
    minimised. ``steps`` is the budget of loss evaluations (one forward and one backward pass
    each), so methods compare at equal cost:

    * ``"adam"``: one Adam step per evaluation, learning rate ``lr`` in pixel units; pixels
      are clamped to [0, 1] after every step.
    * ``"lbfgs"``: L-BFGS (history 20) with a strong-Wolfe line search, which picks its own
      step lengths (``lr`` is ignored); the line search may try pixels outside [0, 1], so
      ``loss_fn`` sees them clamped, and the result is clamped.

    ``jitter`` (Adam only): before each evaluation, the loss sees a randomly shifted crop of
    the image: ``jitter`` rows and columns are dropped, a random 0 to ``jitter`` of them at
    the top and at the left (``seed`` fixes the shifts). A network whose first layer has
    stride 2, like SqueezeNet's, otherwise paints a faint pixel grid: each pixel's gradient
    depends on its position modulo 2, and averaging over shifts removes it ("transformation
    robustness": Olah, Mordvintsev & Schubert, *Feature Visualization*, Distill 2017). With
    jitter, ``loss_fn`` is called as ``loss_fn(image, crop)``: ``crop(t)`` cuts the same
    window out of any tensor of the start's size, so a loss that compares positions (a
    content loss) compares the crop with the *same crop* of its target, e.g. the features of
    ``crop(photo)``; ``crop.shift`` is the ``(dy, dx)`` offset. A loss that ignores where
    things are (a Gram-matrix style loss) can ignore ``crop``. A crop, unlike a wrap-around
    roll, adds no seam to the image.

    Returns ``(image, history)``: the final image (detached, in [0, 1]) and one dict per loss
    evaluation with every named loss, ``"total"``, ``"evaluations"`` (1, 2, ...) and
    ``"seconds"`` since the start — plot it with :func:`plot_loss_history`. (For L-BFGS an
    evaluation may be a rejected trial point of the line search, so its curve can jump up.)
    """
    from creative_ai.progress import progress as progress_bar

    check_image_tensor(start, "start")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer (loss evaluations), got {steps!r}")
    if method not in ("adam", "lbfgs"):
        raise ValueError(f"method must be 'adam' or 'lbfgs', got {method!r}")
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(jitter, bool) or not isinstance(jitter, (int, np.integer)) or jitter < 0:
        raise ValueError(f"jitter must be a non-negative integer number of pixels, got {jitter!r}")
    if jitter and method == "lbfgs":
        raise ValueError("jitter needs method='adam': L-BFGS's line search needs the same loss at every evaluation")
    if jitter:
        import inspect

        try:
            inspect.signature(loss_fn).bind(start, _JitterCrop((0, 0), int(jitter)))
        except TypeError:
            raise TypeError("with jitter, optimize_image calls loss_fn(image, crop): give your loss a second "
                            "argument, crop, and compare the image with crop(target) (a Gram-matrix loss may "
                            "ignore it), e.g. lambda image, crop: my_loss(image)") from None
        except ValueError:  # a callable without an inspectable signature: try it
            pass
        if min(start.shape[-2:]) <= jitter:
            raise ValueError(f"jitter ({jitter} pixels) must be smaller than the image {tuple(start.shape[-2:])}")
    shifts = torch.Generator().manual_seed(int(seed))
    image = start.detach().clone().requires_grad_(True)
    history: list[dict[str, float]] = []
    bar = progress_bar(range(int(steps)), desc=desc, disable=not progress)
    began = time.perf_counter()

    def evaluate() -> torch.Tensor:
        seen = image.clamp(0.0, 1.0)  # L-BFGS's line search may try pixels outside [0, 1]
        if jitter:
            dy, dx = torch.randint(0, int(jitter) + 1, (2,), generator=shifts).tolist()
            crop = _JitterCrop((dy, dx), int(jitter))
            result = loss_fn(crop(seen), crop)
        else:
            result = loss_fn(seen)
        parts = dict(result) if isinstance(result, Mapping) else {}
        total = sum(parts.values()) if isinstance(result, Mapping) else result
        if not isinstance(total, torch.Tensor) or total.numel() != 1:
            raise TypeError(f"loss_fn must return a scalar tensor or a dict of them, got {type(result).__name__}")
        if not torch.isfinite(total):
            raise FloatingPointError("the loss became NaN or infinite; lower the learning rate or the loss weights")
        total = total.reshape(())
        total.backward()
        history.append({**{k: float(v.detach()) for k, v in parts.items()}, "total": float(total.detach()),
                        "evaluations": len(history) + 1, "seconds": time.perf_counter() - began})
        bar.update(1)
        return total

    try:
        if method == "adam":
            optimizer = torch.optim.Adam([image], lr=lr)
            for _ in range(int(steps)):
                optimizer.zero_grad()
                evaluate()
                optimizer.step()
                with torch.no_grad():
                    image.clamp_(0.0, 1.0)
        else:
            # One call with the whole budget: L-BFGS keeps its curvature memory inside a call
            # (calling it once per iteration, max_iter=1, stalls after the first step).
            optimizer = torch.optim.LBFGS([image], lr=1.0, max_iter=int(steps), max_eval=int(steps),
                                          history_size=20, line_search_fn="strong_wolfe",
                                          tolerance_grad=0.0, tolerance_change=0.0)

            def closure():
                optimizer.zero_grad()
                return evaluate()

            optimizer.step(closure)
    finally:
        bar.close()
    return image.detach().clamp(0.0, 1.0), history


# --------------------------------------------------------------------------------------
# A feed-forward stylisation network (Johnson et al., 2016, slimmed down for a CPU)
# --------------------------------------------------------------------------------------
class _ConvLayer(nn.Sequential):
    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1, relu: bool = True):
        layers: list[nn.Module] = [nn.ReflectionPad2d(kernel // 2), nn.Conv2d(c_in, c_out, kernel, stride),
                                   nn.InstanceNorm2d(c_out, affine=True)]
        if relu:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class _Residual(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.block = nn.Sequential(_ConvLayer(channels, channels, 3), _ConvLayer(channels, channels, 3, relu=False))

    def forward(self, x):
        return x + self.block(x)


class _Upsample(nn.Sequential):
    """Nearest-neighbour upsampling then a convolution (no transposed-convolution checkerboards)."""

    def __init__(self, c_in: int, c_out: int):
        super().__init__(nn.Upsample(scale_factor=2, mode="nearest"), _ConvLayer(c_in, c_out, 3))


class TransformerNet(nn.Module):
    """Image -> stylised image in one forward pass (the "image transformation network" of
    Johnson, Alahi & Fei-Fei, ECCV 2016, with instance normalisation as in Ulyanov et al., 2016,
    and fewer channels: ``width`` 16 gives 350,787 parameters instead of about 1.7 M).

    Input and output: (B, 3, H, W) RGB in [0, 1]; H and W need not be multiples of 4 (the
    output is cropped back to the input's size). Two stride-2 convolutions down, ``n_residual``
    residual blocks, two upsampling convolutions, a sigmoid.
    """

    def __init__(self, width: int = 16, n_residual: int = 4):
        super().__init__()
        self.width, self.n_residual = int(width), int(n_residual)
        w = self.width
        self.net = nn.Sequential(
            _ConvLayer(3, w, 9), _ConvLayer(w, 2 * w, 3, stride=2), _ConvLayer(2 * w, 4 * w, 3, stride=2),
            *[_Residual(4 * w) for _ in range(self.n_residual)],
            _Upsample(4 * w, 2 * w), _Upsample(2 * w, w),
            nn.ReflectionPad2d(4), nn.Conv2d(w, 3, 9),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        check_image_tensor(image, "image")
        h, w = image.shape[-2:]
        pad_h, pad_w = (-h) % 4, (-w) % 4
        x = torch.nn.functional.pad(image, (0, pad_w, 0, pad_h), mode="replicate") if pad_h or pad_w else image
        return torch.sigmoid(self.net(x))[..., :h, :w]


def fast_styles() -> tuple[str, ...]:
    """Names of the styles with a trained :class:`TransformerNet` bundled in ``datasets/fast_style``."""
    from creative_ai.data.registry import read_manifest

    return tuple(sorted(p.removesuffix(".npz") for p in read_manifest("fast_style") if p.endswith(".npz")))


def load_fast_stylizer(style: str) -> TransformerNet:
    """The bundled feed-forward network trained to paint ``style`` (one of :func:`fast_styles`).

    Trained by ``datasets/fast_style/build.py`` with the SqueezeNet losses on redistributable
    photos only (see its MODEL_CARD.md); in evaluation mode, weights frozen.

    Example::

        >>> net = load_fast_stylizer("stained_glass")
        >>> with torch.no_grad():
        ...     painted = net(load_image_tensor("content", "china"))
    """
    from creative_ai.data.registry import bundled_path

    styles = fast_styles()
    if style not in styles:
        raise ValueError(f"no fast stylizer for {style!r}; bundled styles: {list(styles)}")
    path = bundled_path("fast_style", f"{style}.npz")
    with np.load(path, allow_pickle=False) as data:
        state = {name: torch.from_numpy(data[name]) for name in data.files if not name.startswith("meta.")}
        width, n_residual = int(data["meta.width"].item()), int(data["meta.n_residual"].item())
    net = TransformerNet(width, n_residual)
    net.load_state_dict(state)
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return with_recipe(net.eval(), load_fast_stylizer, style)


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------
def show_images(images: Sequence, titles: Sequence[str] | None = None, suptitle: str | None = None,
                ncols: int = 4, size: float = 3.0):
    """Show images side by side and return the Figure.

    ``images``: tensors (1, 3, H, W) or (3, H, W) in [0, 1], or NumPy (H, W, 3) arrays; they
    may differ in size. ``titles``: one per image.
    """
    from creative_ai.display import image_grid

    shown = [tensor_to_image(im) if isinstance(im, torch.Tensor) else im for im in images]
    return image_grid(shown, titles=titles, ncols=ncols, size=size, suptitle=suptitle)


def plot_loss_history(histories: Mapping[str, Sequence[Mapping[str, float]]], key: str = "total",
                      x: str = "step", ax=None, title: str | None = None, log: bool = True):
    """Plot one loss (``key``) against ``x`` (``"step"``, ``"evaluations"`` or ``"seconds"``)
    for several runs of :func:`optimize_image`; return the Axes.

    ``histories``: label -> history. The y axis is logarithmic by default (losses fall by
    orders of magnitude). Colours from the Okabe–Ito palette.
    """
    import matplotlib.pyplot as plt

    if x not in ("step", "evaluations", "seconds"):
        raise ValueError(f"x must be 'step', 'evaluations' or 'seconds', got {x!r}")
    if not histories:
        raise ValueError("expected at least one history to plot, got none")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.5))
    for i, (label, history) in enumerate(histories.items()):
        if not history or key not in history[0]:
            raise ValueError(f"history {label!r} has no {key!r} loss; it has {sorted(history[0]) if history else 'no steps'}")
        xs = [h[x] for h in history] if x != "step" else list(range(1, len(history) + 1))
        ax.plot(xs, [h[key] for h in history], color=OKABE_ITO[i % len(OKABE_ITO)], label=label, lw=1.8)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel({"step": "optimisation step", "evaluations": "loss evaluations (forward + backward passes)",
                   "seconds": "time (s)"}[x])
    ax.set_ylabel(f"{key} loss" + (" (log scale)" if log else ""))
    ax.set_title(title or f"{key.capitalize()} loss during optimisation")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax


def show_feature_maps(features: torch.Tensor, n: int = 8, title: str = "Feature maps", channels=None,
                      size: float = 1.6):
    """Show ``n`` channels of one feature map (1, C, H, W) as gray images; return the Figure.

    Each map is scaled to its own [min, max] (bright = strong response). ``channels`` picks
    which ones (default: the ``n`` with the largest mean response).
    """
    from creative_ai.display import image_grid

    if not isinstance(features, torch.Tensor) or features.ndim != 4 or features.shape[0] != 1:
        shape = tuple(features.shape) if hasattr(features, "shape") else type(features).__name__
        raise ValueError(f"expected a feature map of shape (1, C, H, W), got {shape}")
    maps = features[0].detach().float().cpu()
    if channels is None:
        channels = torch.argsort(maps.mean(dim=(1, 2)), descending=True)[:n].tolist()
    tiles = []
    for c in channels:
        m = maps[int(c)]
        span = float(m.max() - m.min())
        tiles.append(((m - m.min()) / span if span > 0 else torch.zeros_like(m)).numpy())
    return image_grid(tiles, titles=[f"channel {int(c)}" for c in channels], ncols=min(n, 8), size=size,
                      suptitle=f"{title} ({maps.shape[1]}×{maps.shape[2]} px each)")


def show_filters(weight: torch.Tensor, n: int = 32, title: str = "First-layer filters", size: float = 0.9,
                 bgr: bool = False):
    """Show first-layer convolution filters (out, 3, k, k) as small RGB tiles; return the Figure.

    Each filter is scaled on its own so that gray means 0: a colour shows what the filter
    responds to, its complement what it responds against. ``bgr=True`` for networks that see
    BGR input (the Caffe-trained SqueezeNet): the channels are flipped to RGB for display.
    """
    from creative_ai.display import image_grid

    if not isinstance(weight, torch.Tensor) or weight.ndim != 4 or weight.shape[1] != 3:
        shape = tuple(weight.shape) if hasattr(weight, "shape") else type(weight).__name__
        raise ValueError(f"expected filters of shape (out, 3, k, k), got {shape}")
    tiles = []
    for w in weight[:n].detach().float().cpu():
        w = w.flip(0) if bgr else w
        scale = float(w.abs().max()) or 1.0
        tiles.append((0.5 + 0.5 * w / scale).permute(1, 2, 0).numpy())
    return image_grid(tiles, ncols=min(n, 16), size=size,
                      suptitle=f"{title}: {min(n, weight.shape[0])} of {weight.shape[0]}, {weight.shape[2]}×{weight.shape[3]} px")
