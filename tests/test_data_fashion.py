"""Sanity checks of the bundled fashion catalogue (datasets/fashion, creative_ai.data.fashion).

Checksums, schema, shapes and dtypes; the planted structure is really there (a linear
classifier recovers garment category from pixels, interactions carry the documented
exposure bias); every stylist-labelled outfit obeys the rules written in the datasheet
(re-implemented here from the datasheet, independently of the builder); a corrupted file
gives a DataIntegrityError.
"""

from __future__ import annotations

import importlib.util
import shutil

import numpy as np
import pandas as pd
import pytest
from course import REPO

from creative_ai.data import DataIntegrityError, registry, verify_dataset
from creative_ai.data import fashion as F


@pytest.fixture(scope="module")
def train():
    return F.load_garments("train")


@pytest.fixture(scope="module")
def items():
    return F.load_fashion_items()


def test_manifest_covers_and_verifies_every_file():
    names = verify_dataset("fashion")
    assert set(names) == {"garments_train.png", "garments_test.png", "items.csv", "customers.csv",
                          "interactions.csv", "outfits.csv"}


def test_folder_fits_its_budget():
    size = sum(p.stat().st_size for p in (REPO / "datasets" / "fashion").iterdir() if p.is_file())
    assert size < 15e6, f"datasets/fashion is {size / 1e6:.1f} MB, budget 15 MB"


