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

from creative_ai.data.music import (  # noqa: E402
    SAMPLE_RATE,
    load_artists,
    load_clip,
    load_clips,
    load_listening_events,
    load_ratings,
    load_tracks,
    load_users,
)

__all__ += [
    "SAMPLE_RATE",
    "load_artists",
    "load_clip",
    "load_clips",
    "load_listening_events",
    "load_ratings",
    "load_tracks",
    "load_users",
]

from creative_ai.data.fashion import (  # noqa: E402
    COLOURS,
    GARMENT_CATEGORIES,
    PRINTS,
    load_fashion_customers,
    load_fashion_interactions,
    load_fashion_items,
    load_garments,
    load_outfits,
)
from creative_ai.data.images import (  # noqa: E402
    load_content_images,
    load_image,
    load_image_info,
    load_style_images,
)
from creative_ai.data.remote import (  # noqa: E402
    RemoteDataUnavailable,
    load_audio_examples,
    load_fashion_mnist,
    load_movielens,
    vgg19_weights,
)

__all__ += [
    "COLOURS",
    "GARMENT_CATEGORIES",
    "PRINTS",
    "load_fashion_customers",
    "load_fashion_interactions",
    "load_fashion_items",
    "load_garments",
    "load_outfits",
    "load_content_images",
    "load_image",
    "load_image_info",
    "load_style_images",
    "RemoteDataUnavailable",
    "load_audio_examples",
    "load_fashion_mnist",
    "load_movielens",
    "vgg19_weights",
]
