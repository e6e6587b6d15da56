"""Find bundled data files and verify them against their checksum manifests.

Every folder under ``datasets/`` that ships data has a ``SHA256SUMS`` file in the format of
``sha256sum`` (``<hex digest>  <relative path>``), so learners can also check it by hand with
``sha256sum -c SHA256SUMS``. Loaders call :func:`bundled_path`, which verifies a file the first
time it is used in a process and raises :class:`DataIntegrityError` with the file's name and
the commands that restore it when the file is missing or changed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MANIFEST_NAME = "SHA256SUMS"
_verified: dict[Path, str] = {}


class DataIntegrityError(RuntimeError):
    """A bundled data file is missing or does not match its recorded checksum."""


def datasets_root() -> Path:
    """Return the ``datasets/`` folder of the course.

    ``CREATIVE_AI_DATA`` overrides the location (useful when the package is installed from a
    wheel and the data lives elsewhere); otherwise it is the folder next to the package in
    the course checkout (the README installs the package in editable mode).
    """
    override = os.environ.get("CREATIVE_AI_DATA")
    root = Path(override) if override else Path(__file__).resolve().parents[2] / "datasets"
    if not root.is_dir():
        raise DataIntegrityError(
            f"Cannot find the course's datasets folder at {root}. Run notebooks from a checkout "
            "of the course with the package installed by `make setup` (editable install), or set "
            "CREATIVE_AI_DATA to the path of the datasets folder."
        )
    return root


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(dataset: str) -> dict[str, str]:
    """Map each relative path in ``datasets/<dataset>/SHA256SUMS`` to its hex digest."""
    manifest = datasets_root() / dataset / MANIFEST_NAME
    if not manifest.is_file():
        raise DataIntegrityError(
            f"The checksum manifest {manifest} is missing. Restore it with "
            f"`git checkout -- datasets/{dataset}/{MANIFEST_NAME}`."
        )
    entries: dict[str, str] = {}
    for line_no, line in enumerate(manifest.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise DataIntegrityError(
                f"{manifest}, line {line_no}: expected '<sha256>  <path>', got {line!r}"
            )
        entries[name.strip()] = digest
    return entries


def write_manifest(folder: Path, exclude: tuple[str, ...] = ()) -> Path:
    """Write ``SHA256SUMS`` for every file under ``folder`` (builders call this last).

    Markdown files, Python builders and names in ``exclude`` are left out: the manifest
    covers data, not documentation.
    """
    folder = Path(folder)
    lines = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (
            not path.is_file()
            or path.name == MANIFEST_NAME
            or path.suffix in {".md", ".py", ".pyc"}
            or "__pycache__" in path.parts
            or rel in exclude
        ):
            continue
        lines.append(f"{sha256_of(path)}  {rel}")
    target = folder / MANIFEST_NAME
    target.write_text("\n".join(lines) + "\n")
    return target


def _restore_hint(dataset: str, rel: str) -> str:
    return (
        f"Restore it with `git checkout -- datasets/{dataset}/{rel}` from the course folder, "
        f"or rebuild the dataset with `make data`."
    )


def bundled_path(dataset: str, rel: str) -> Path:
    """Return the verified path of ``datasets/<dataset>/<rel>``.

    Raises :class:`DataIntegrityError` naming the file and how to restore it when the file
    is not in the manifest, is missing, or its SHA-256 differs from the manifest's.
    """
    manifest = read_manifest(dataset)
    if rel not in manifest:
        known = ", ".join(sorted(manifest)[:8])
        raise DataIntegrityError(
            f"datasets/{dataset}/{rel} is not a bundled file of {dataset!r}; known files "
            f"include: {known}"
        )
    path = datasets_root() / dataset / rel
    if not path.is_file():
        raise DataIntegrityError(f"Missing data file datasets/{dataset}/{rel}. " + _restore_hint(dataset, rel))
    expected = manifest[rel]
    stamp = f"{expected}:{path.stat().st_mtime_ns}:{path.stat().st_size}"
    if _verified.get(path) != stamp:
        actual = sha256_of(path)
        if actual != expected:
            raise DataIntegrityError(
                f"Data file datasets/{dataset}/{rel} is corrupted or was edited: its SHA-256 is "
                f"{actual[:12]}…, the manifest expects {expected[:12]}…. " + _restore_hint(dataset, rel)
            )
        _verified[path] = stamp
    return path


def verify_dataset(dataset: str) -> list[str]:
    """Verify every file of a dataset; return the relative paths checked."""
    names = sorted(read_manifest(dataset))
    for rel in names:
        bundled_path(dataset, rel)
    return names