def test_builder_and_loader_agree_on_vocabularies():
    spec = importlib.util.spec_from_file_location("fashion_build", REPO / "datasets/fashion/build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert tuple(build.CATEGORIES) == F.GARMENT_CATEGORIES
    assert tuple(build.PRINTS) == F.PRINTS
    assert tuple(build.COLOURS) == F.COLOURS
    assert {k: v[0] for k, v in build.COLOURS.items()} == F.COLOUR_RGB
    assert {k: v[1] for k, v in build.COLOURS.items()} == F.COLOUR_HUES


def test_fashion_mnist_category_order():
    assert F.GARMENT_CATEGORIES == ("t-shirt/top", "trouser", "pullover", "dress", "coat",
                                    "sandal", "shirt", "sneaker", "bag", "ankle boot")


def test_images_shapes_dtypes_and_alignment(train):
    images, items = train
    assert images.shape == (10_000, 32, 32, 3) and images.dtype == np.uint8
    assert len(items) == 10_000 and list(items.index) == list(range(10_000))
    assert (items["split"] == "train").all() and items["item_id"].is_unique
    test_images, test_items = F.load_garments("test")
    assert test_images.shape == (2_000, 32, 32, 3)
    assert test_items["item_id"].min() == 10_000 and (test_items["split"] == "test").all()
    gray, gray_items = F.load_garments("test", size=28)
    assert gray.shape == (2_000, 28, 28) and gray.dtype == np.uint8
    pd.testing.assert_frame_equal(gray_items, test_items)
    # black background like Fashion-MNIST; garments fill a reasonable part of the frame
    assert np.median(images[:, 0, 0]) == 0 and np.median(gray[:, 0, 0]) == 0
    coverage = (images.max(axis=-1) > 10).mean(axis=(1, 2))
    assert 0.05 < coverage.min() and coverage.max() < 0.95 and 0.25 < coverage.mean() < 0.7
    test_images[0] = 255  # returned arrays are private copies: the next load is unaffected
    assert F.load_garments("test")[0][0].max() < 255 or F.load_garments("test")[0][0].min() < 255


def test_grayscale_conversion_is_luma_then_area_resampling(train):
    images = train[0][:20]
    gray = F.to_fashion_mnist_style(images)
    luma = images.astype(float) @ [0.299, 0.587, 0.114]
    # 32 -> 28 area resampling preserves the mean intensity
    np.testing.assert_allclose(gray.mean(axis=(1, 2)), luma.mean(axis=(1, 2)), atol=1.0)
    with pytest.raises(ValueError, match=r"\(N, 32, 32, 3\)"):
        F.to_fashion_mnist_style(images[:, :28])


def test_items_schema(items):
    expected = ["item_id", "split", "category", "category_id", "variant", "print", "colour",
                "colour_hex", "brand", "brand_tier", "price_eur", "featured"]
    assert list(items.columns) == expected
    assert len(items) == 12_000 and list(items["item_id"]) == list(range(12_000))
    assert set(items["category"]) == set(F.GARMENT_CATEGORIES)
    ids = items["category"].map({c: i for i, c in enumerate(F.GARMENT_CATEGORIES)})
    assert (ids == items["category_id"]).all()
    assert set(items["print"]) == set(F.PRINTS) and set(items["colour"]) == set(F.COLOURS)
    hexes = items["colour"].map(lambda c: "#{:02x}{:02x}{:02x}".format(*F.COLOUR_RGB[c]))
    assert (hexes == items["colour_hex"]).all()
    assert set(items["brand_tier"]) == {"budget", "high-street", "premium", "luxury"}
    assert (items["price_eur"] > 0).all() and items["featured"].dtype == bool
    assert not items.loc[items["split"] == "test", "featured"].any()
    counts = items[items["split"] == "train"]["category"].value_counts()
    assert counts.min() > 850 and counts.max() < 1150  # roughly balanced
    # price follows the tiers
    med = items.groupby("brand_tier")["price_eur"].median()
    assert med["budget"] < med["high-street"] < med["premium"] < med["luxury"]


def test_linear_classifier_recovers_category_well_above_chance(train):
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    def features(x):  # 14×14 average-pooled grayscale pixels
        return x.reshape(len(x), 14, 2, 14, 2).mean(axis=(2, 4)).reshape(len(x), -1) / 255.0

    x_train, y_train = F.load_garments("train", size=28)
    x_test, y_test = F.load_garments("test", size=28)
    with threadpool_limits(1):
        clf = LogisticRegression(max_iter=300).fit(features(x_train), y_train["category_id"])
        accuracy = (clf.predict(features(x_test)) == y_test["category_id"]).mean()
    # chance is 10 %; the datasheet reports about 88 %; not trivial either (shirts are hard)
    assert 0.75 < accuracy < 0.99, f"held-out accuracy {accuracy:.3f}"


# --- outfit rules, re-implemented from DATASHEET.md ------------------------------------
TOPS = {"t-shirt/top", "pullover", "shirt"}
SHOES = {"sandal", "sneaker", "ankle boot"}
WHEEL = {"red": 0, "orange": 30, "yellow": 60, "green": 120, "teal": 180, "blue": 220,
         "purple": 275, "pink": 330}


def broken_rules(cats: list[str], prints: list[str], colours: list[str]) -> set[str]:
    broken = set()
    tops, trousers, dresses = sum(c in TOPS for c in cats), cats.count("trouser"), cats.count("dress")
    core_ok = (tops == 1 and trousers == 1 and dresses == 0) or (dresses == 1 and tops + trousers == 0)
    if not core_ok or cats.count("coat") > 1 or cats.count("bag") > 1:
        broken.add("structure")
    if sum(c in SHOES for c in cats) != 1:
        broken.add("shoes")
    if sum(p in {"leopard", "crocodile"} for p in prints) > 1:
        broken.add("animal_prints")
    hues = [WHEEL[c] for c in colours if c in WHEEL]
    for i in range(len(hues)):
        for j in range(i + 1, len(hues)):
            d = abs(hues[i] - hues[j]) % 360
            if 45 < min(d, 360 - d) < 150:
                broken.add("colour_clash")
    if sum(p != "plain" for p in prints) > 2:
        broken.add("busy_prints")
    if "sandal" in cats and "coat" in cats:
        broken.add("season")
    return broken


def test_every_labelled_outfit_obeys_the_datasheet_rules(items):
    outfits = F.load_outfits()
    assert list(outfits.columns) == ["outfit_id", "item_ids", "n_items", "compatible", "rule", "stylist"]
    assert len(outfits) == 3_000 and outfits["compatible"].dtype == bool
    assert outfits["compatible"].sum() == 1_500
    by_id = items.set_index("item_id")
    train_ids = set(items.loc[items["split"] == "train", "item_id"])
    seen = set()
    for row in outfits.itertuples(index=False):
        assert isinstance(row.item_ids, tuple) and len(row.item_ids) == row.n_items
        assert set(row.item_ids) <= train_ids
        key = tuple(sorted(row.item_ids))
        assert key not in seen, f"outfit {row.outfit_id} is a duplicate"
        seen.add(key)
        sub = by_id.loc[list(row.item_ids)]
        broken = broken_rules(list(sub["category"]), list(sub["print"]), list(sub["colour"]))
        if row.compatible:
            assert row.rule == "none" and not broken, f"outfit {row.outfit_id} breaks {broken}"
        else:
            assert broken == {row.rule}, f"outfit {row.outfit_id}: labelled {row.rule}, breaks {broken}"
    per_rule = outfits.loc[~outfits["compatible"], "rule"].value_counts()
    assert set(per_rule.index) == {"structure", "shoes", "animal_prints", "colour_clash",
                                   "busy_prints", "season"}
    assert per_rule.min() >= 100


def test_customers_and_interactions_schema(items):
    customers = F.load_fashion_customers()
    assert list(customers.columns) == ["customer_id", "age_band", "region", "style_profile", "budget"]
    assert list(customers["customer_id"]) == list(range(len(customers)))
    events = F.load_fashion_interactions()
    assert list(events.columns) == ["customer_id", "item_id", "timestamp", "event"]
    assert str(events["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert events["timestamp"].is_monotonic_increasing
    assert set(events["event"]) == {"view", "purchase"}
    assert set(events["customer_id"]) <= set(customers["customer_id"])
    assert set(events["item_id"]) <= set(items.loc[items["split"] == "train", "item_id"])
    # every purchase follows a view of the same item by the same customer
    first_view = events[events["event"] == "view"].groupby(["customer_id", "item_id"])["timestamp"].min()
    buys = events[events["event"] == "purchase"].set_index(["customer_id", "item_id"])["timestamp"]
    assert buys.index.isin(first_view.index).all()
    assert (buys.to_numpy() >= first_view.reindex(buys.index).to_numpy()).all()
    assert 0.05 < (events["event"] == "purchase").mean() < 0.25


def test_planted_biases_are_measurable(items):
    events = F.load_fashion_interactions()
    train = items[items["split"] == "train"].set_index("item_id")
    views = events[events["event"] == "view"].groupby("item_id").size().reindex(train.index, fill_value=0)
    buys = events[events["event"] == "purchase"].groupby("item_id").size().reindex(train.index, fill_value=0)
    featured = train["featured"].to_numpy()
    # exposure bias: featured items are seen far more, but convert at the same rate
    assert views[featured].mean() > 3 * views[~featured].mean()
    conv_f, conv_o = buys[featured].sum() / views[featured].sum(), buys[~featured].sum() / views[~featured].sum()
    assert abs(conv_f - conv_o) < 0.03
    # colour stereotype: dresses skew pink/red/purple
    dresses = items[items["category"] == "dress"]
    assert dresses["colour"].isin(["pink", "red", "purple"]).mean() > 0.4
    # animal prints concentrate in premium/luxury
    animal = items["print"].isin(["leopard", "crocodile"])
    upmarket = items["brand_tier"].isin(["premium", "luxury"])
    assert animal[upmarket].mean() > 1.5 * animal[~upmarket].mean()


def test_bad_arguments_give_clear_errors():
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        F.load_garments("validation")
    with pytest.raises(ValueError, match="size must be 32"):
        F.load_garments("train", size=64)


@pytest.fixture
def fashion_copy(tmp_path, monkeypatch):
    shutil.copytree(REPO / "datasets" / "fashion", tmp_path / "fashion",
                    ignore=shutil.ignore_patterns("garments_train.png", "*.py", "__pycache__"))
    monkeypatch.setenv("CREATIVE_AI_DATA", str(tmp_path))
    registry._verified.clear()
    yield tmp_path / "fashion"
    registry._verified.clear()


def test_corrupted_file_raises_data_integrity_error(fashion_copy):
    target = fashion_copy / "outfits.csv"
    target.write_text(target.read_text().replace("True", "False", 1))
    with pytest.raises(DataIntegrityError, match="datasets/fashion/outfits.csv"):
        F.load_outfits()
    with pytest.raises(DataIntegrityError, match="Missing data file datasets/fashion/garments_train.png"):
        F.load_garments("train")
    F.load_garments("test")  # untouched files still load from the copy


def test_builder_reproduces_catalogue_and_first_images():
    """A cheap reproducibility check (the full rebuild takes ~20 s: `make data`, then
    `git status` stays clean): the catalogue and the first 300 images come out identical."""
    spec = importlib.util.spec_from_file_location("fashion_build", REPO / "datasets/fashion/build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    bank = build.make_texture_bank(np.random.default_rng(build.SEED + 1))
    items = build.sample_catalogue(np.random.default_rng(build.SEED), build.N_TRAIN + build.N_TEST, 0)
    committed = F.load_fashion_items()
    pd.testing.assert_frame_equal(committed[list(items.columns)], items)
    images, variants = build.render_split(np.random.default_rng(build.SEED + 2), items.iloc[:300], bank)
    np.testing.assert_array_equal(F.load_garments("train")[0][:300], images)
    assert list(committed["variant"][:300]) == variants
