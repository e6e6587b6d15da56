"""Grade exports, the item-analysis report and the similarity flags, on small stored results.

Nothing is graded here: a gradebook is written through nbgrader's own API (as grading and
formgrader write it) with the cases the exports must get right — an autograded score, a score
typed in formgrader over it, a late penalty, a regrade, a missing submission, a student missing
from the roster and one missing from the gradebook — and each export is read back by the rules of
the platform's importer. The whole course graded by the instructor guide's commands is checked in
tests/grading/test_insight_course.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from course import REPO, lab_ids, lab_notebook, other_right_answers, read

sys.path.insert(0, str(REPO / "autograder" / "insight"))
import grades_export as gx  # noqa: E402
import report  # noqa: E402
import similarity as sim  # noqa: E402
from course_data import Course, read_gradebook  # noqa: E402

COURSE_ID = "creative-ai"


def _gradebook(folder: Path) -> Course:
    """Two labs, three graded cells, four students; scores as grading and formgrader leave them."""
    from nbgrader.api import Gradebook

    db_url = "sqlite:///" + str(folder / "gradebook.db")
    with Gradebook(db_url, COURSE_ID) as gb:
        for lab, cells in (("lab_a", {"test_f": 3.0, "test_g": 2.0, "written": 2.0}), ("lab_b", {"test_h": 4.0}),
                           ("lab_c", {"test_k": 1.0})):   # lab_c: released, nothing graded yet
            gb.add_assignment(lab)
            gb.add_notebook(lab, lab)
            for name, points in cells.items():
                gb.add_grade_cell(name, lab, lab, max_score=points, cell_type="markdown" if name == "written" else "code")
        for student in ("ann", "bob", "cy", "dee"):
            gb.add_student(student)
        # ann: everything right, written answer graded by hand (1.5 of 2)
        # bob: test_g failed (0), the instructor gave test_f 1 of 3 by hand over an autograded 3, late (-1.5)
        # cy: lab_a only, written answer not graded yet; no lab_b submission
        # dee: in the gradebook but not in the roster
        scores = {("ann", "lab_a"): {"test_f": (3, None), "test_g": (2, None), "written": (None, 1.5)},
                  ("ann", "lab_b"): {"test_h": (4, None)},
                  ("bob", "lab_a"): {"test_f": (3, 1.0), "test_g": (0, None), "written": (None, 2.0)},
                  ("bob", "lab_b"): {"test_h": (0, None)},
                  ("cy", "lab_a"): {"test_f": (0, None), "test_g": (2, None), "written": (None, None)},
                  ("dee", "lab_b"): {"test_h": (4, None)}}
        for (student, lab), cells in scores.items():
            gb.add_submission(lab, student)
            for name, (auto, manual) in cells.items():
                grade = gb.find_grade(name, lab, lab, student)
                grade.auto_score, grade.manual_score = auto, manual
                grade.needs_manual_grade = manual is None and auto is None
        gb.find_submission_notebook("lab_a", "lab_a", "bob").late_submission_penalty = 1.5
        gb.db.commit()
    return Course(folder, db_url, COURSE_ID, folder / "labs")


ROSTER = """student_id,name,canvas_id,sis_user_id,sis_login_id,section,email,idnumber,username
ann,"Lovelace, Ann",101,S1,ann.l,A,ann@example.edu,ID1,ann.l
bob,Bob Byron,102,S2,bob.b,B,bob@example.edu,ID2,bob.b
cy,"Young, Cy",103,,cy.y,A,cy@example.edu,ID3,cy.y
eve,"Early, Eve",104,S4,eve.e,B,eve@example.edu,ID4,eve.e
"""
# What each platform must receive, worked out by hand from the scores above (nbgrader's rule:
# manual score over autograded, plus extra credit, less the late penalty, not below 0).
EXPECTED = {"ann": {"lab_a": 6.5, "lab_b": 4.0},
            "bob": {"lab_a": 1.5, "lab_b": 0.0},     # 1 (by hand) + 0 + 2 - 1.5 late
            "cy": {"lab_a": 2.0, "lab_b": None},      # no lab_b submission
            "eve": {"lab_a": None, "lab_b": None}}    # in the roster, never submitted


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gradebook")
    _gradebook(folder)   # nbgrader commits every addition: build it once, copy it per test
    return folder / "gradebook.db"


@pytest.fixture
def course(tmp_path, _template) -> Course:
    shutil.copy(_template, tmp_path / "gradebook.db")
    (tmp_path / "roster.csv").write_text(ROSTER)
    return Course(tmp_path, "sqlite:///" + str(tmp_path / "gradebook.db"), COURSE_ID, tmp_path / "labs")


def _expected(missing: str) -> dict:
    return {s: {lab: (0.0 if v is None and missing == "zero" else v) for lab, v in labs.items()}
            for s, labs in EXPECTED.items()}


@pytest.mark.parametrize("missing", ["zero", "blank"])
def test_every_export_round_trips_with_overrides_late_penalties_and_gaps(course, tmp_path, missing):
    roster = tmp_path / "roster.csv"
    columns = tmp_path / "columns.csv"
    columns.write_text("lab,title,canvas_assignment_id,blackboard_column_id\nlab_a,Lab A,5551,7771\n"
                       "lab_b,Lab B,,\n")
    expected = _expected(missing)
    key = {"ann": "101", "bob": "102", "cy": "103", "eve": "104"}

    table = gx.export(course, "canvas", roster, columns, tmp_path / "c.csv", missing)
    canvas = gx.read_canvas((tmp_path / "c.csv").read_text())
    assert canvas["assignments"] == [("Lab A", "5551"), ("Lab B", None)]
    assert canvas["points"] == {"Lab A": "7", "Lab B": "4"}
    assert canvas["students"] == {key[s]: {"Lab A": v["lab_a"], "Lab B": v["lab_b"]} for s, v in expected.items()}

    gx.export(course, "moodle", roster, columns, tmp_path / "m.csv", missing, moodle_id="idnumber")
    moodle = gx.read_moodle((tmp_path / "m.csv").read_text())
    assert moodle["identifier"] == "ID number" and moodle["items"] == ["Lab A", "Lab B"]
    ids = {"ann": "ID1", "bob": "ID2", "cy": "ID3", "eve": "ID4"}
    assert moodle["students"] == {ids[s]: {"Lab A": v["lab_a"], "Lab B": v["lab_b"]} for s, v in expected.items()}

    gx.export(course, "blackboard", roster, columns, tmp_path / "b.csv", missing)
    board = gx.read_blackboard((tmp_path / "b.csv").read_text())
    assert board["columns"] == [("Lab A", 7.0, "7771"), ("Lab B", 4.0, None)]
    users = {"ann": "ann.l", "bob": "bob.b", "cy": "cy.y", "eve": "eve.e"}
    assert board["students"] == {users[s]: {"Lab A": v["lab_a"], "Lab B": v["lab_b"]} for s, v in expected.items()}

    # nobody silently dropped: dee (gradebook, not roster) and eve (roster, no submission) are named
    assert any("dee" in p and "NOT in the roster" in p for p in table.problems)
    assert any("eve" in n for n in table.notes)
    assert any("cy/lab_a" in p for p in table.problems), "an ungraded written answer must be reported"
    assert any("bob/lab_a (-1.5)" in n for n in table.notes)
    # a lab nobody has been graded on yet is left out (a column of zeros would overwrite the platform's)
    assert any("lab_c" in n and "no graded submission" in n for n in table.notes)


def test_a_regrade_reaches_the_export_and_a_manual_score_survives_it(course, tmp_path):
    from nbgrader.api import Gradebook

    gx.export(course, "canvas", tmp_path / "roster.csv", None, tmp_path / "before.csv")
    with Gradebook(course.db_url, COURSE_ID) as gb:   # as `nbgrader autograde --force` leaves a regrade
        gb.find_grade("test_g", "lab_a", "lab_a", "bob").auto_score = 2.0
        gb.find_grade("test_f", "lab_a", "lab_a", "bob").auto_score = 0.0   # overridden by hand: stays 1
        gb.db.commit()
    gx.export(course, "canvas", tmp_path / "roster.csv", None, tmp_path / "after.csv")
    before = gx.read_canvas((tmp_path / "before.csv").read_text())["students"]["102"]["lab_a"]
    after = gx.read_canvas((tmp_path / "after.csv").read_text())["students"]["102"]["lab_a"]
    assert (before, after) == (1.5, 3.5)


def test_exports_agree_with_nbgraders_own_csv_export(course, tmp_path):
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    with Gradebook(course.db_url, COURSE_ID) as gb:
        CsvExportPlugin(to=str(tmp_path / "grades.csv")).export(gb)
    import csv

    nbgrader_scores = {(r["student_id"], r["assignment"]): float(r["score"])
                       for r in csv.DictReader(open(tmp_path / "grades.csv"))}
    table = gx.build_table(read_gradebook(course), gx.read_roster(tmp_path / "roster.csv"))
    for entry, scores in table.rows:
        for lab, value in scores.items():
            assert value == pytest.approx(nbgrader_scores.get((entry.student_id, lab), 0.0)), (entry.student_id, lab)


def test_roster_problems_are_clear_errors(course, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nann,Ann\n")
    with pytest.raises(gx.ExportError, match="student_id column"):
        gx.read_roster(bad)
    bad.write_text("student_id,name\nann,Ann\nann,Ann again\n")
    with pytest.raises(gx.ExportError, match="line 3.*already on line 2"):
        gx.read_roster(bad)
    bad.write_text("student_id,name\nann,Ann\n")
    with pytest.raises(gx.ExportError, match="Blackboard needs the username"):
        gx.export(course, "blackboard", bad, None, tmp_path / "x.csv")
    with pytest.raises(gx.ExportError, match="no roster"):
        gx.read_roster(tmp_path / "missing.csv")


def test_a_student_id_cannot_hide_the_roster_warning_on_the_terminal():
    assert gx._names(["ann", "x\x1b[2K\rall fine"]) == "ann, 'x\\x1b[2K\\rall fine'"


def test_example_roster_and_columns_files_are_valid():
    roster = gx.read_roster(REPO / "autograder" / "roster.example.csv")
    assert roster and not gx.check_roster_for("canvas", roster)
    assert not gx.check_roster_for("blackboard", roster) and not gx.check_roster_for("moodle", roster)
    columns = gx.read_columns(REPO / "autograder" / "platform_columns.example.csv", lab_ids())
    assert set(columns) == set(lab_ids())


# --------------------------------------------------------------------------- spreadsheet formulas (CSV injection)

# Text a student can put in a folder name, a flag, a note or a test's message; each would run in
# Excel/LibreOffice/Sheets if a cell started with it (OWASP "CSV Injection").
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1", " =1+1"]


def _cells(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def _no_cell_runs(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert cell.lstrip(" \t\r\n")[:1] not in ("=", "+", "-", "@") or cell.startswith("'"), (cell, row)
            assert cell[:1] not in ("\t", "\r"), (cell, row)


def test_csv_cells_show_formulas_as_text_and_leave_names_and_numbers_alone():
    import csv_cells

    ordinary = ["Ann", "Lovelace, Ann", "O'Neil", "s1234", "Lab 01 - Recommendation", "a,b;c", ""]
    numbers = [-1.5, 0, 7.0, 6.25, 3, -0.0]
    line = csv_cells.csv_line([*FORMULAS, *ordinary, *numbers, None])
    (row,) = _cells(line)
    assert row[:len(FORMULAS)] == ["'" + h for h in FORMULAS]
    assert row[len(FORMULAS):len(FORMULAS) + len(ordinary)] == ordinary
    # numbers are bare (unquoted) numbers, a negative one too, and read back as the same values
    assert line.rstrip("\n").split(",")[-len(numbers) - 1:] == ["-1.5", "0", "7", "6.25", "3", "0", ""]
    assert [float(v) for v in row[-len(numbers) - 1:-1]] == [float(n) for n in numbers]
    # every text cell is quoted, so a separator inside it cannot start a new cell
    assert line.startswith('"\'=HYPERLINK(""http://x"",""y"")",')
    assert csv_cells.csv_line(["a,=1+1"]) == '"a,=1+1"\n'
    # Blackboard's layout quotes numbers too; they stay numbers
    assert csv_cells.csv_line(["-2+3", -2.5, None], quote_numbers=True) == '"\'-2+3","-2.5",""\n'


def test_hostile_names_in_exports_are_text_and_the_platforms_still_match_students(course, tmp_path):
    roster = tmp_path / "hostile-roster.csv"
    roster.write_text(ROSTER.replace('"Lovelace, Ann"', '"=HYPERLINK(""http://x"",""y"")"')
                      .replace("Bob Byron", "@SUM(1) -2+3").replace(",103,,cy.y,A,", ",103,,cy.y,+1+cmd|' /C calc'!A0,")
                      + "-2+3,,105,S5,dd.d,B,dd@example.edu,ID5,dd.d\n")   # a student id used as the Canvas name
    for fmt in ("canvas", "moodle", "blackboard"):
        table = gx.export(course, fmt, roster, None, tmp_path / f"{fmt}.csv", "blank", moodle_id="idnumber")
        text = (tmp_path / f"{fmt}.csv").read_text()
        _no_cell_runs(_cells(text))
        if fmt != "moodle":   # Moodle's layout has no name column
            assert any("leading '" in note and "ann" in note and "bob" in note for note in table.notes), table.notes
    canvas_rows = _cells((tmp_path / "canvas.csv").read_text())
    names = {row[1]: (row[0], row[4]) for row in canvas_rows[2:]}
    assert names["101"][0] == '\'=HYPERLINK("http://x","y")'
    assert names["103"][1] == "'+1+cmd|' /C calc'!A0"
    assert names["105"][0] == "'-2+3"
    board_rows = _cells((tmp_path / "blackboard.csv").read_text())
    assert board_rows[2][:3] == ["'-2+3", "'@SUM(1)", "bob.b"]     # Last Name, First Name, Username
    assert names["102"][0] == "'@SUM(1) -2+3"
    # the identifiers and scores are untouched: each importer still finds every student's grade
    expected = _expected("blank")
    expected["dd"] = {"lab_a": None, "lab_b": None}
    canvas = gx.read_canvas((tmp_path / "canvas.csv").read_text())["students"]
    key = {"ann": "101", "bob": "102", "cy": "103", "eve": "104", "dd": "105"}
    assert canvas == {key[s]: {"lab_a": v["lab_a"], "lab_b": v["lab_b"]} for s, v in expected.items()}
    moodle = gx.read_moodle((tmp_path / "moodle.csv").read_text())["students"]
    assert moodle == {f"ID{key[s][-1]}": {"lab_a": v["lab_a"], "lab_b": v["lab_b"]} for s, v in expected.items()}
    board = gx.read_blackboard((tmp_path / "blackboard.csv").read_text())["students"]
    assert set(board) == {"ann.l", "bob.b", "cy.y", "eve.e", "dd.d"} and board["ann.l"] == {"lab_a": 6.5, "lab_b": 4.0}


def test_negative_scores_stay_numbers_in_every_layout():
    entry = gx.RosterEntry("ann", "Lovelace, Ann", "101", "S1", "ann.l", "A", "ann@example.edu", "ID1", "ann.l")
    table = gx.Table(["lab_a"], {"lab_a": 7.0}, [(entry, {"lab_a": -1.5})])
    columns = {"lab_a": gx.Column("lab_a", "Lab A")}
    assert gx.canvas_csv(table, columns).splitlines()[2].endswith(",-1.5")
    assert gx.read_canvas(gx.canvas_csv(table, columns))["students"]["101"] == {"Lab A": -1.5}
    assert gx.read_moodle(gx.moodle_csv(table, columns))["students"]["ann@example.edu"] == {"Lab A": -1.5}
    assert gx.blackboard_csv(table, columns).splitlines()[1] == '"Lovelace","Ann","ann.l","-1.5"'


@pytest.mark.parametrize("fmt, field, value", [("canvas", "sis_login_id", "@ann"), ("canvas", "canvas_id", "=1+1"),
                                               ("moodle", "email", "+ann@example.edu"),
                                               ("blackboard", "username", "-2+3")])
def test_an_identifier_starting_like_a_formula_is_refused_not_altered(course, tmp_path, fmt, field, value):
    roster = tmp_path / "roster.csv"
    rows = _cells(ROSTER)
    rows[1][rows[0].index(field)] = value
    roster.write_text("".join(",".join(f'"{c}"' for c in row) + "\n" for row in rows))
    out = tmp_path / "out.csv"
    with pytest.raises(gx.ExportError, match=rf"ann.*{field} {re.escape(repr(value))}"):
        gx.export(course, fmt, roster, None, out)
    assert not out.exists()
    if fmt == "moodle":   # another identifier the roster has is fine
        gx.export(course, fmt, roster, None, out, moodle_id="idnumber")
        assert set(gx.read_moodle(out.read_text())["students"]) == {"ID1", "ID2", "ID3", "ID4"}


def test_a_column_title_starting_like_a_formula_is_refused(course, tmp_path):
    columns = tmp_path / "columns.csv"
    columns.write_text("lab,title,canvas_assignment_id,blackboard_column_id\nlab_a,=Lab A,5551,7771\n")
    with pytest.raises(gx.ExportError, match="column title '=Lab A'"):
        gx.export(course, "moodle", tmp_path / "roster.csv", columns, tmp_path / "m.csv")


def _hostile_gradebook(folder: Path) -> str:
    """One lab, one autograded cell (3 points): an ordinary student and students whose ids are formulas."""
    from nbgrader.api import Gradebook

    db_url = "sqlite:///" + str(folder / "gradebook.db")
    with Gradebook(db_url, COURSE_ID) as gb:
        gb.add_assignment("lab_a")
        gb.add_notebook("lab_a", "lab_a")
        gb.add_grade_cell("test_f", "lab_a", "lab_a", max_score=3.0, cell_type="code")
        for number, student in enumerate(["ann", *FORMULAS[:4]]):
            gb.add_student(student, first_name="@SUM(1)" if number == 1 else "Ann", last_name="Lovelace")
            gb.add_submission("lab_a", student)
            gb.find_grade("test_f", "lab_a", "lab_a", student).auto_score = float(number % 4)
        gb.db.commit()
    return db_url


def test_make_grades_writes_nbgraders_layout_with_formulas_as_text(tmp_path):
    """`make grades` runs `nbgrader export --to grades.csv` with the course config: its export plugin."""
    import csv
    import os

    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    db_url = _hostile_gradebook(tmp_path)
    out = tmp_path / "grades.csv"
    run = subprocess.run([sys.executable, "grader/nbgrader_main.py", "export", "--to", str(out)],
                         cwd=REPO / "autograder", capture_output=True, text=True, timeout=300,
                         env={**os.environ, "CREATIVE_AI_GRADEBOOK_URL": db_url})
    assert run.returncode == 0, run.stderr
    assert "SafeCsvExportPlugin" in run.stderr and "leading '" in run.stderr
    rows = list(csv.DictReader(open(out, newline="")))
    _no_cell_runs([list(row.values()) for row in rows])
    by_id = {row["student_id"]: row for row in rows}
    assert set(by_id) == {"ann", *("'" + h for h in FORMULAS[:4])}
    assert by_id["'" + FORMULAS[0]]["first_name"] == "'@SUM(1)" and by_id["ann"]["first_name"] == "Ann"
    # the same values as nbgrader's own plugin writes (which joins them unquoted: the HYPERLINK id's
    # comma breaks its row, so that one is left out of the comparison)
    with Gradebook(db_url, COURSE_ID) as gb:
        CsvExportPlugin(to=str(tmp_path / "nbgrader.csv")).export(gb)
    theirs = {row["student_id"]: row for row in csv.DictReader(open(tmp_path / "nbgrader.csv"))}
    for student in ["ann", *FORMULAS[1:4]]:
        row, mine = theirs[student], by_id["'" + student if student in FORMULAS else student]
        for key in ("raw_score", "late_submission_penalty", "score", "max_score"):
            assert float(mine[key]) == float(row[key]), (student, key)
        assert mine["assignment"] == row["assignment"] and mine["timestamp"] == row["timestamp"]


def test_the_autograde_report_csv_shows_student_text_as_text(tmp_path, monkeypatch):
    from types import SimpleNamespace

    sys.path.insert(0, str(REPO / "autograder" / "grader"))
    import cli

    monkeypatch.setattr(cli.sandbox, "mode", lambda: "bwrap")
    db_url = _hostile_gradebook(tmp_path)
    course = SimpleNamespace(
        settings=SimpleNamespace(limits=SimpleNamespace(memory_mb=2048), cell_timeout=60.0, submission_timeout=300.0),
        coursedir=SimpleNamespace(root=str(tmp_path), db_url=db_url, course_id=COURSE_ID), run_path=lambda job: None)
    jobs = [cli.Job("lab_a", student, "lab_a", tmp_path, state="graded",
                    report={"tests": {"test_f": "passed" if student == "ann" else "failed", FORMULAS[3]: "failed"},
                            "flags": [FORMULAS[0], "patches np.sqrt"], "repairs": [FORMULAS[1]],
                            "notes": [FORMULAS[2]], "restarts": 1, "seconds": 2.25, "sandbox": "bwrap"})
            for student in ["ann", *FORMULAS[:4]]]
    failures = []
    cli.summarise(course, jobs, ["lab_a"], {"lab_a": 1.0}, failures)
    text = (tmp_path / "reports" / "lab_a.csv").read_text()
    rows = _cells(text)
    _no_cell_runs(rows)
    header, body = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[0] == "student" and set(body) == {"ann", *("'" + h for h in FORMULAS[:4])}
    ann = body["ann"]
    assert (ann["autograded_score"], ann["max_autograded"], ann["restarts"], ann["seconds"]) == ("0", "3", "1", "2.2")
    assert ann["tests_failed"] == "'" + FORMULAS[3]
    assert ann["flags"] == "'" + FORMULAS[0] + " | patches np.sqrt"
    assert (ann["repairs"], ann["notes"]) == ("'" + FORMULAS[1], "'" + FORMULAS[2])
    assert body["'" + FORMULAS[0]]["autograded_score"] == "1" and body["'" + FORMULAS[0]]["tests_failed"] == \
        "test_f " + FORMULAS[3]
    # scores are bare numbers in the file (a spreadsheet sums them), not quoted text
    assert "\"ann\",0,3," in text
    assert any("leading '" in line and "lab_a" in line for line in failures)


# --------------------------------------------------------------------------- similarity


ORIGINAL = '''def top_k(scores, seen, k):
    """Best k unseen items."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    picked = []
    for item in order:
        if item not in seen:
            picked.append(int(item))
        if len(picked) == k:
            break
    return picked
