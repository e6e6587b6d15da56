"""`make grades FORMAT=canvas|moodle|blackboard`: the gradebook in the layout a learning platform imports.

    python autograder/insight/grades_export.py FORMAT [--course autograder] [--roster FILE]
        [--columns FILE] [--out FILE] [--missing zero|blank] [--moodle-id email|idnumber|username]

One row per student of the roster, one column per lab, from the gradebook as nbgrader keeps it
(:mod:`course_data`): a lab's score is nbgrader's own — every graded cell's manual score where you
typed one in formgrader, else its autograded score, plus extra credit, less the late penalty, never
below zero (the same number ``nbgrader export`` writes to ``grades.csv``). A regrade replaces the
autograded scores in the gradebook, so an export after it carries the new scores; a manual score
stays until you change it in formgrader.

The **roster** (``autograder/roster.csv``; ``autograder/roster.example.csv`` shows the layout) maps
each course student id — the folder name in ``autograder/submitted/`` — to the identifiers the
platform knows. The optional **columns** file (``autograder/platform_columns.csv``, example
``autograder/platform_columns.example.csv``) names each lab's column on the platform and its id
there. Nobody is dropped silently: students in the gradebook but not in the roster are listed and
left out of the file (a platform cannot match them: Moodle would reject the whole file), and
roster students with no submission get ``--missing`` (0 by default, as ``nbgrader export`` does,
or an empty cell = no grade) and are listed too.

The layouts follow each platform's importer, cited where each is written below. Every cell is
written by :func:`csv_cells.csv_line`: text that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@`` first) gets a leading ``'`` and every text cell is quoted; scores stay numbers. The
identifiers a platform matches students and columns on are never altered: a roster identifier or
column title that starts like a formula is refused with a message (:func:`check_formula_keys`).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from course_data import Course, GradebookData, read_gradebook  # noqa: E402
from csv_cells import csv_line, formula_like, number_text  # noqa: E402

FORMATS = ("canvas", "moodle", "blackboard")
ROSTER_COLUMNS = ("student_id", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email", "idnumber",
                  "username")
COLUMN_FIELDS = ("lab", "title", "canvas_assignment_id", "blackboard_column_id")
MOODLE_ID_HEADERS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}


class ExportError(Exception):
    """The roster or columns file cannot be used as it is (message says what to fix)."""


# --------------------------------------------------------------------------- inputs


@dataclass
class RosterEntry:
    student_id: str
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""
    idnumber: str = ""
    username: str = ""

    @property
    def first_last(self) -> tuple[str, str]:
        """(first name, last name) from "Last, First" or "First Last"."""
        if "," in self.name:
            last, first = (part.strip() for part in self.name.split(",", 1))
            return first, last
        parts = self.name.split()
        return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", self.name)


def read_roster(path: Path) -> list[RosterEntry]:
    """Read the roster; a clear error names the row and column of anything unusable."""
    if not path.is_file():
        raise ExportError(f"no roster at {path}: copy autograder/roster.example.csv to {path} and fill in one row "
                          "per student (see autograder/README.md, section 7)")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        if "student_id" not in header:
            raise ExportError(f"{path}: the first row must be a header with a student_id column "
                              f"(found {header or 'nothing'}); columns: {', '.join(ROSTER_COLUMNS)}")
        unknown = [h for h in header if h not in ROSTER_COLUMNS]
        if unknown:
            raise ExportError(f"{path}: unknown column(s) {unknown}; the roster's columns are {', '.join(ROSTER_COLUMNS)}")
        entries, seen = [], {}
        for line, row in enumerate(reader, start=2):
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            if not any(values.values()):
                continue
            entry = RosterEntry(**{k: values.get(k, "") for k in ROSTER_COLUMNS})
            if not entry.student_id:
                raise ExportError(f"{path}, line {line}: student_id is empty")
            if entry.student_id in seen:
                raise ExportError(f"{path}, line {line}: student_id {entry.student_id!r} is already on line "
                                  f"{seen[entry.student_id]}")
            seen[entry.student_id] = line
            entries.append(entry)
    return entries


@dataclass
class Column:
    lab: str
    title: str
    canvas_assignment_id: str = ""
    blackboard_column_id: str = ""


def read_columns(path: Path | None, labs: list[str]) -> dict[str, Column]:
    columns = {lab: Column(lab, lab) for lab in labs}
    if path is None or not path.is_file():
        return columns
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "lab" not in (reader.fieldnames or []):
            raise ExportError(f"{path}: the header must have the columns {', '.join(COLUMN_FIELDS)}")
        for line, row in enumerate(reader, start=2):
            lab = (row.get("lab") or "").strip()
            if not lab:
                continue
            if lab not in columns:
                raise ExportError(f"{path}, line {line}: {lab!r} is not a lab in the gradebook ({', '.join(labs)})")
            for key in ("canvas_assignment_id", "blackboard_column_id"):
                value = (row.get(key) or "").strip()
                if value and not value.isdigit():
                    raise ExportError(f"{path}, line {line}: {key} must be the platform's number, got {value!r}")
            columns[lab] = Column(lab, (row.get("title") or "").strip() or lab,
                                  (row.get("canvas_assignment_id") or "").strip(),
                                  (row.get("blackboard_column_id") or "").strip())
    return columns


# --------------------------------------------------------------------------- the table


@dataclass
class Table:
    labs: list[str]
    max_scores: dict[str, float]
    rows: list[tuple[RosterEntry, dict[str, float | None]]]      # None: no grade (missing, --missing blank)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_table(data: GradebookData, roster: list[RosterEntry], missing: str = "zero",
                labs: list[str] | None = None) -> Table:
    labs = labs or sorted(data.assignments)
    empty = [lab for lab in labs if not data.assignments[lab].submissions]
    labs = [lab for lab in labs if lab not in empty]
    table = Table(labs, {lab: data.assignments[lab].max_score for lab in labs}, [])
    if empty:   # not graded yet: a column of zeros would overwrite whatever the platform holds
        table.notes.append(f"left out, no graded submission yet: {', '.join(empty)}")
    in_roster = {entry.student_id for entry in roster}
    submitted = {s for lab in labs for s in data.assignments[lab].submissions}
    known = set(data.students) | submitted
    not_in_roster = sorted(known - in_roster)
    if not_in_roster:
        table.problems.append(f"{len(not_in_roster)} student(s) in the gradebook are NOT in the roster and are NOT in "
                              f"this file (add them to the roster): {_names(not_in_roster)}")
    never = sorted(in_roster - submitted)
    if never:
        table.notes.append(f"{len(never)} roster student(s) have no submission in any lab "
                           f"({'0' if missing == 'zero' else 'no grade'} everywhere): {_names(never)}")
    awaiting, overridden, late = [], [], []
    for entry in roster:
        scores: dict[str, float | None] = {}
        for lab in labs:
            submission = data.assignments[lab].submissions.get(entry.student_id)
            if submission is None:
                scores[lab] = 0.0 if missing == "zero" else None
                continue
            scores[lab] = round(submission.score, 4)
            if submission.awaiting_manual:
                awaiting.append(f"{entry.student_id}/{lab}")
            if submission.manual_overrides:
                overridden.append(f"{entry.student_id}/{lab}")
            if submission.late_penalty:
                late.append(f"{entry.student_id}/{lab} (-{submission.late_penalty:g})")
        table.rows.append((entry, scores))
    for lab in labs:
        absent = [e.student_id for e, s in table.rows if e.student_id not in data.assignments[lab].submissions]
        if absent and len(absent) < len(table.rows):
            table.notes.append(f"{lab}: {len(absent)} roster student(s) did not submit "
                               f"({'0' if missing == 'zero' else 'no grade'}): {_names(absent)}")
    if awaiting:
        table.problems.append(f"{len(awaiting)} submission(s) still have answers to grade by hand in formgrader "
                              f"(they count 0 until then): {_names(awaiting)}")
    if overridden:
        table.notes.append(f"{len(overridden)} submission(s) carry scores you changed in formgrader: "
                           f"{_names(overridden)}")
    if late:
        table.notes.append(f"late penalties applied: {_names(late, 30)}")
    return table


def _names(names: list[str], shown: int = 12) -> str:
    """Names for the terminal; one with control characters (a student id is a folder name, which a
    student may have chosen) is shown quoted, so it cannot rewrite or hide what is printed."""
    safe = [name if name.isprintable() else repr(name) for name in names[:shown]]
    return ", ".join(safe) + (f" … and {len(names) - shown} more" if len(names) > shown else "")


def _number(value: float | None) -> float | None:
    """A score as written: a number with at most two decimals (csv_cells writes 7.0 as 7), None: no grade."""
    return None if value is None else round(value, 2) + 0.0


# --------------------------------------------------------------------------- the layouts


def canvas_csv(table: Table, columns: dict[str, Column]) -> str:
    """Canvas "Import" of the Gradebook (Grades → Import).

    Layout as Canvas's importer reads it (instructure/canvas-lms, app/models/gradebook_importer.rb:
    ``row_has_student_headers?``, ``update_column_count``, ``check_for_non_student_row``,
    ``process_student``; ``Assignment.title_and_id`` in app/models/assignment.rb): the header
    starts ``Student, ID, SIS User ID, SIS Login ID, Section``; each assignment column is titled
    ``<title> (<assignment id>)`` (without an id Canvas matches the title, or creates a new
    assignment); a row whose first cell contains "Points Possible" gives each column's points;
    a student is matched by the Canvas ``ID``, else ``SIS User ID``, else ``SIS Login ID``, else
    the name; an empty grade means no grade. Instructure's guide "How do I import grades in the
    Gradebook?" describes the same file. Checked against the importer's ``header?``: column 0
    contains "Student", column 1 "ID", columns 2-3 match ``SIS User ID`` / ``SIS Login ID`` (any spacing)
    and the last student column contains "Section"; custom columns (none here) would sit between
    Section and the assignments; trailing "Current/Final Score" columns are ignored.
    """
    titles = [f"{columns[lab].title} ({columns[lab].canvas_assignment_id})" if columns[lab].canvas_assignment_id
              else columns[lab].title for lab in table.labs]
    lines = [csv_line(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles]),
             csv_line(["    Points Possible", "", "", "", "", *[_number(table.max_scores[lab]) for lab in table.labs]])]
    for entry, scores in table.rows:
        lines.append(csv_line([entry.name or entry.student_id, entry.canvas_id, entry.sis_user_id, entry.sis_login_id,
                               entry.section, *[_number(scores[lab]) for lab in table.labs]]))
    return "".join(lines)


def moodle_csv(table: Table, columns: dict[str, Column], identifier: str = "email") -> str:
    """Moodle "Import → CSV file" (Grades → Import).

    Moodle's CSV grade import (moodle/moodle, grade/import/csv/classes/load_data.php and the
    mapping form of grade/import/grade_import_form.php, docs.moodle.org "Grade import"): one
    header row; the teacher maps one column to a user field — user id, username, ID number or
    email address — and each other column to a grade item (or a new one, or ignore). A header
    equal to the field's name ("Email address", "ID number", "Username") is pre-selected as the
    identifier, and a column titled ``<grade item name> (Real)`` is pre-mapped to that grade
    item (``grade_import_mapping_form::definition``: "Set defaults for mappings to first matching
    set" and "Auto-map matching grade items", which compares the text before "(Real)" with each
    grade item's name — so the columns file's title must be the item's name in Moodle). An empty cell or ``-`` is no grade; a user the site does not know aborts the whole
    import, which is why students missing from the roster are left out (and listed).
    """
    header = MOODLE_ID_HEADERS[identifier]
    lines = [csv_line([header, *[f"{columns[lab].title} (Real)" for lab in table.labs]])]
    for entry, scores in table.rows:
        lines.append(csv_line([getattr(entry, identifier), *[_number(scores[lab]) for lab in table.labs]]))
    return "".join(lines)


def blackboard_csv(table: Table, columns: dict[str, Column]) -> str:
    """Blackboard Learn (Original) Grade Center → Work Offline → Upload.

    Blackboard's help "Work offline with grade data" / "Uploading or Downloading Grade Center
    Items for Working Offline" (help.blackboard.com; library.blackboard.com/ref/3ea64795-6ecc-4abd-
    b595-0a9a8dfdec94/Content/_instructor_grade_center/grade_center_upload_download.htm): each
    student is identified by their
    **Username**, each column by its Column ID, written after ``|`` at the end of the header as
    Grade Center downloads write it — ``<title> [Total Pts: <points> Score] |<column id>``. A column
    without an id creates a new *text* column with 0 points possible. In a comma-delimited file
    every value must be enclosed in quotation marks.
    """
    titles = []
    for lab in table.labs:
        column = columns[lab]
        title = f"{column.title} [Total Pts: {number_text(_number(table.max_scores[lab]))} Score]"
        titles.append(f"{title} |{column.blackboard_column_id}" if column.blackboard_column_id else title)
    lines = [csv_line(["Last Name", "First Name", "Username", *titles], quote_numbers=True)]
    for entry, scores in table.rows:
        first, last = entry.first_last
        lines.append(csv_line([last, first, entry.username, *[_number(scores[lab]) for lab in table.labs]],
                              quote_numbers=True))
    return "".join(lines)


def check_roster_for(fmt: str, roster: list[RosterEntry], moodle_id: str = "email") -> list[str]:
    """Roster entries the platform could not match (each names the student and what is missing)."""
    missing = []
    for entry in roster:
        if fmt == "canvas" and not (entry.canvas_id or entry.sis_user_id or entry.sis_login_id):
            missing.append(f"{entry.student_id}: Canvas needs canvas_id, sis_user_id or sis_login_id")
        elif fmt == "moodle" and not getattr(entry, moodle_id):
            missing.append(f"{entry.student_id}: no {moodle_id} (Moodle identifies students by it)")
        elif fmt == "blackboard" and not entry.username:
            missing.append(f"{entry.student_id}: Blackboard needs the username")
    return missing


KEY_FIELDS = {"canvas": ("canvas_id", "sis_user_id", "sis_login_id"), "blackboard": ("username",)}


def check_formula_keys(fmt: str, roster: list[RosterEntry], titles: list[str], moodle_id: str = "email") -> list[str]:
    """Identifiers and column titles the platform matches on that a spreadsheet would take for a formula.

    Neutralising them (a leading ``'``) would make the platform miss the student or column, and
    writing them as they are would let the file run a formula in whoever opens it: they are
    refused, each named, for the instructor to correct (or to export with another identifier)."""
    bad = []
    for field_name in KEY_FIELDS.get(fmt, (moodle_id,)):
        for entry in roster:
            value = getattr(entry, field_name)
            if value and formula_like(value):
                bad.append(f"{_names([entry.student_id])}: {field_name} {value!r}")
    bad += [f"column title {title!r}" for title in titles if formula_like(title)]
    return bad


def _neutralised(fmt: str, table: Table) -> list[str]:
    """Student ids and names written with a leading ' (shown as text, not run)."""
    cells = []
    for entry, _ in table.rows:
        # the display cells each layout writes (Moodle writes none: identifier and scores only)
        texts = {"canvas": [entry.name or entry.student_id, entry.section], "blackboard": list(entry.first_last)}
        if any(formula_like(text) for text in texts.get(fmt, [])):
            cells.append(entry.student_id)
    return cells


def export(course: Course, fmt: str, roster_path: Path, columns_path: Path | None, out: Path,
           missing: str = "zero", moodle_id: str = "email") -> Table:
    roster = read_roster(roster_path)
    unusable = check_roster_for(fmt, roster, moodle_id)
    if unusable:
        raise ExportError(f"{roster_path}: {len(unusable)} row(s) lack the identifier {fmt} matches students on:\n  "
                          + "\n  ".join(unusable))
    data = read_gradebook(course)
    if not any(a.submissions for a in data.assignments.values()):
        raise ExportError(f"the gradebook {course.db_url} has no labs: run `make release` and `make autograde` first")
    table = build_table(data, roster, missing)
    columns = read_columns(columns_path, table.labs)
    formulas = check_formula_keys(fmt, roster, [columns[lab].title for lab in table.labs], moodle_id)
    if formulas:
        raise ExportError(f"{len(formulas)} identifier(s) or title(s) {fmt} matches on start with one of "
                          f"= + - @ (or a tab/line break), which a spreadsheet runs as a formula; the export "
                          f"does not alter what the platform matches on, so correct them in {roster_path} or "
                          f"the columns file (or choose another identifier):\n  " + "\n  ".join(formulas))
    neutralised = _neutralised(fmt, table)
    if neutralised:
        table.notes.append(f"{len(neutralised)} student(s) have a name, section or id starting like a spreadsheet "
                           f"formula; written with a leading ' so a spreadsheet shows it as text: "
                           f"{_names(neutralised)}")
    if fmt == "canvas":
        text = canvas_csv(table, columns)
    elif fmt == "moodle":
        text = moodle_csv(table, columns, moodle_id)
        if any(score > 100 for score in table.max_scores.values()):
            table.problems.append("a lab is worth more than 100 points: Moodle refuses grades above its "
                                  "gradepointmax setting (100 unless your site raised it)")
    else:
        text = blackboard_csv(table, columns)
        without = [lab for lab in table.labs if not columns[lab].blackboard_column_id]
        if without:
            table.notes.append(f"no Blackboard column id for {', '.join(without)}: Blackboard will create new text "
                               "columns worth 0 points; create the columns first and put their ids in the columns file")
    out.write_text(text, encoding="utf-8")
    return table


# --------------------------------------------------------------------------- reading them back (checks, tests)


def read_canvas(text: str) -> dict:
    """Parse a Canvas gradebook CSV by the importer's rules; raise ValueError where Canvas would fail."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        raise ValueError("Canvas: the header must start with Student, ID")
    if not (re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3])
            and "Section" in header[4]):
        raise ValueError("Canvas: after Student, ID the header needs SIS User ID, SIS Login ID, Section")
    assignments = []
    for title in header[5:]:
        match = re.fullmatch(r"(.*)\s\((\d+)\)", title)
        assignments.append((match.group(1), match.group(2)) if match else (title, None))
    points, students = {}, {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            points = {assignments[i][0]: row[5 + i] for i in range(len(assignments))}
            continue
        key = row[1] or row[2] or row[3] or row[0]
        if not key:
            raise ValueError(f"Canvas: a row identifies no student: {row}")
        students[key] = {assignments[i][0]: (float(v) if v.strip() else None) for i, v in enumerate(row[5:])}
    return {"assignments": assignments, "points": points, "students": students}


def read_moodle(text: str) -> dict:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if header[0] not in MOODLE_ID_HEADERS.values():
        raise ValueError(f"Moodle: the first column must be one of {list(MOODLE_ID_HEADERS.values())}")
    items = []
    for title in header[1:]:
        if not title.endswith(" (Real)"):
            raise ValueError(f"Moodle: {title!r} would not map to a grade item by itself")
        items.append(title[: -len(" (Real)")])
    students = {}
    for row in rows[1:]:
        if len(row) <= 1:
            continue
        if not row[0]:
            raise ValueError(f"Moodle: a row has no {header[0]}: {row}")
        values = {}
        for item, value in zip(items, row[1:], strict=True):
            values[item] = None if value.strip() in ("", "-") else float(value)
        students[row[0]] = values
    return {"identifier": header[0], "items": items, "students": students}


def read_blackboard(text: str) -> dict:
    if not text.startswith('"'):
        raise ValueError("Blackboard: every value of a comma-delimited file must be quoted")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if "Username" not in header:
        raise ValueError("Blackboard: no Username column")
    user = header.index("Username")
    columns = {}
    for index, title in enumerate(header):
        match = re.fullmatch(r"(.*) \[Total Pts: ([\d.]+) Score\](?: \|(\d+))?", title)
        if match:
            columns[index] = (match.group(1), float(match.group(2)), match.group(3))
    students = {}
    for row in rows[1:]:
        students[row[user]] = {columns[i][0]: (float(row[i]) if row[i] else None) for i in columns}
    return {"columns": list(columns.values()), "students": students}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=FORMATS)
    parser.add_argument("--course", type=Path, default=HERE.parent)
    parser.add_argument("--roster", type=Path, default=None, help="default: <course>/roster.csv")
    parser.add_argument("--columns", type=Path, default=None, help="default: <course>/platform_columns.csv if present")
    parser.add_argument("--out", type=Path, default=None, help="default: <course>/grades-<format>.csv")
    parser.add_argument("--missing", choices=("zero", "blank"), default="zero")
    parser.add_argument("--moodle-id", choices=tuple(MOODLE_ID_HEADERS), default="email")
    args = parser.parse_args(argv)
    course = Course.open(args.course)
    roster = args.roster or course.root / "roster.csv"
    columns = args.columns or course.root / "platform_columns.csv"
    out = args.out or course.root / f"grades-{args.format}.csv"
    try:
        table = export(course, args.format, roster, columns, out, args.missing, args.moodle_id)
    except ExportError as error:
        print(f"make grades FORMAT={args.format}: {error}", file=sys.stderr)
        return 2
    print(f"{args.format}: {len(table.rows)} students x {len(table.labs)} labs written to {out}")
    for note in table.notes:
        print(f"  note: {note}")
    if table.problems:
        print("CHECK BEFORE IMPORTING:")
        for problem in table.problems:
            print(f"  ! {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
