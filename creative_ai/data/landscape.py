"""The landscape tables of lesson and lab 00 (see ``datasets/landscape/DATASHEET.md``)."""

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


def load_landscape(name: str) -> pd.DataFrame:
    """Load one landscape table by name (a key of ``LANDSCAPE_TABLES``).

    * ``"arxiv_by_country"``: one row per country; columns ``country`` and the number of
      creative-AI arXiv papers per modality, ``image``, ``sound``, ``text``.
    * ``"gtr_2x2"``: the Gateway to Research 2×2 table; index ``creative`` (True/False),
      columns ``ai`` / ``not_ai``; cells are project counts.
    * ``"eu_cultural_employment"``: ``indicator``, ``value``, ``unit``, ``year``, ``source``.
    * ``"mesoc_value_chain"``: ``stage`` (creation → archiving, in order), ``description``.
    * ``"mesoc_opportunities"``: ``stage``, ``opportunity``, ``example``.

    Example::

        >>> gtr = load_landscape("gtr_2x2")
        >>> int(gtr.loc[True, "ai"])
        43
    """
    if name not in LANDSCAPE_TABLES:
        raise KeyError(f"unknown landscape table {name!r}; choose one of {sorted(LANDSCAPE_TABLES)}")
    table = pd.read_csv(bundled_path("landscape", LANDSCAPE_TABLES[name]))
    if name == "gtr_2x2":
        table = table.set_index("creative")
    return table
