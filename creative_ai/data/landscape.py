"""The landscape tables of lesson and lab 00 (see ``datasets/landscape/DATASHEET.md``).

The file and column names below are the single definition of the tables' layout: the builder
(``datasets/landscape/build.py``) imports them to write the files.
"""

from __future__ import annotations

import pandas as pd

from creative_ai.data.registry import bundled_path

LANDSCAPE_TABLES = {
    "arxiv_by_country": "arxiv_creative_ai_by_country.csv",
    "gtr_2x2": "gtr_ai_creative_2x2.csv",
    "eu_cultural_employment": "eu_cultural_employment.csv",
    "mesoc_value_chain": "mesoc_value_chain.csv",
    "mesoc_opportunities": "mesoc_opportunity_map.csv",
}
"""Table name (the argument of :func:`load_landscape`) → file in ``datasets/landscape/``."""

LANDSCAPE_COLUMNS = {
    "arxiv_by_country": ["country", "image", "sound", "text", "image_sound_or_text"],
    "gtr_2x2": ["creative", "ai", "not_ai"],
    "eu_cultural_employment": ["indicator", "value", "unit", "year", "source"],
    "mesoc_value_chain": ["stage", "description"],
    "mesoc_opportunities": ["opportunity", "application", "example", "example_status", "example_source"],
}
"""Table name → its columns, in file order."""

EXAMPLE_STATUSES = ("source", "source case", "illustration")
"""Values of ``example_status`` in the opportunity map, from most to least certain."""


def load_landscape(name: str) -> pd.DataFrame:
    """Load one landscape table by name (a key of ``LANDSCAPE_TABLES``).

    * ``"arxiv_by_country"``: AI research papers on arXiv (computer science) by country, the
      ten countries of Nesta's table (Davies et al., 2020), largest first. Columns
      ``country``; ``image``, ``sound``, ``text`` (papers using that kind of data); and
      ``image_sound_or_text`` (the source's "all three": papers using any of the three,
      each counted once, so it is less than the sum of the three when papers use several).
    * ``"gtr_2x2"``: the Gateway to Research 2×2 table of UK research projects; index
      ``creative`` (True/False), columns ``ai`` / ``not_ai``; cells are project counts.
    * ``"eu_cultural_employment"``: ``indicator``, ``value``, ``unit``, ``year``, ``source``.
    * ``"mesoc_value_chain"``: ``stage`` (creation → archiving, in order), ``description``
      (the course's one-line gloss).
    * ``"mesoc_opportunities"``: the opportunity map, one row per application:
      ``opportunity`` (4 groups), ``application`` (the source's list), ``example``,
      ``example_status`` (``"source"``: the source shows this case for this application;
      ``"source case"``: a case from a course source, placed here by the course;
      ``"illustration"``: written for the course) and ``example_source``.

    Example::

        >>> gtr = load_landscape("gtr_2x2")
        >>> int(gtr.loc[True, "ai"])
        43
    """
    if name not in LANDSCAPE_TABLES:
        raise KeyError(f"unknown landscape table {name!r}; choose one of {sorted(LANDSCAPE_TABLES)}")
    table = pd.read_csv(bundled_path("landscape", LANDSCAPE_TABLES[name]), keep_default_na=False)
    if name == "gtr_2x2":
        table = table.set_index("creative")
    return table
