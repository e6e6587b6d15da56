"""Loaders for the bundled (offline) datasets and the opt-in real ones.

Every loader verifies the files it reads against the dataset's checksum manifest, so a
corrupted or missing file gives a clear :class:`DataIntegrityError` saying how to restore it.
"""

from creative_ai.data.landscape import LANDSCAPE_TABLES, load_landscape
from creative_ai.data.registry import (
    DataIntegrityError,
    bundled_path,
    datasets_root,
    verify_dataset,
)

__all__ = [
    "LANDSCAPE_TABLES",
    "DataIntegrityError",
    "bundled_path",
    "datasets_root",
    "load_landscape",
    "verify_dataset",
]
