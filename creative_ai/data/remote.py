"""Opt-in real datasets and weights: downloaded only when you ask, verified, cached.

Nothing here touches the network unless you pass ``download=True``. Every file is checked
against a checksum before use, and cached under ``$CREATIVE_AI_CACHE`` (default
``~/.cache/creative_ai``), so later calls work offline. When a file is not cached and
``download`` is False — or the download fails because you are offline — the error says
which **bundled** dataset to use instead.

============================  ============================================  ====================================
loader                        what                                          bundled alternative
============================  ============================================  ====================================
:func:`load_movielens`        MovieLens ml-latest-small ratings (GroupLens)  ``creative_ai.data.load_ratings()``
:func:`load_fashion_mnist`    Fashion-MNIST (Zalando Research, MIT)          ``load_garments(split, size=28)``
:func:`load_audio_examples`   five CC BY / public-domain recordings from     ``creative_ai.data.load_clips()``
                              librosa's example-data repository
:func:`vgg19_weights`         torchvision's ImageNet VGG-19 weights          ``torchvision.models.vgg19(weights=None)``
============================  ============================================  ====================================

How checksums work (see :data:`REMOTE_FILES`):

* ``sha256`` — the full SHA-256 when it is published (librosa's example registry);
* ``sha256_prefix`` — the first hex digits of the SHA-256 that torchvision puts in its
  weight file names (``vgg19-dcbb9e9d.pth``) and checks itself;
* ``md5`` — the MD5 published by the data's authors (Fashion-MNIST's README, also in
  torchvision) or fetched from the publisher's ``.md5`` file (MovieLens);
* whatever is not published is **recorded on first download** ("trust on first use"):
  the file's full SHA-256 is written next to it as ``<file>.sha256`` and checked on every
  later load, so silent corruption or replacement of the cache is caught, but the very
  first download is only as trustworthy as the publisher's server and MD5.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from creative_ai.data.registry import DataIntegrityError


class RemoteDataUnavailable(RuntimeError):
    """An opt-in dataset is not cached and was not (or could not be) downloaded."""


_LIBROSA = "https://librosa.org/data/audio/"
_FMNIST = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"

#: name -> how to fetch and verify one remote file. ``subdir`` is the cache sub-folder.
REMOTE_FILES: dict[str, dict] = {
    "ml-latest-small.zip": {
        "subdir": "movielens",
        "url": "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
        "md5_url": "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip.md5",
        "sha256": None,  # not published; "latest" is refreshed by GroupLens from time to time
    },
    "train-images-idx3-ubyte.gz": {
        "subdir": "fashion_mnist", "url": _FMNIST + "train-images-idx3-ubyte.gz",
        "md5": "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "sha256": None,
    },
    "train-labels-idx1-ubyte.gz": {
        "subdir": "fashion_mnist", "url": _FMNIST + "train-labels-idx1-ubyte.gz",
        "md5": "25c81989df183df01b3e8a0aad5dffbe", "sha256": None,
    },
    "t10k-images-idx3-ubyte.gz": {
        "subdir": "fashion_mnist", "url": _FMNIST + "t10k-images-idx3-ubyte.gz",
        "md5": "bef4ecab320f06d8554ea6380940ec79", "sha256": None,
    },
    "t10k-labels-idx1-ubyte.gz": {
        "subdir": "fashion_mnist", "url": _FMNIST + "t10k-labels-idx1-ubyte.gz",
        "md5": "bb300cfdad3c16e7a12a480ee83cd310", "sha256": None,
    },
    "vgg19-dcbb9e9d.pth": {
        "subdir": "torchvision",
        "url": "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth",
        "sha256_prefix": "dcbb9e9d", "sha256": None,
    },
}

#: The audio example set: key -> (file stem in librosa's data repository, title, licence,
#: attribution), with the SHA-256 of the .ogg and of its licence .txt from librosa's
#: ``util/example_data/registry.txt``.
AUDIO_EXAMPLES: dict[str, dict] = {
    "brahms": {
        "stem": "Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)",
        "title": "Brahms - Hungarian Dance no. 5 (US Army Strings)",
        "licence": "Public Domain Mark 1.0", "source": "Musopen",
        "ogg": "919b48aa4cc66a0357d2cd5728664c5ab8f15c4b3469460df4b59470d35d3e49",
        "txt": "0c857ef8a7365e3df9d5c25c2b08ec3169c0585e3ec08c9c6423d2a04d72fe5f",
    },
    "nutcracker": {
        "stem": "Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy",
        "title": "Tchaikovsky - Dance of the Sugar Plum Fairy (Kevin MacLeod)",
        "licence": "CC BY 3.0", "source": "Free Music Archive",
        "ogg": "b5c1a3e26310e6618d3c124f458654cd235650fcb9db7d711302644566600484",
        "txt": "059acb340170385d2bfa4c7ab7c2a06b1d8f8af3e0f11cb4f46ff4049e950915",
    },
    "fishin": {
        "stem": "Karissa_Hobbs_-_Lets_Go_Fishin",
        "title": "Karissa Hobbs - Let's Go Fishin'",
        "licence": "CC BY 3.0", "source": "Free Music Archive",
        "ogg": "27b3667c396c1831511aa3c415fcf582b6e8be560cafb844c5b67b76b72c1cb3",
        "txt": "199bf3408b98916cd9d28a22b2b43c1935ab70072b46fa05c0b9f40e7882802e",
    },
    "robin": {
        "stem": "456440__inspectorj__bird-whistling-robin-single-13",
        "title": "Bird Whistling, Robin, Single, 13 (InspectorJ)",
        "licence": "CC BY 3.0", "source": "freesound.org",
        "ogg": "57c2b861d028e25d7c086b48853f20eda1ae9a7a33e1125a1f3bec91539b4208",
        "txt": "34d25a379408d9144fbc4ce8cceb72be5196aeb6140cec6c90e6bdcb0567cb6e",
    },
    "humpback": {
        "stem": "glacier-bay-humpback",
        "title": "Glacier Bay humpback whale song (NPS, Chris Gabriele)",
        "licence": "Public domain", "source": "US National Park Service",
        "ogg": "64395c617b28b5e31a03032b99b4617bc96b926f3bc5c141862cd13fb79ccd8e",
        "txt": "bec2c73fe2368604f161ffdd44b7afea5f597473e2d51c03906bb05c22113910",
    },
}
for _key, _info in AUDIO_EXAMPLES.items():
    for _ext in ("ogg", "txt"):
        REMOTE_FILES[f"{_info['stem']}.{_ext}"] = {
            "subdir": "audio_examples", "url": f"{_LIBROSA}{_info['stem']}.{_ext}",
            "sha256": _info[_ext],
        }

ALTERNATIVES = {
    "movielens": "use creative_ai.data.load_ratings() — the bundled music-service ratings "
                 "(same columns: user_id, track_id, rating, timestamp)",
    "fashion_mnist": "use creative_ai.data.load_garments(split, size=28) — the bundled "
                     "Fashion-MNIST-like garments (same (images, items) shapes)",
    "audio_examples": "use creative_ai.data.load_clips() — the bundled music-service clips",
    "torchvision": "build the network with random weights, torchvision.models.vgg19(weights=None), "
                   "as the style-transfer lesson does in fast mode (random features transfer "
                   "colour and fine texture)",
}


# --------------------------------------------------------------------------------------
# Cache, download and verification
# --------------------------------------------------------------------------------------
def cache_dir() -> Path:
    """The download cache: ``$CREATIVE_AI_CACHE`` or ``~/.cache/creative_ai``."""
    override = os.environ.get("CREATIVE_AI_CACHE")
    return Path(override).expanduser() if override else Path.home() / ".cache" / "creative_ai"


def _download(url: str, dest: Path) -> None:
    """Copy ``url`` to ``dest``. The only function in the package that opens a URL."""
    import urllib.request

    from tqdm.auto import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": "creative-ai-course"})
    with urllib.request.urlopen(request, timeout=60) as response, open(dest, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name) as bar:
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
                bar.update(len(block))


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _unavailable(name: str, alternative_key: str, reason: str) -> RemoteDataUnavailable:
    return RemoteDataUnavailable(
        f"{reason}. Offline or in a hurry? {ALTERNATIVES[alternative_key]}. "
        f"(To use the real data, call again with download=True while online; files are cached "
        f"in {cache_dir()}, or set CREATIVE_AI_CACHE.)"
    )


def _verify(name: str, path: Path, spec: dict, first_download: bool) -> None:
    """Raise DataIntegrityError unless ``path`` matches every checksum known for it."""
    actual = _digest(path, "sha256")
    problems = []
    if spec.get("sha256") and actual != spec["sha256"]:
        problems.append(f"SHA-256 {actual[:12]}… but the registry says {spec['sha256'][:12]}…")
    prefix = spec.get("sha256_prefix")
    if prefix and not actual.startswith(prefix):
        problems.append(f"SHA-256 {actual[:12]}… does not start with {prefix} (from its file name)")
    if first_download and spec.get("md5"):
        md5 = _digest(path, "md5")
        if md5 != spec["md5"]:
            problems.append(f"MD5 {md5} but the publisher's checksum is {spec['md5']}")
    recorded = path.with_name(path.name + ".sha256")
    if not spec.get("sha256") and recorded.exists() and not first_download:
        expected = recorded.read_text().split()[0]
        if actual != expected:
            problems.append(f"SHA-256 {actual[:12]}… but {expected[:12]}… was recorded at download")
    if problems:
        raise DataIntegrityError(
            f"Cached file {path} failed verification: {'; '.join(problems)}. Delete it and "
            f"download it again with download=True."
        )
    if first_download and not spec.get("sha256"):
        recorded.write_text(f"{actual}  {name}\n")  # trust on first use


def fetch(name: str, download: bool = False, alternative: str | None = None) -> Path:
    """Return the verified cached path of a file of :data:`REMOTE_FILES`, downloading it
    first if ``download`` is True and it is not cached.

    Raises :class:`RemoteDataUnavailable` (message names the bundled alternative) when the
    file is not cached and ``download`` is False or the download fails, and
    :class:`DataIntegrityError` when a file fails its checksum.
    """
    if name not in REMOTE_FILES:
        raise ValueError(f"unknown remote file {name!r}; known: {sorted(REMOTE_FILES)}")
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}")
    spec = REMOTE_FILES[name]
    alternative = alternative or spec["subdir"]
    path = cache_dir() / spec["subdir"] / name
    if path.is_file():
        _verify(name, path, spec, first_download=False)
        return path
    if not download:
        raise _unavailable(name, alternative, f"{name} is not in the cache ({path}) and download=False")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        _download(spec["url"], partial)
        if spec.get("md5_url"):  # the publisher's own MD5 file
            md5_file = path.with_name(path.name + ".md5")
            _download(spec["md5_url"], md5_file)
            found = re.search(r"\b[0-9a-fA-F]{32}\b", md5_file.read_text())
            if not found:
                raise DataIntegrityError(f"{spec['md5_url']} holds no MD5 checksum")
            spec = dict(spec, md5=found.group(0).lower())
    except OSError as error:  # urllib.error.URLError is an OSError: offline, DNS, HTTP errors
        partial.unlink(missing_ok=True)
        raise _unavailable(name, alternative, f"Could not download {spec['url']} ({error})") from error
    try:
        _verify(name, partial, spec, first_download=True)
    except DataIntegrityError:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".sha256").unlink(missing_ok=True)
        raise
    recorded = partial.with_name(partial.name + ".sha256")
    if recorded.exists():
        recorded.replace(path.with_name(path.name + ".sha256"))
    partial.replace(path)
    return path


# --------------------------------------------------------------------------------------
# MovieLens
# --------------------------------------------------------------------------------------
def load_movielens(download: bool = False) -> pd.DataFrame:
    """MovieLens ml-latest-small ratings, shaped like the bundled music ratings.

    About 100,000 ratings of 9,000 movies by 610 users (GroupLens Research). MovieLens'
    terms allow research and education use but **not redistribution**, so the course does
    not bundle it: it downloads from files.grouplens.org when ``download=True`` (about
    1 MB; checked against GroupLens' published MD5, its SHA-256 recorded on first download
    because GroupLens does not publish one and refreshes "latest" from time to time).

    Returns a DataFrame sorted by timestamp with columns

    * ``user_id`` (int, 0..n_users-1) and ``track_id`` (int, 0..n_movies-1): contiguous
      indices, so code written for :func:`creative_ai.data.load_ratings` (which calls items
      ``track_id``) runs unchanged — here a "track" is a movie;
    * ``rating`` (float, 0.5 to 5.0 in half stars — the bundled ratings are whole stars);
    * ``timestamp`` (``datetime64[ns, UTC]``);
    * ``movielens_user_id``, ``movielens_movie_id`` (the original ids), ``title``,
      ``genres`` (pipe-separated, e.g. ``"Adventure|Comedy"``).

    Example::

        >>> ratings = load_movielens(download=True)   # doctest: +SKIP
        >>> ratings.pivot_table(index="user_id", columns="track_id", values="rating").shape  # doctest: +SKIP
        (610, 9724)

    Offline? ``creative_ai.data.load_ratings()`` gives the bundled music-service ratings.
    """
    path = fetch("ml-latest-small.zip", download, "movielens")
    with zipfile.ZipFile(path) as archive:
        names = {Path(n).name: n for n in archive.namelist()}
        for needed in ("ratings.csv", "movies.csv"):
            if needed not in names:
                raise DataIntegrityError(f"{path} has no {needed}; delete it and download again")
        ratings = pd.read_csv(io.BytesIO(archive.read(names["ratings.csv"])))
        movies = pd.read_csv(io.BytesIO(archive.read(names["movies.csv"])))
    ratings = ratings.sort_values(["timestamp", "userId", "movieId"], kind="mergesort")
    user_codes, _ = pd.factorize(ratings["userId"], sort=True)
    movie_codes, _ = pd.factorize(ratings["movieId"], sort=True)
    out = pd.DataFrame({
        "user_id": user_codes.astype(np.int64),
        "track_id": movie_codes.astype(np.int64),
        "rating": ratings["rating"].astype(float).to_numpy(),
        "timestamp": pd.to_datetime(ratings["timestamp"].to_numpy(), unit="s", utc=True),
        "movielens_user_id": ratings["userId"].to_numpy(),
        "movielens_movie_id": ratings["movieId"].to_numpy(),
    })
    out["timestamp"] = out["timestamp"].astype("datetime64[ns, UTC]")
    info = movies.set_index("movieId")[["title", "genres"]]
    out = out.join(info, on="movielens_movie_id")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Fashion-MNIST
# --------------------------------------------------------------------------------------
FASHION_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def read_idx(path: Path) -> np.ndarray:
    """Read a (gzipped) IDX file of unsigned bytes, as Fashion-MNIST and MNIST ship.

    Returns a uint8 array: (N,) for label files (magic 2049), (N, rows, cols) for image
    files (magic 2051).
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 8:
        raise DataIntegrityError(f"{path} is too short to be an IDX file")
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08 or ndim not in (1, 3):
        raise DataIntegrityError(f"{path} is not an IDX file of unsigned bytes (header {data[:4]!r})")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise DataIntegrityError(f"{path}: header says {dims} but holds {body.size} bytes")
    return body.reshape(dims).copy()


