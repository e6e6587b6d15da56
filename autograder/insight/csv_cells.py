"""CSV files an instructor opens in a spreadsheet: text is shown as text, never run as a formula.

Several cells of the grade exports and reports carry text a student controls: the student id is
the name of their folder in ``autograder/submitted/``, and flags, notes, repairs and test names in
``reports/<lab>.csv`` come from what their notebook did. A spreadsheet takes a cell that starts
with ``=``, ``+``, ``-`` or ``@`` for a formula (Excel all four; OWASP also lists a leading tab
and carriage return), so ``=HYPERLINK("http://x","y")`` or a DDE call such as
``+1+cmd|' /C calc'!A0`` in a folder name would act on the instructor's machine (OWASP, "CSV
Injection", owasp.org/www-community/attacks/CSV_Injection).

Every CSV writer of the autograder writes its rows with :func:`csv_line`, which follows OWASP's
recipe for text: a text cell that would start a formula gets a leading single quote
(:func:`neutralise`), every text cell is enclosed in double quotes (a separator inside it cannot
start a new cell) with embedded quotes doubled. Numbers (``int``/``float``) stay bare numbers,
negative ones too, so spreadsheets and the learning platforms' importers still read them as
numbers; an empty cell stays empty. Leading spaces and line breaks are looked through, since a
spreadsheet may trim them (LibreOffice's "Trim spaces" import option) before deciding.

Identifiers a platform matches students on cannot be altered this way (``'=x`` is not ``=x``):
:mod:`grades_export` refuses them with a message instead (see :func:`formula_like`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Would a spreadsheet take this text cell for a formula (and :func:`neutralise` change it)?"""
    return text[:1] in FORMULA_START or text.lstrip(" \t\r\n")[:1] in FORMULA_START


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: a leading ``'`` if it would start a formula."""
    return "'" + text if formula_like(text) else text


def number_text(value: int | float) -> str:
    """A number as its cell shows it (7.0 as 7, 6.5 as 6.5)."""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))        # 7.0 -> "7", -0.0 -> "0"
        return repr(value)                # shortest text that reads back as the same float; nan, inf
    return str(value)


def csv_cell(value, quote_numbers: bool = False) -> str:
    """One cell: ``None`` and ``""`` empty, numbers bare (quoted if ``quote_numbers``), text (and anything
    else, as its ``str``) quoted and neutralised."""
    if value is None or value == "":
        return '""' if quote_numbers else ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        value = str(value)                # anything else is written as its text, and treated as text
    if isinstance(value, str):
        return '"' + neutralise(value).replace('"', '""') + '"'
    text = number_text(value)
    return f'"{text}"' if quote_numbers else text


def csv_line(values: Iterable, quote_numbers: bool = False, end: str = "\n") -> str:
    """One CSV row (RFC 4180 quoting; Python's ``csv`` module, Canvas's Ruby CSV and Moodle's
    ``fgetcsv`` read it back). Pass numbers as numbers: a number given as text is neutralised like
    any text (``"-2"`` becomes ``'-2``)."""
    return ",".join(csv_cell(value, quote_numbers) for value in values) + end
