"""Write the landscape tables of module 00 (lesson and lab) as CSV files.

The tables are small and transcribed by hand from the course's sources, so this builder *is*
their source: edit the literals below, run ``python datasets/landscape/build.py`` (or
``make data``), and commit the CSVs with the regenerated SHA256SUMS. File and column names
come from the loader (``creative_ai.data.landscape``), so builder and loader cannot drift
apart. See DATASHEET.md for provenance.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the course folder, for creative_ai

from creative_ai.data.landscape import LANDSCAPE_COLUMNS, LANDSCAPE_TABLES  # noqa: E402
from creative_ai.data.registry import write_manifest  # noqa: E402

# AI research publications on arXiv (computer science) by country, using image, sound or text
# data, as tabulated by J. Davies (Nesta), "An opportunity, a threat and a policy implication:
# AI and the UK creative industries" (talk, 28 Feb 2020), source "Nesta analysis of arXiv
# computer science"; the analysis is that of Davies, Klinger, Mateos-Garcia & Stathoulopoulos,
# "The Art in the Artificial" (Nesta / Creative Industries PEC, 2020). The last column is the
# source's "All three": papers using any of the three data types, counted once each, so it is
# smaller than image + sound + text when a paper uses more than one. Rows in the source's order
# (its ranks 1-10).
ARXIV_BY_COUNTRY = [
    ("United States", 3319, 199, 749, 4041),
    ("China", 1590, 59, 257, 1805),
    ("United Kingdom", 1138, 116, 270, 1437),
    ("Germany", 666, 51, 139, 823),
    ("Canada", 658, 47, 141, 818),
    ("Australia", 573, 33, 115, 684),
    ("India", 474, 26, 133, 594),
    ("Switzerland", 461, 33, 104, 570),
    ("France", 449, 33, 85, 549),
    ("Ireland", 412, 32, 119, 538),
]

# UK research projects on Gateway to Research, categorised as creative or not and as AI or not
# (same talk and report). The source's table has rows "project categorised as creative"
# False/True and columns "project categorised as AI" False/True:
#   not creative: not AI 36,132, AI 1,346;  creative: not AI 952, AI 43.
GTR_2X2 = [
    (True, 43, 952),
    (False, 1346, 36132),
]

# B. Caramiaux, "The use of artificial intelligence in the cultural and creative sectors",
# MESOC final event, Paris, 10 March 2023, which quotes Eurostat's "Culture statistics -
# cultural employment" (Statistics Explained, data extracted May 2020: 2019, EU-27).
EU_CULTURAL_EMPLOYMENT = [
    ("cultural employment", 7.4, "million people", 2019, "Eurostat, cultural employment (EU-27)"),
    ("share of total employment", 3.7, "percent", 2019, "Eurostat, cultural employment (EU-27)"),
]

# The four stages are the source's (same MESOC talk); the one-line descriptions are the course's.
MESOC_VALUE_CHAIN = [
    ("creation", "Ideas become works: composing, designing, writing, shooting."),
    ("production", "Works are made ready for audiences: recording, editing, manufacturing."),
    ("distribution", "Works reach audiences: streaming, retail, broadcasting, exhibitions."),
    ("archiving", "Works and their context are kept: catalogues, heritage collections, metadata."),
]

# The opportunity map as the MESOC talk shows it (its slide credits the European Commission's
# 2022 "Study on opportunities and challenges of AI technologies for the cultural and creative
# sectors"): four opportunities, each with its list of applications, in the slide's order.
# The slide writes "pattern extruding"; we write "pattern extraction".
#
# Each application has one example. How sure we are of it is stated in ``example_status``:
#   "source"        the talk shows this case for this very application;
#   "source case"   the case is in a course source, but placing it under this application is
#                   the course's reading;
#   "illustration"  written for the course; no source describes it.
SOURCE_MESOC = "Caramiaux, MESOC final event (2023)"
SOURCE_NESTA = "Davies, Nesta talk (2020)"
SOURCE_LVMH = "GDS summit article on LVMH's Chief Data Officer"
MESOC_OPPORTUNITY_MAP = [
    ("reduce costs", "automated testing",
     "bots that play a video game level again and again to find bugs before release",
     "illustration", ""),
    ("reduce costs", "automated translation",
     "subtitles drafted by machine translation, then corrected by a human translator",
     "illustration", ""),
    ("reduce costs", "adaptive content",
     "one campaign image re-cropped and re-laid out automatically for every screen and format",
     "illustration", ""),
    ("reduce costs", "generative content",
     "product photos whose backgrounds and models are generated instead of shot in a studio",
     "illustration", ""),
    ("make decisions", "pattern extraction",
     "the National Gallery (UK) and the company Dexibit analysing attendance from WiFi data",
     "source", SOURCE_MESOC),
    ("make decisions", "forecasting",
     "the National Gallery (UK) and the company Dexibit analysing attendance from WiFi data",
     "source", SOURCE_MESOC),
    ("make decisions", "marketing assistant",
     "deciding when, and whether, to contact each customer: 'talk less, at a better time'",
     "source case", SOURCE_LVMH),
    ("make decisions", "identify artists",
     "a record label scanning streaming and social-media data for fast-rising unsigned artists",
     "illustration", ""),
    ("discover and engage new audiences", "recommendations",
     "YouTube, Spotify and Amazon recommending creative content with machine learning",
     "source case", SOURCE_NESTA),
    ("discover and engage new audiences", "personalisation",
     "a streaming service whose home page, rows and artwork differ for every viewer",
     "illustration", ""),
    ("discover and engage new audiences", "customer services",
     "visitor chatbots: Ask Mona's for the Centre Pompidou, the Field Museum's",
     "source case", SOURCE_MESOC),
    ("inspire human creation", "experimentation",
     "Memories of Passersby I by Mario Klingemann: a neural network drawing portraits endlessly",
     "source case", SOURCE_MESOC),
    ("inspire human creation", "augmented creativity",
     "Holly Herndon's AI 'baby' Spawn, built to help make her album",
     "source case", SOURCE_NESTA),
    ("inspire human creation", "content innovation",
     "AI-generated fashion collections; AI-made effects in music videos",
     "source case", SOURCE_NESTA),
    ("inspire human creation", "critical work",
     "Zizi Show by Jake Elwes",
     "source", SOURCE_MESOC),
]


def _write(name: str, rows) -> None:
    with open(HERE / LANDSCAPE_TABLES[name], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LANDSCAPE_COLUMNS[name])
        writer.writerows(rows)


def main() -> None:
    _write("arxiv_by_country", ARXIV_BY_COUNTRY)
    _write("gtr_2x2", GTR_2X2)
    _write("eu_cultural_employment", EU_CULTURAL_EMPLOYMENT)
    _write("mesoc_value_chain", MESOC_VALUE_CHAIN)
    _write("mesoc_opportunities", MESOC_OPPORTUNITY_MAP)
    write_manifest(HERE)
    print(f"wrote landscape tables and SHA256SUMS to {HERE}")


if __name__ == "__main__":
    main()