def load_fashion_mnist(split: str = "train", download: bool = False) -> tuple[np.ndarray, pd.DataFrame]:
    """The real Fashion-MNIST (Zalando Research, MIT licence), shaped like
    ``load_garments(split, size=28)``.

    Downloads the four IDX files (about 30 MB) when ``download=True``, checks each against
    the MD5 published in Fashion-MNIST's README (the same values torchvision uses) and
    records its SHA-256 for later loads.

    Returns ``(images, items)``: images uint8 (60,000 or 10,000, 28, 28), white garment on
    black; items DataFrame with ``item_id`` (0..N-1), ``split``, ``category`` and
    ``category_id`` (same names and order as ``GARMENT_CATEGORIES``).

    Example::

        >>> images, items = load_fashion_mnist("test", download=True)   # doctest: +SKIP
        >>> images.shape, items["category"].iloc[0]                     # doctest: +SKIP
        ((10000, 28, 28), 'ankle boot')

    Offline? ``creative_ai.data.load_garments(split, size=28)`` is the bundled look-alike.
    """
    from creative_ai.data.fashion import GARMENT_CATEGORIES

    if split not in FASHION_MNIST_FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    image_file, label_file = FASHION_MNIST_FILES[split]
    images = read_idx(fetch(image_file, download, "fashion_mnist"))
    labels = read_idx(fetch(label_file, download, "fashion_mnist"))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise DataIntegrityError(
            f"Fashion-MNIST {split}: images {images.shape} and labels {labels.shape} do not match"
        )
    if labels.size and labels.max() >= len(GARMENT_CATEGORIES):
        raise DataIntegrityError(f"Fashion-MNIST {split}: label {labels.max()} out of range 0..9")
    items = pd.DataFrame({
        "item_id": np.arange(len(labels), dtype=np.int64),
        "split": split,
        "category": np.array(GARMENT_CATEGORIES, dtype=object)[labels],
        "category_id": labels.astype(np.int64),
    })
    return images, items


