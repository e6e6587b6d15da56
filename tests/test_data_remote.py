"""The opt-in real-data loaders (creative_ai.data.remote), tested with NO network.

The tests make small stand-in files (a fake ml-latest-small zip, fake IDX files, short OGG
clips), replace ``remote._download`` (the only function that opens a URL) by a copy from
those files, and point the cache at a temporary folder.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import io
import struct
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from course import REPO

from creative_ai.data import DataIntegrityError, remote
from creative_ai.data.fashion import GARMENT_CATEGORIES, load_garments
from creative_ai.data.remote import RemoteDataUnavailable


class FakeServer:
    """Stands in for the internet: url -> bytes; records every request."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.offline = False

    def __call__(self, url: str, dest: Path) -> None:
        self.requests.append(url)
        if self.offline or url not in self.files:
            raise urllib.error.URLError("Temporary failure in name resolution")
        Path(dest).write_bytes(self.files[url])


@pytest.fixture
def server(tmp_path, monkeypatch):
    fake = FakeServer()
    monkeypatch.setattr(remote, "_download", fake)
    monkeypatch.setenv("CREATIVE_AI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return fake


def _publish(monkeypatch, server, name: str, data: bytes, **checksums) -> None:
    """Serve ``data`` as the registry's file ``name``; override its checksums."""
    spec = dict(remote.REMOTE_FILES[name], **checksums)
    monkeypatch.setitem(remote.REMOTE_FILES, name, spec)
    server.files[spec["url"]] = data


# --- MovieLens -------------------------------------------------------------------------
def _movielens_zip() -> bytes:
    ratings = pd.DataFrame({
        "userId": [7, 3, 7, 12, 3, 12, 7],
        "movieId": [50, 1, 1, 2571, 50, 1, 2571],
        "rating": [4.0, 3.5, 5.0, 0.5, 4.5, 2.0, 3.0],
        "timestamp": [964982703, 964981247, 964982224, 1445714835, 964983815, 1445714900, 964984000],
    })
    movies = pd.DataFrame({
        "movieId": [1, 50, 2571],
        "title": ["Toy Story (1995)", "Usual Suspects, The (1995)", "Matrix, The (1999)"],
        "genres": ["Adventure|Animation", "Crime|Mystery|Thriller", "Action|Sci-Fi|Thriller"],
    })
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ml-latest-small/ratings.csv", ratings.to_csv(index=False))
        archive.writestr("ml-latest-small/movies.csv", movies.to_csv(index=False))
        archive.writestr("ml-latest-small/README.txt", "fake")
    return buffer.getvalue()


@pytest.fixture
def movielens(server, monkeypatch):
    data = _movielens_zip()
    _publish(monkeypatch, server, "ml-latest-small.zip", data)
    md5 = hashlib.md5(data).hexdigest()
    server.files[remote.REMOTE_FILES["ml-latest-small.zip"]["md5_url"]] = (
        f"MD5 (ml-latest-small.zip) = {md5}\n".encode())
    return data


def test_movielens_not_cached_and_no_download_names_bundled_alternative(server):
    with pytest.raises(RemoteDataUnavailable) as info:
        remote.load_movielens()
    message = str(info.value)
    assert "creative_ai.data.load_ratings()" in message and "download=True" in message
    assert server.requests == []  # never touched the "network"


def test_movielens_offline_download_fails_clearly(server, movielens):
    server.offline = True
    with pytest.raises(RemoteDataUnavailable, match=r"load_ratings\(\)") as info:
        remote.load_movielens(download=True)
    assert "Could not download" in str(info.value)
    assert not any((remote.cache_dir() / "movielens").glob("*.zip*")), "partial file left behind"


def test_movielens_is_reshaped_like_the_bundled_ratings(server, movielens):
    ratings = remote.load_movielens(download=True)
    assert list(ratings.columns[:4]) == ["user_id", "track_id", "rating", "timestamp"]
    assert {"movielens_user_id", "movielens_movie_id", "title", "genres"} <= set(ratings.columns)
    assert len(ratings) == 7 and ratings["timestamp"].is_monotonic_increasing
    assert str(ratings["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert sorted(ratings["user_id"].unique()) == [0, 1, 2]
    assert sorted(ratings["track_id"].unique()) == [0, 1, 2]
    # the remapping is consistent with the original ids (sorted order)
    pairs = set(zip(ratings["movielens_user_id"], ratings["user_id"], strict=True))
    assert pairs == {(3, 0), (7, 1), (12, 2)}
    pairs = set(zip(ratings["movielens_movie_id"], ratings["track_id"], strict=True))
    assert pairs == {(1, 0), (50, 1), (2571, 2)}
    matrix = ratings["title"][ratings["movielens_movie_id"] == 2571]
    assert (matrix == "Matrix, The (1999)").all()
    assert ratings.loc[ratings["movielens_user_id"] == 12, "rating"].tolist() == [0.5, 2.0]
    # same column names and dtypes as the bundled loader for the shared columns
    from creative_ai.data import load_ratings

    bundled = load_ratings()
    for column in ("user_id", "track_id", "timestamp"):
        assert ratings[column].dtype == bundled[column].dtype, column


def test_movielens_is_cached_and_verified_on_later_loads(server, movielens):
    remote.load_movielens(download=True)
    n_requests = len(server.requests)
    cached = remote.cache_dir() / "movielens" / "ml-latest-small.zip"
    recorded = cached.with_name(cached.name + ".sha256")
    assert recorded.read_text().split()[0] == hashlib.sha256(movielens).hexdigest()
    server.offline = True
    assert len(remote.load_movielens()) == 7  # offline, from the cache
    assert len(server.requests) == n_requests
    cached.write_bytes(cached.read_bytes()[:-10] + b"0123456789")  # corrupt the cache
    with pytest.raises(DataIntegrityError, match="recorded at download"):
        remote.load_movielens()


def test_movielens_md5_mismatch_is_rejected(server, movielens):
    server.files[remote.REMOTE_FILES["ml-latest-small.zip"]["md5_url"]] = b"0" * 32 + b"\n"
    with pytest.raises(DataIntegrityError, match="MD5"):
        remote.load_movielens(download=True)
    assert not (remote.cache_dir() / "movielens" / "ml-latest-small.zip").exists()


# --- Fashion-MNIST ---------------------------------------------------------------------
def _idx(array: np.ndarray) -> bytes:
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


@pytest.fixture
def fashion_mnist(server, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {}
    for split, (image_file, label_file), n in (("train", remote.FASHION_MNIST_FILES["train"], 12),
                                               ("test", remote.FASHION_MNIST_FILES["test"], 5)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = np.arange(n, dtype=np.uint8) % 10
        for name, array in ((image_file, images), (label_file, labels)):
            data = _idx(array)
            _publish(monkeypatch, server, name, data, md5=hashlib.md5(data).hexdigest())
        arrays[split] = (images, labels)
    return arrays


def test_fashion_mnist_needs_explicit_download(server, fashion_mnist):
    with pytest.raises(RemoteDataUnavailable, match=r"load_garments\(split, size=28\)"):
        remote.load_fashion_mnist("train")
    assert server.requests == []


def test_fashion_mnist_matches_the_bundled_loader_shape(server, fashion_mnist):
    images, items = remote.load_fashion_mnist("test", download=True)
    expected_images, expected_labels = fashion_mnist["test"]
    np.testing.assert_array_equal(images, expected_images)
    assert images.dtype == np.uint8 and images.shape == (5, 28, 28)
    bundled_images, bundled_items = load_garments("test", size=28)
    assert images.shape[1:] == bundled_images.shape[1:] and images.dtype == bundled_images.dtype
    assert {"item_id", "split", "category", "category_id"} <= set(bundled_items.columns)
    assert list(items.columns) == ["item_id", "split", "category", "category_id"]
    assert items["category_id"].tolist() == expected_labels.tolist()
    assert items["category"].tolist() == [GARMENT_CATEGORIES[i] for i in expected_labels]
    train_images, _ = remote.load_fashion_mnist("train", download=True)
    assert train_images.shape == (12, 28, 28)
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        remote.load_fashion_mnist("validation")


def test_fashion_mnist_checks_the_published_md5(server, fashion_mnist, monkeypatch):
    name = remote.FASHION_MNIST_FILES["test"][0]
    monkeypatch.setitem(remote.REMOTE_FILES, name, dict(remote.REMOTE_FILES[name], md5="f" * 32))
    with pytest.raises(DataIntegrityError, match="publisher's checksum"):
        remote.load_fashion_mnist("test", download=True)


def test_read_idx_rejects_malformed_files(tmp_path):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(b"\x00\x00\x0d\x03" + b"\x00" * 20))
    with pytest.raises(DataIntegrityError, match="not an IDX file"):
        remote.read_idx(bad)
    short = tmp_path / "short.gz"
    short.write_bytes(gzip.compress(struct.pack(">HBBI", 0, 8, 1, 10) + b"\x01\x02"))
    with pytest.raises(DataIntegrityError, match="header says"):
        remote.read_idx(short)


def test_official_fashion_mnist_md5s_agree_with_torchvision():
    import torchvision.datasets

    for name, md5 in torchvision.datasets.FashionMNIST.resources:
        assert remote.REMOTE_FILES[name]["md5"] == md5


# --- audio examples --------------------------------------------------------------------
def test_audio_registry_matches_librosas_own_registry():
    import librosa.util.example_data as example_data

    registry_txt = (Path(example_data.__file__).parent / "registry.txt").read_text()
    known = dict(line.split() for line in registry_txt.splitlines() if line.strip())
    for info in remote.AUDIO_EXAMPLES.values():
        assert known[f"{info['stem']}.ogg"] == info["ogg"]
        assert known[f"{info['stem']}.txt"] == info["txt"]
        assert info["licence"].startswith(("CC BY", "Public"))  # no non-commercial clips


def test_audio_examples_download_verify_and_resample(server, monkeypatch, tmp_path):
    import soundfile

    info = remote.AUDIO_EXAMPLES["robin"]
    t = np.arange(44100 // 2) / 44100
    clip = tmp_path / "robin.ogg"
    soundfile.write(clip, np.stack([np.sin(2 * np.pi * 2000 * t)] * 2, axis=1) * 0.5, 44100,
                    format="OGG", subtype="VORBIS")
    ogg, txt = clip.read_bytes(), b"Robin by InspectorJ\nCC-BY 3.0\n"
    _publish(monkeypatch, server, f"{info['stem']}.ogg", ogg, sha256=hashlib.sha256(ogg).hexdigest())
    _publish(monkeypatch, server, f"{info['stem']}.txt", txt, sha256=hashlib.sha256(txt).hexdigest())
    with pytest.raises(RemoteDataUnavailable, match=r"load_clips\(\)"):
        remote.load_audio_examples(names=["robin"])
    clips = remote.load_audio_examples(download=True, names=["robin"])
    robin = clips["robin"]
    assert robin["sr"] == 22050 and robin["y"].dtype == np.float32 and robin["y"].ndim == 1
    assert abs(len(robin["y"]) - 22050 // 2) < 300
    assert robin["licence"] == "CC BY 3.0" and "InspectorJ" in robin["credit"]
    native = remote.load_audio_examples(names=["robin"], sr=None)["robin"]
    assert native["sr"] == 44100
    with pytest.raises(ValueError, match="unknown audio examples"):
        remote.load_audio_examples(names=["vibeace"])


def test_audio_file_with_wrong_checksum_is_rejected(server, monkeypatch):
    info = remote.AUDIO_EXAMPLES["humpback"]
    _publish(monkeypatch, server, f"{info['stem']}.ogg", b"not the real file")
    with pytest.raises(DataIntegrityError, match="the registry says"):
        remote.load_audio_examples(download=True, names=["humpback"])
    assert not list((remote.cache_dir() / "audio_examples").glob("*.ogg*"))


# --- VGG-19 weights --------------------------------------------------------------------
def test_vgg19_url_and_prefix_match_torchvision():
    from torchvision.models import VGG19_Weights

    url = VGG19_Weights.IMAGENET1K_V1.url
    spec = remote.REMOTE_FILES["vgg19-dcbb9e9d.pth"]
    assert spec["url"] == url and url.endswith(f"-{spec['sha256_prefix']}.pth")


def test_vgg19_weights_offline_and_prefix_check(server, monkeypatch):
    with pytest.raises(RemoteDataUnavailable, match=r"vgg19\(weights=None\)"):
        remote.vgg19_weights()
    fake = b"fake weights"
    _publish(monkeypatch, server, "vgg19-dcbb9e9d.pth", fake)  # real prefix: must be rejected
    with pytest.raises(DataIntegrityError, match="does not start with dcbb9e9d"):
        remote.vgg19_weights(download=True)
    prefix = hashlib.sha256(fake).hexdigest()[:8]
    _publish(monkeypatch, server, "vgg19-dcbb9e9d.pth", fake, sha256_prefix=prefix)
    path = remote.vgg19_weights(download=True)
    assert path.read_bytes() == fake and path.parent.parent == remote.cache_dir()
    server.offline = True
    assert remote.vgg19_weights() == path


def test_vgg19_reuses_torchvisions_cache(server, monkeypatch, tmp_path):
    fake = b"weights torchvision already downloaded"
    hub = tmp_path / "torch" / "hub" / "checkpoints" / "vgg19-dcbb9e9d.pth"
    hub.parent.mkdir(parents=True)
    hub.write_bytes(fake)
    spec = dict(remote.REMOTE_FILES["vgg19-dcbb9e9d.pth"], sha256_prefix=hashlib.sha256(fake).hexdigest()[:8])
    monkeypatch.setitem(remote.REMOTE_FILES, "vgg19-dcbb9e9d.pth", spec)
    assert remote.vgg19_weights() == hub and server.requests == []


# --- general ---------------------------------------------------------------------------
def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("CREATIVE_AI_CACHE", str(tmp_path / "c"))
    assert remote.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("CREATIVE_AI_CACHE")
    assert remote.cache_dir() == Path.home() / ".cache" / "creative_ai"


def test_fetch_rejects_bad_arguments(server):
    with pytest.raises(ValueError, match="unknown remote file"):
        remote.fetch("imagenet.tar")
    with pytest.raises(TypeError, match="download must be True or False"):
        remote.fetch("ml-latest-small.zip", download="yes")


def test_only_download_function_opens_urls():
    """urllib is used in exactly one place, so tests can replace it."""
    offenders = []
    for path in (REPO / "creative_ai").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "_download":
                continue
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n.startswith(("urllib", "requests", "http.client")) for n in names):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    inside = [node for path in [REPO / "creative_ai" / "data" / "remote.py"]
              for node in ast.walk(ast.parse(path.read_text()))
              if isinstance(node, ast.FunctionDef) and node.name == "_download"]
    assert len(inside) == 1
    # imports inside _download are walked too (ast.walk visits them) — allow exactly those
    inner = {n.lineno for n in ast.walk(inside[0]) if isinstance(n, (ast.Import, ast.ImportFrom))}
    offenders = [o for o in offenders
                 if not (o.startswith("creative_ai/data/remote.py:") and int(o.split(":")[1]) in inner)]
    assert offenders == [], f"URL-opening imports outside remote._download: {offenders}"
