"""The checksum manifest: bundled files are verified, and a missing or corrupted file gives an
error that names the file and says how to restore it."""

from __future__ import annotations

import shutil

import pytest
from course import REPO

from creative_ai.data import DataIntegrityError, load_landscape, registry, verify_dataset
from creative_ai.data.landscape import EXAMPLE_STATUSES, LANDSCAPE_COLUMNS, LANDSCAPE_TABLES


def _datasets():
    return sorted(p.parent.name for p in (REPO / "datasets").glob("*/SHA256SUMS"))


@pytest.mark.parametrize("dataset", _datasets())
def test_every_bundled_file_matches_its_manifest(dataset):
    checked = verify_dataset(dataset)
    assert checked, f"{dataset}: empty manifest"
    on_disk = {
        p.relative_to(REPO / "datasets" / dataset).as_posix()
        for p in (REPO / "datasets" / dataset).rglob("*")
        if p.is_file() and p.suffix not in {".md", ".py", ".pyc"} and p.name != "SHA256SUMS"
        and "__pycache__" not in p.parts
    }
    assert on_disk == set(checked), f"{dataset}: files not in the manifest: {sorted(on_disk - set(checked))}"


# A data folder documents itself with a datasheet (Gebru et al., 2021); a folder of model weights
# with a model card (Mitchell et al., 2019). Each must cover these topics.
DOCUMENT_SECTIONS = {
    "DATASHEET.md": ("licen", "motivation", "composition", "bias", "regenerat"),
    "MODEL_CARD.md": ("licen", "intended use", "training data", "evaluation", "limitation", "ethical",
                      "regenerat"),
}


def _document(dataset: str):
    for name in DOCUMENT_SECTIONS:
        if (REPO / "datasets" / dataset / name).exists():
            return name
    return None


@pytest.mark.parametrize("dataset", _datasets())
def test_every_dataset_has_a_datasheet_with_licence(dataset):
    name = _document(dataset)
    assert name, f"datasets/{dataset} has neither a DATASHEET.md nor a MODEL_CARD.md"
    text = (REPO / "datasets" / dataset / name).read_text().lower()
    for section in DOCUMENT_SECTIONS[name]:
        assert section in text, f"datasets/{dataset}/{name} says nothing about {section!r}"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of datasets/landscape that a test may damage."""
    shutil.copytree(REPO / "datasets" / "landscape", tmp_path / "landscape")
    monkeypatch.setenv("CREATIVE_AI_DATA", str(tmp_path))
    registry._verified.clear()
    yield tmp_path
    registry._verified.clear()


def test_corrupted_file_is_named_with_restore_hint(data_copy):
    target = data_copy / "landscape" / "gtr_ai_creative_2x2.csv"
    target.write_text(target.read_text().replace("43", "44"))
    with pytest.raises(DataIntegrityError) as info:
        load_landscape("gtr_2x2")
    message = str(info.value)
    assert "datasets/landscape/gtr_ai_creative_2x2.csv" in message
    assert "git checkout -- datasets/landscape/gtr_ai_creative_2x2.csv" in message and "make data" in message


def test_missing_file_is_named_with_restore_hint(data_copy):
    (data_copy / "landscape" / "mesoc_value_chain.csv").unlink()
    with pytest.raises(DataIntegrityError, match="Missing data file datasets/landscape/mesoc_value_chain.csv"):
        load_landscape("mesoc_value_chain")


def test_missing_or_malformed_manifest(data_copy):
    manifest = data_copy / "landscape" / "SHA256SUMS"
    manifest.write_text("not a checksum line\n")
    with pytest.raises(DataIntegrityError, match="line 1"):
        load_landscape("gtr_2x2")
    manifest.unlink()
    with pytest.raises(DataIntegrityError, match="git checkout -- datasets/landscape/SHA256SUMS"):
        load_landscape("gtr_2x2")


def test_unknown_file_and_missing_root(data_copy, monkeypatch):
    with pytest.raises(DataIntegrityError, match="not a bundled file"):
        registry.bundled_path("landscape", "nope.csv")
    monkeypatch.setenv("CREATIVE_AI_DATA", str(data_copy / "nowhere"))
    with pytest.raises(DataIntegrityError, match="CREATIVE_AI_DATA"):
        registry.datasets_root()


def test_write_manifest_round_trip(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "DATASHEET.md").write_text("docs are not data")
    registry.write_manifest(tmp_path)
    lines = (tmp_path / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == ["a.csv", "sub/b.bin"]
    assert lines[0].split("  ")[0] == registry.sha256_of(tmp_path / "a.csv")


def test_landscape_tables_load_with_documented_columns():
    for name in LANDSCAPE_TABLES:
        table = load_landscape(name)
        columns = [table.index.name, *table.columns] if name == "gtr_2x2" else list(table.columns)
        assert columns == LANDSCAPE_COLUMNS[name], name
    gtr = load_landscape("gtr_2x2")
    # the source's 2x2: rows creative False/True, columns AI False/True
    assert gtr.loc[False, "not_ai"] == 36132 and gtr.loc[False, "ai"] == 1346
    assert gtr.loc[True, "not_ai"] == 952 and gtr.loc[True, "ai"] == 43
    arxiv = load_landscape("arxiv_by_country")
    assert arxiv["country"].is_unique and len(arxiv) == 10
    assert arxiv["country"].iloc[:3].tolist() == ["United States", "China", "United Kingdom"]
    assert arxiv["image_sound_or_text"].is_monotonic_decreasing, "rows keep the source's ranking"
    by_type = arxiv[["image", "sound", "text"]]
    # "all three" counts each paper once: at least the largest type, at most the sum of the three
    assert (arxiv["image_sound_or_text"] >= by_type.max(axis=1)).all()
    assert (arxiv["image_sound_or_text"] <= by_type.sum(axis=1)).all()
    employment = load_landscape("eu_cultural_employment").set_index("indicator")["value"]
    assert employment["cultural employment"] == 7.4 and employment["share of total employment"] == 3.7
    stages = list(load_landscape("mesoc_value_chain")["stage"])
    assert stages == ["creation", "production", "distribution", "archiving"]
    opportunities = load_landscape("mesoc_opportunities")
    assert opportunities.groupby("opportunity", sort=False).size().to_dict() == {
        "reduce costs": 4, "make decisions": 4, "discover and engage new audiences": 3, "inspire human creation": 4,
    }
    assert set(opportunities["example_status"]) <= set(EXAMPLE_STATUSES)
    sourced = opportunities["example_status"] != "illustration"
    assert (opportunities.loc[sourced, "example_source"] != "").all(), "a sourced example must name its source"
    assert (opportunities.loc[~sourced, "example_source"] == "").all()
    with pytest.raises(KeyError, match="unknown landscape table"):
        load_landscape("nesta")


def test_landscape_builder_reproduces_the_committed_files(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("landscape_build", REPO / "datasets/landscape/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    assert (tmp_path / "SHA256SUMS").read_text() == (REPO / "datasets/landscape/SHA256SUMS").read_text()


def test_bundled_data_stays_within_budget():
    total = sum(
        (REPO / "datasets" / dataset / rel).stat().st_size
        for dataset in _datasets()
        for rel in registry.read_manifest(dataset)
    )
    assert total <= 60 * 2**20, f"bundled data is {total / 2**20:.1f} MB, the budget is 60 MB"


def test_datasets_readme_links_every_datasheet():
    index = (REPO / "datasets" / "README.md").read_text()
    for dataset in _datasets():
        name = _document(dataset)
        assert f"({dataset}/{name})" in index, f"datasets/README.md does not link {dataset}'s {name}"
