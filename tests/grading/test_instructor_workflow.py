"""The instructor guide, followed literally with its defaults, on the whole course.

The ``whole_course`` fixture (tests/graded_course.py) ran the guide's commands exactly as written
— `make release-zip sample-submissions`, `make autograde`, `make feedback`, `make grades`, no
`LABS=` — in a copy of the course. Here: the autograding summary and the grades CSV cover every
lab with the right relations between the sample submissions, every release and zip holds only
what students need, and no feedback page shows hidden tests. A last test plants a forbidden file
in a lab folder and checks that `make release-zip` refuses it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from course import hidden_test_lines, lab_ids, lab_notebook, read
from graded_course import GROUP, copy_course

pytestmark = [pytest.mark.grading]
SAMPLES = {"sample-complete", "sample-blank", "sample-mistake-1", "sample-mistake-2"}


@GROUP
def test_guide_with_defaults_grades_every_lab(whole_course):
    labs = lab_ids()
    log = whole_course.logs["autograde"]
    for lab in labs:
        line = next((row for row in log.splitlines() if row.startswith(f"| {lab} |")), "")
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert line and cells[1] == cells[2] and cells[3] == "0", f"the summary of {lab} is wrong:\n{log[-3000:]}"
    assert "Release check passed" in whole_course.logs["release"]
    with open(whole_course.autograder / "grades.csv") as handle:
        rows = list(csv.DictReader(handle))
    by_lab = {}
    for row in rows:
        by_lab.setdefault(row["assignment"], {})[row["student_id"]] = float(row["score"])
    assert sorted(by_lab) == labs, f"grades.csv covers {sorted(by_lab)}, the course has {labs}"
    for lab, grades in by_lab.items():
        assert SAMPLES <= set(grades), (lab, sorted(grades))
        assert grades["sample-blank"] == 0 and grades["sample-complete"] > 0, (lab, grades)
        for mistake in ("sample-mistake-1", "sample-mistake-2"):
            assert 0 < grades[mistake] < grades["sample-complete"], (lab, grades)
    for lab in labs:
        hidden = hidden_test_lines(read(lab_notebook(lab)))
        pages = list((whole_course.autograder / "feedback").glob(f"*/{lab}/*.html"))
        assert {page.parent.parent.name for page in pages} >= SAMPLES, f"feedback missing for {lab}"
        for page in pages:
            html = page.read_text()
            shown = [line for line in hidden if line in html]
            assert "HIDDEN TESTS" not in html and not shown, f"{page} shows hidden tests: {shown[:3]}"


@GROUP
def test_releases_and_zips_hold_only_the_student_notebooks(whole_course):
    for lab in lab_ids():
        folder = whole_course.autograder / "release" / lab
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [f"{lab}.ipynb"]
        with zipfile.ZipFile(whole_course.autograder / f"{lab}-student.zip") as archive:
            assert sorted(n for n in archive.namelist() if not n.endswith("/")) == [f"{lab}/{lab}.ipynb"]


def test_release_refuses_anything_but_the_student_notebook(tmp_path):
    course = copy_course(tmp_path / "course")
    lab = lab_ids()[0]
    (course / "labs" / lab / "right_answers").mkdir()
    (course / "labs" / lab / "right_answers" / "solution.py").write_text("def answer(): ...\n")
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "SETUP=", "release-zip", f"LABS={lab}"],
                            cwd=course, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0 and "right_answers/solution.py" in result.stderr, result.stderr[-2000:]
