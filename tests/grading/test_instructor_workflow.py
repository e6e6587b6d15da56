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
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import browser
import pytest
from course import hidden_test_lines, lab_ids, lab_notebook, read
from graded_course import GROUP, copy_course
from submissions import WRITTEN_ANSWER

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


@GROUP
def test_formgrader_from_the_guide_shows_a_graded_submission(whole_course):
    """`make formgrader`, the guide's command, serves formgrader on the course's gradebook.

    Run in the graded copy of the course exactly as the guide says (plus a port and a token):
    the submission page of a graded sample shows its written answer and its scores, with the
    hardening of formgrader_security.py, and no gradebook appears in the course root.
    """
    port, token = browser.free_port(), "guide-formgrader"
    venv = Path(sys.executable).parent.parent
    command = ["make", "--no-print-directory", f"VENV={venv}", "SETUP=", "formgrader",
               "FORMGRADER_FLAGS=" + " ".join(browser.server_flags(port, token))]
    server = browser.Server(command, whole_course.folder, port, token)
    try:
        lab = lab_ids()[0]
        status, _, body = server.get(f"/formgrader/api/submitted_notebooks/{lab}/{lab}")
        assert status == 200, body[:2000]
        submissions = {entry["student"]: entry for entry in json.loads(body)}
        assert {"sample-complete", "sample-blank"} <= set(submissions), sorted(submissions)
        complete = submissions["sample-complete"]
        assert complete["code_score"] == complete["max_code_score"] > 0, complete
        status, headers, page = server.get(f"/formgrader/submissions/{complete['id']}/")
        assert status == 200 and WRITTEN_ANSWER.strip()[:40] in page, page[:2000]
        assert 'class="score' in page and "script-src" in headers.get("Content-Security-Policy", "")
    finally:
        log = server.output()
        server.stop()
    assert "formgrader_security" in log and "No nbgrader_config.py" not in log, log[-3000:]
    assert not (whole_course.folder / "gradebook.db").exists(), "a stray gradebook appeared in the course root"
