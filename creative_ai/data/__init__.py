"""Loaders for the bundled (offline) datasets and the opt-in real ones.

Every loader verifies the files it reads against the dataset's checksum manifest, so a
corrupted or missing file gives a clear :class:`DataIntegrityError` saying how to restore it.
See ``datasets/README.md`` for what each dataset holds and each datasheet for its columns.
"""

from creative_ai.data.fashion import (
    COLOURS,
    GARMENT_CATEGORIES,
    PRINTS,
    load_fashion_customers,
    load_fashion_interactions,
    load_fashion_items,
    load_garments,
    load_outfits,
)
from creative_ai.data.images import (
    load_content_images,
    load_image,
    load_image_info,
    load_style_images,
)
from creative_ai.data.landscape import LANDSCAPE_TABLES, load_landscape
from creative_ai.data.music import (
    CLIP_SECONDS,
    PITCH_CLASSES,
    SAMPLE_RATE,
    load_artists,
    load_clip,
    load_clips,
    load_listening_events,
    load_ratings,
    load_tracks,
    load_users,
)
from creative_ai.data.registry import (
    DataIntegrityError,
    bundled_path,
    datasets_root,
    verify_dataset,
)
from creative_ai.data.remote import (
    RemoteDataUnavailable,
    load_audio_examples,
    load_fashion_mnist,
    load_movielens,
    vgg19_weights,
)

__all__ = [
    # integrity
    "DataIntegrityError", "bundled_path", "datasets_root", "verify_dataset",
    # module 00
    "LANDSCAPE_TABLES", "load_landscape",
    # music service
    "CLIP_SECONDS", "PITCH_CLASSES", "SAMPLE_RATE", "load_artists", "load_clip", "load_clips", "load_listening_events",
    "load_ratings", "load_tracks", "load_users",
    # fashion catalogue
    "COLOURS", "GARMENT_CATEGORIES", "PRINTS", "load_fashion_customers",
    "load_fashion_interactions", "load_fashion_items", "load_garments", "load_outfits",
    # style-transfer images
    "load_content_images", "load_image", "load_image_info", "load_style_images",
    # opt-in real data
    "RemoteDataUnavailable", "load_audio_examples", "load_fashion_mnist", "load_movielens",
    "vgg19_weights",
]