# --------------------------------------------------------------------------------------
# Audio examples
# --------------------------------------------------------------------------------------
def load_audio_examples(
    download: bool = False, names: list[str] | None = None, sr: int = 22050
) -> dict[str, dict]:
    """Five real recordings with clear licences, from librosa's example-data repository.

    ``brahms`` (Hungarian Dance no. 5, public domain, Musopen), ``nutcracker`` (Dance of the
    Sugar Plum Fairy, Kevin MacLeod, CC BY 3.0), ``fishin`` (Karissa Hobbs, Let's Go
    Fishin', CC BY 3.0), ``robin`` (a robin's call, InspectorJ, CC BY 3.0) and ``humpback``
    (humpback whale song, US National Park Service, public domain). Each OGG file (about
    0.2–2 MB) and its licence text are downloaded from https://librosa.org/data/audio/ and
    checked against the SHA-256 in librosa's own registry. Non-commercial clips of that
    repository are deliberately left out.

    Returns a dict name -> ``{"y": float32 (n,) mono in [-1, 1], "sr": int (Hz), "title",
    "licence", "credit": the licence text shipped with the file}``; ``sr`` resamples
    (default 22,050 Hz, the bundled clips' rate; ``None`` keeps the file's rate).

    Example::

        >>> clips = load_audio_examples(download=True, names=["robin"])   # doctest: +SKIP
        >>> clips["robin"]["sr"], clips["robin"]["licence"]                # doctest: +SKIP
        (22050, 'CC BY 3.0')

    Offline? ``creative_ai.data.load_clips()`` gives the bundled music-service clips.
    """
    if names is None:
        names = list(AUDIO_EXAMPLES)
    unknown = [n for n in names if n not in AUDIO_EXAMPLES]
    if unknown:
        raise ValueError(f"unknown audio examples {unknown}; choose from {list(AUDIO_EXAMPLES)}")
    if sr is not None and (not isinstance(sr, int) or sr <= 0):
        raise ValueError(f"sr must be a positive int (Hz) or None, got {sr!r}")
    import soundfile

    out = {}
    for name in names:
        info = AUDIO_EXAMPLES[name]
        ogg = fetch(f"{info['stem']}.ogg", download, "audio_examples")
        txt = fetch(f"{info['stem']}.txt", download, "audio_examples")
        y, file_sr = soundfile.read(ogg, dtype="float32", always_2d=True)
        y = y.mean(axis=1)
        if sr is not None and sr != file_sr:
            import librosa

            y = librosa.resample(y, orig_sr=file_sr, target_sr=sr).astype(np.float32)
            file_sr = sr
        out[name] = {"y": y, "sr": int(file_sr), "title": info["title"],
                     "licence": info["licence"], "credit": txt.read_text(errors="replace").strip()}
    return out


