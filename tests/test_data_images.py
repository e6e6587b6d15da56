"""Sanity checks of the bundled style-transfer images (datasets/images, creative_ai.data.images).

Checksums; the builder reproduces every file byte-for-byte; shapes, dtypes and value
ranges; licences recorded for every image and consistent with what the source packages
state; clear errors for bad input; a corrupted file gives a DataIntegrityError.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest
from course import REPO

from creative_ai.data import DataIntegrityError, registry, verify_dataset
from creative_ai.data import images as I

FOLDER = REPO / "datasets" / "images"


def test_manifest_covers_and_verifies_every_file():
    names = set(verify_dataset("images"))
    expected = {"images.csv"} | {f"content/{n}.png" for n in I.CONTENT_IMAGES} | {
        f"style/{n}.png" for n in I.STYLE_IMAGES}
    assert names == expected


def test_builder_reproduces_the_committed_files(tmp_path):
    result = subprocess.run([sys.executable, str(FOLDER / "build.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "SHA256SUMS").read_text() == (FOLDER / "SHA256SUMS").read_text()


def test_content_images_shapes_and_ranges():
    photos = I.load_content_images()
    assert sorted(photos) == sorted(I.CONTENT_IMAGES) and 4 <= len(photos) <= 6
    for name, img in photos.items():
        assert img.dtype == np.float32 and img.ndim == 3 and img.shape[2] == 3, name
        assert max(img.shape[:2]) == 256, f"{name}: {img.shape}"
        assert 0.0 <= img.min() and img.max() <= 1.0 and img.std() > 0.05, name


def test_style_images_shapes_ranges_and_variety():
    styles = I.load_style_images()
    assert sorted(styles) == sorted(I.STYLE_IMAGES) and 6 <= len(styles) <= 10
    means = []
    for name, img in styles.items():
        assert img.shape == (256, 256, 3) and img.dtype == np.float32, name
        assert 0.0 <= img.min() and img.max() <= 1.0, name
        assert img.std() > 0.08, f"{name} is nearly flat"
        means.append(img.mean(axis=(0, 1)))
    # the styles differ from each other (palette means are not all alike)
    assert np.ptp(np.array(means), axis=0).max() > 0.3


def test_size_argument():
    assert I.load_image("content", "chelsea", size=128).shape == (85, 128, 3)
    assert I.load_image("style", "mosaic", size=(64, 96)).shape == (64, 96, 3)
    small = I.load_style_images(size=32)
    assert all(v.shape == (32, 32, 3) and v.dtype == np.float32 for v in small.values())
    img = I.load_image("content", "astronaut")
    img[:] = 0  # private copy
    assert I.load_image("content", "astronaut").max() > 0


@pytest.mark.parametrize(
    "args, error, match",
    [
        (("painting", "chelsea"), ValueError, "kind must be 'content' or 'style'"),
        (("content", "mona_lisa"), ValueError, "unknown content image 'mona_lisa'"),
        (("style", "chelsea"), ValueError, "unknown style image"),
        (("content", "chelsea", 4), ValueError, "at least 8"),
        (("content", "chelsea", "big"), TypeError, "size must be None, an int"),
        (("content", "chelsea", (10, 10, 3)), TypeError, "size must be None, an int"),
    ],
)
def test_bad_input_gives_clear_errors(args, error, match):
    with pytest.raises(error, match=match):
        I.load_image(*args)


def test_every_image_has_source_and_licence():
    info = I.load_image_info()
    assert list(info.columns) == ["kind", "name", "file", "width", "height", "title", "source",
                                  "licence", "attribution"]
    assert len(info) == len(I.CONTENT_IMAGES) + len(I.STYLE_IMAGES)
    assert info[["title", "source", "licence", "attribution"]].notna().all().all()
    content = info[info["kind"] == "content"].set_index("name")
    for name, row in content.iterrows():
        img = I.load_image("content", name)
        assert (row["height"], row["width"]) == img.shape[:2]
    datasheet = (FOLDER / "DATASHEET.md").read_text()
    for name in I.CONTENT_IMAGES + I.STYLE_IMAGES:
        assert f"`{name}`" in datasheet, f"{name} is not described in the datasheet"


def test_recorded_licences_match_the_packages_own_statements():
    import skimage.data
    from sklearn.datasets import load_sample_images

    info = I.load_image_info().set_index("name")
    for name in ("chelsea", "coffee"):
        assert "CC0" in getattr(skimage.data, name).__doc__ and info.loc[name, "licence"] == "CC0"
    for name in ("astronaut", "rocket"):
        assert "public domain" in getattr(skimage.data, name).__doc__
        assert info.loc[name, "licence"] == "Public domain"
    descr = load_sample_images().DESCR
    assert "https://creativecommons.org/licenses/by/2.0/" in descr
    for name in ("china", "flower"):
        assert info.loc[name, "licence"].startswith("CC BY 2.0")


@pytest.fixture
def images_copy(tmp_path, monkeypatch):
    shutil.copytree(FOLDER, tmp_path / "images", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("CREATIVE_AI_DATA", str(tmp_path))
    registry._verified.clear()
    yield tmp_path / "images"
    registry._verified.clear()


def test_corrupted_file_raises_data_integrity_error(images_copy):
    I.load_image("style", "op_art")  # loads from the intact copy
    target = images_copy / "style" / "op_art.png"
    data = bytearray(target.read_bytes())
    data[-100] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(DataIntegrityError, match="datasets/images/style/op_art.png") as info:
        I.load_image("style", "op_art")
    assert "git checkout -- datasets/images/style/op_art.png" in str(info.value)