'''
DISGUISED = '''def top_k(scores, seen, k):
    """My own docstring."""  # sorted best first
    ranking = np.argsort(-np.asarray(scores), kind='stable')
    chosen = []
    for candidate in ranking:
        if candidate not in seen:   chosen.append(int(candidate))
        if len(chosen) == k:
            break
    return chosen
'''
INDEPENDENT = '''def top_k(scores, seen, k):
    masked = np.where(np.isin(np.arange(len(scores)), list(seen)), -np.inf, scores)
    best = np.argsort(masked)[::-1]
    return [int(i) for i in best[:k] if np.isfinite(masked[i])]
'''


def test_normalisation_ignores_renaming_and_layout_but_not_library_calls():
    assert [t.text for t in sim.normalise(ORIGINAL)] == [t.text for t in sim.normalise(DISGUISED)]
    other = ORIGINAL.replace("np.argsort", "np.argpartition")
    assert [t.text for t in sim.normalise(ORIGINAL)] != [t.text for t in sim.normalise(other)]


def _class(extra: dict[str, str]) -> list[sim.Answer]:
    """Twelve students with unrelated code, plus ``extra`` (student → code of cell f)."""
    rng = np.random.default_rng(0)
    sources = {}
    for i in range(12):
        ops = rng.choice(["+", "-", "*", "/"], size=12)
        body = "\n".join(f"    v{j} = x {ops[j]} {int(rng.integers(2, 99))} {ops[(j + 3) % 12]} len(y{j % 3})"
                         for j in range(12))
        sources[f"s{i:02d}"] = {"f": f"def top_k(scores, seen, k):\n{body}\n    return v{i % 12}\n"}
    for student, code in extra.items():
        sources[student] = {"f": code}
    return sim.fingerprint_answers(sources, {"f": "def top_k(scores, seen, k):\n    raise NotImplementedError()\n"})


def test_a_renamed_reformatted_copy_is_flagged_and_an_independent_answer_is_not():
    pairs, stats = sim.compare(_class({"orig": ORIGINAL, "copy": DISGUISED, "own": INDEPENDENT}))
    flagged = {(p.a, p.b): p for p in pairs}
    assert ("copy", "orig") in flagged and flagged[("copy", "orig")].score == pytest.approx(1.0)
    assert not any("own" in key for key in flagged), flagged.keys()
    lines_a, lines_b = flagged[("copy", "orig")].cells["f"]
    assert {3, 5, 6} <= lines_a and {3, 5, 6} <= lines_b   # the shared lines, for the side-by-side view


def _long_function(name: str, rng, lines: int = 24, var: str = "v") -> str:
    ops = ["+", "-", "*", "/"]
    body = "\n".join(f"    {var}{j} = np.{rng.choice(['sqrt', 'abs', 'exp', 'log1p'])}(x {rng.choice(ops)} "
                     f"{int(rng.integers(2, 99))}) {rng.choice(ops)} len(y{j % 3})" for j in range(lines))
    return f"def {name}(x, y0, y1, y2):\n{body}\n    return {var}{lines - 1}\n"


def test_one_copied_task_is_flagged_among_honest_answers_to_the_others():
    """Two students share one long task (renamed) and wrote the other long task each their own way:
    the whole lab is under the threshold, the task alone is flagged, and only that task."""
    rng = np.random.default_rng(3)
    sources = {f"s{i:02d}": {"f": _long_function("f", rng), "g": _long_function("g", rng)} for i in range(12)}
    shared = _long_function("g", rng)
    sources["x"] = {"f": _long_function("f", rng), "g": shared}
    sources["y"] = {"f": _long_function("f", rng), "g": shared.replace("v", "w")}
    starters = {c: f"def {c}(x, y0, y1, y2):\n    raise NotImplementedError()\n" for c in "fg"}
    pairs, stats = sim.compare(sim.fingerprint_answers(sources, starters))
    assert [(p.a, p.b, p.flagged) for p in pairs] == [("x", "y", ["g"])]
    assert pairs[0].score < stats["threshold"] and pairs[0].tasks["g"] == pytest.approx(1.0)
    assert pairs[0].tasks.get("f", 0.0) < 0.1   # honest work in the other task: next to nothing shared


def test_a_short_task_written_the_same_way_is_not_a_task_flag():
    """Short answers coincide: a two-line task shared by a pair (and no one else) is no flag on its own."""
    rng = np.random.default_rng(4)
    sources = {f"s{i:02d}": {"f": _long_function("f", rng), "g": f"def g(x):\n    return np.sqrt(x) * {i + 2}\n"}
               for i in range(12)}
    short = "def g(x):\n    total = np.sum(np.abs(x)) / len(x)\n    return np.sqrt(total) + np.max(x) * 3\n"
    sources["x"] = {"f": _long_function("f", rng), "g": short}
    sources["y"] = {"f": _long_function("f", rng), "g": short}
    pairs, _ = sim.compare(sim.fingerprint_answers(sources, {}))
    assert not pairs


def test_starter_code_alone_is_never_a_flag():
    starter = "def top_k(scores, seen, k):\n    raise NotImplementedError()\n"
    pairs, _ = sim.compare(_class({"blank1": starter, "blank2": starter}))
    assert not pairs


def test_the_courses_independent_correct_answers_are_not_flagged_against_its_solution():
    """Every unusual-but-correct answer written independently of the lab's model solution is not
    flagged against it. Answers built from the lesson's own code (``# From lesson:``) are not
    independent of it (the solution and the lesson may share their code), nor are answers marked
    ``# Variant of the model solution:`` (one detail changed on purpose): a flag there is right."""
    for lab in lab_ids():
        source = read(lab_notebook(lab))
        solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                     if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
        for case in other_right_answers(lab):
            if case.source.splitlines()[1:2] and case.source.splitlines()[1].startswith(
                    ("# From lesson:", "# Variant of the model solution:")):
                continue
            answers = _class({"solution": solutions[case.function], "other": case.source})
            pairs, _ = sim.compare(answers)
            assert not [p for p in pairs if {p.a, p.b} == {"solution", "other"}], case.path.name


def test_the_measured_similarity_figures_are_current_and_quoted():
    """similarity_measured.json holds for the current settings, its figures are the ones the module
    and the instructor guide quote, no flag fell on independent answers, and one recorded lab,
    recomputed here (seconds), gives the recorded figures."""
    sys.path.insert(0, str(REPO / "tools"))
    import synthetic_class as sc

    recorded = json.loads(sc.MEASURED.read_text())
    assert recorded["settings"] == sc.settings(), "settings changed: re-record (see similarity.py)"
    assert all(run["total"]["independent_flags"] == 0 for run in recorded["runs"])
    assert len(recorded["runs"]) >= 3 and all(run["students"] >= 100 for run in recorded["runs"])
    sentence = sc.summary(recorded)
    for path in (REPO / "autograder" / "insight" / "similarity.py", REPO / "autograder" / "README.md"):
        assert sentence in " ".join(path.read_text().split()), f"{path} does not quote: {sentence}"
    short = recorded["lab00"]
    assert sc.lab00_sentence(short) in " ".join(sim.__doc__.split())
    now = sc.measure_in_memory(["lab00_orientation"], short["students"], short["copies"], short["seed"])
    assert now["labs"] == short["labs"]


def test_fingerprints_are_the_same_in_every_process():
    code = "import sys; sys.path.insert(0, %r); import similarity as s; print(sorted(s.fingerprints(s.normalise(%r))))"
    runs = {subprocess.run([sys.executable, "-c", code % (str(REPO / "autograder" / "insight"), ORIGINAL)],
                           capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1


# --------------------------------------------------------------------------- report


def test_discrimination_is_the_corrected_item_total_correlation():
    rng = np.random.default_rng(1)
    students = [f"s{i}" for i in range(30)]
    matrix = (rng.random((30, 4)) < np.linspace(0.3, 0.8, 30)[:, None]).astype(float) * [1, 2, 3, 2]
    cells = [report.CellStats(f"c{j}", f"Task {j}", p, "code", {s: matrix[i, j] for i, s in enumerate(students)})
             for j, p in enumerate([1, 2, 3, 2])]
    data = report.LabData("lab", "Lab", 8, cells, {s: float(matrix[i].sum()) for i, s in enumerate(students)})
    report.discrimination(data)
    for j, cell in enumerate(cells):
        rest = matrix.sum(axis=1) - matrix[:, j]
        assert cell.discrimination == pytest.approx(np.corrcoef(matrix[:, j], rest)[0, 1])


def test_failure_messages_group_by_their_gist():
    assert report.normalise_message("AssertionError: expected 0.631, found 0.5\nmore") == \
        report.normalise_message("AssertionError: expected 1.2e-3, found 7")


HOSTILE = "<script>document.body.setAttribute('data-pwned', 'yes')</script>"


def _hostile_lab() -> report.LabData:
    cell = report.CellStats("test_f", "Task 1 — f " + HOSTILE, 2.0, "code",
                            {"s1": 0.0, "s2": 2.0}, {"s1": "AssertionError: " + HOSTILE})
    data = report.LabData("lab_x", "Lab " + HOSTILE, 2.0, [cell], {"s1": 0.0, "s2": 2.0})
    data.runs = {"s1": {"flags": ["patches np.sqrt " + HOSTILE], "notes": [HOSTILE], "seconds": 1.0}}
    data.sources = {"s1": {"f": "def f():\n    return '" + HOSTILE + "'\n"}, "s2": {"f": "def f():\n    return 1\n"}}
    data.pairs = [sim.Pair("s1", "s2", 0.9, 9, {"f": ({2}, {2})}, {"f": 1.0}, ["whole lab", "f"])]
    data.similarity_stats = {"submissions": 2, "pairs_compared": 1, "threshold": 0.6}
    return data


def test_student_text_in_the_report_is_escaped():
    page = report.render(_hostile_lab())
    assert HOSTILE not in page and "<script" not in page.lower()
    assert page.count("&lt;script&gt;") >= 6
    assert "whole lab 90%, task <code>f</code> 100%" in page   # why the pair is flagged
    assert "Content-Security-Policy" in page and "Instructor only" in page


def test_what_a_student_controls_is_bounded_on_the_page():
    """A huge answer, a huge error message and a flood of grader flags quoting student code do not
    make the page huge: each is cut, and the page says what it left out."""
    data = _hostile_lab()
    huge = "x" * 1_000_000
    data.sources["s1"]["f"] = "def f():\n" + "\n".join(f"    y{i} = '{huge[:5000]}'" for i in range(2000))
    data.cells[0].messages["s1"] = "AssertionError: " + huge
    data.runs["s1"]["flags"] = [f"patches {huge}"] * 500
    data.runs["s1"]["notes"] = [huge] * 500
    page = report.render(data)
    assert len(page) < 400_000, len(page)
    assert "more lines not shown" in page and "more flags" in page and "more characters" in page


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _dom(path: Path, tmp_path: Path) -> str:
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (Debian: apt-get install chromium)")
def test_a_script_in_a_student_answer_does_not_run_in_a_browser(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report.render(_hostile_lab()))
    control = tmp_path / "control.html"   # the same script, unescaped: proves the browser would run it
    control.write_text(f"<!DOCTYPE html><html><body><p>x</p>{HOSTILE}</body></html>")
    assert 'data-pwned="yes"' in _dom(control, tmp_path)
    dom = _dom(page, tmp_path)
    assert 'data-pwned="yes"' not in dom and "Where the class struggled" in dom


def test_every_graded_cell_is_named_after_its_own_task():
    from course_data import task_titles

    for lab in lab_ids():
        nb = read(lab_notebook(lab))
        titles = task_titles(nb)
        headings = {line.lstrip("#").strip() for cell in nb.cells if cell.cell_type == "markdown"
                    for line in cell.source.splitlines() if re.match(r"^#+\s*Task\s+\d+", line)}
        assert set(titles.values()) == headings, (lab, sorted(headings - set(titles.values())))