# --------------------------------------------------------------------------------------
# VGG-19 weights
# --------------------------------------------------------------------------------------
def vgg19_weights(download: bool = False) -> Path:
    """Path of torchvision's ImageNet VGG-19 weights, ``vgg19-dcbb9e9d.pth`` (548 MB).

    Verified against the SHA-256 prefix ``dcbb9e9d`` in the file name (torchvision's own
    convention) and its full SHA-256 recorded at download. If torchvision has already
    downloaded the file into its hub cache (``$TORCH_HOME/hub/checkpoints``), that copy is
    returned (after checking the prefix) instead of downloading again. The weights were trained on
    ImageNet, whose terms restrict use to non-commercial research and education.

    Example::

        >>> import torch, torchvision
        >>> net = torchvision.models.vgg19()                                   # doctest: +SKIP
        >>> net.load_state_dict(torch.load(vgg19_weights(download=True)))     # doctest: +SKIP

    Offline? Use ``torchvision.models.vgg19(weights=None)`` (random weights), as the
    style-transfer lesson does in fast mode.
    """
    name = "vgg19-dcbb9e9d.pth"
    spec = REMOTE_FILES[name]
    torch_home = Path(os.environ.get("TORCH_HOME", Path.home() / ".cache" / "torch")).expanduser()
    hub_copy = torch_home / "hub" / "checkpoints" / name
    cached = cache_dir() / spec["subdir"] / name
    if not cached.is_file() and hub_copy.is_file():
        actual = _digest(hub_copy, "sha256")
        if not actual.startswith(spec["sha256_prefix"]):
            raise DataIntegrityError(
                f"{hub_copy} (torchvision's cache) has SHA-256 {actual[:12]}…, which does not "
                f"start with {spec['sha256_prefix']}: delete it and download again."
            )
        return hub_copy
    return fetch(name, download, "torchvision")
