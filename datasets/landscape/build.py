"""Write the landscape tables of module 00 (lesson and lab) as CSV files.

The tables are small and transcribed by hand, so this builder *is* their source: edit the
literals below, run ``python datasets/landscape/build.py`` (or ``make data``), and commit the
CSVs with the regenerated SHA256SUMS. See DATASHEET.md for provenance and caveats.
"""

from __future__ import annotations

import csv
from pathlib import Path

from creative_ai.data.registry import write_manifest

HERE = Path(__file__).resolve().parent

# Creative-AI research papers on arXiv by the country of the authors' institutions and by
# the modality the paper works on. ILLUSTRATIVE counts (see DATASHEET.md): they keep the
# report's qualitative picture, not its exact figures.
ARXIV_BY_COUNTRY = [
    # country, image, sound, text
    ("United States", 412, 96, 188),
    ("China", 355, 41, 97),
    ("United Kingdom", 88, 37, 42),
    ("Germany", 61, 18, 25),
    ("Japan", 58, 22, 14),
    ("France", 49, 24, 21),
    ("Canada", 45, 15, 27),
    ("South Korea", 44, 12, 9),
    ("India", 31, 6, 22),
    ("Spain", 18, 14, 8),
    ("Netherlands", 16, 7, 9),
    ("Italy", 15, 9, 6),
]

# Gateway to Research (UKRI) projects classified as AI / not AI and creative / not creative.
GTR_2X2 = [
    # creative, ai, not_ai
    (True, 43, 952),
    (False, 1346, 36132),
]

EU_CULTURAL_EMPLOYMENT = [
    ("cultural employment", 7.4, "million people", 2019, "Eurostat, cultural employment (EU-27)"),
    ("share of total employment", 3.7, "percent", 2019, "Eurostat, cultural employment (EU-27)"),
]

MESOC_VALUE_CHAIN = [
    ("creation", "Ideas become works: composing, designing, writing, shooting."),
    ("production", "Works are made ready for audiences: recording, editing, manufacturing."),
    ("distribution", "Works reach audiences: streaming, retail, broadcasting, exhibitions."),
    ("archiving", "Works and their context are kept: catalogues, heritage collections, metadata."),
]

OPPORTUNITIES = ["reduce costs", "make decisions", "engage audiences", "inspire creation"]

# One example per (stage, opportunity), written for this course.
MESOC_OPPORTUNITY_MAP = [
    ("creation", "reduce costs", "automatic transcription of demo recordings into scores"),
    ("creation", "make decisions", "forecasting which fabric colours a season will favour"),
    ("creation", "engage audiences", "co-writing tools that let fans remix a song's stems"),
    ("creation", "inspire creation", "generative sketches a designer edits into a collection"),
    ("production", "reduce costs", "automated colour grading and dialogue clean-up in film"),
    ("production", "make decisions", "predicting print runs and stock from early signals"),
    ("production", "engage audiences", "test screenings scored by audience-reaction models"),
    ("production", "inspire creation", "style transfer to explore visual looks before a shoot"),
    ("distribution", "reduce costs", "automatic tagging of tracks and garments for catalogues"),
    ("distribution", "make decisions", "pricing and release timing from demand models"),
    ("distribution", "engage audiences", "recommenders that suggest what to hear, watch, wear"),
    ("distribution", "inspire creation", "trend maps that show artists unmet audience tastes"),
    ("archiving", "reduce costs", "optical character and handwriting recognition of archives"),
    ("archiving", "make decisions", "prioritising fragile items for digitisation"),
    ("archiving", "engage audiences", "visual search across museum collections"),
    ("archiving", "inspire creation", "restored and colourised footage reused by new works"),
]


def _write(name: str, header: list[str], rows) -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    _write("arxiv_creative_ai_by_country.csv", ["country", "image", "sound", "text"], ARXIV_BY_COUNTRY)
    _write("gtr_ai_creative_2x2.csv", ["creative", "ai", "not_ai"], GTR_2X2)
    _write("eu_cultural_employment.csv", ["indicator", "value", "unit", "year", "source"], EU_CULTURAL_EMPLOYMENT)
    _write("mesoc_value_chain.csv", ["stage", "description"], MESOC_VALUE_CHAIN)
    _write("mesoc_opportunity_map.csv", ["stage", "opportunity", "example"], MESOC_OPPORTUNITY_MAP)
    write_manifest(HERE)
    print(f"wrote landscape tables and SHA256SUMS to {HERE}")


if __name__ == "__main__":
    main()
