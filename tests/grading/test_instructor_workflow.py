"""The instructor guide, followed literally with its defaults, on the whole course.

Runs the guide's step 0 and release steps exactly as written — `make sample-submissions`,
`make autograde`, `make feedback`, `make grades`, `make release-zip`, with no `LABS=` — in a copy of
the course, and checks the grades CSV covers every lab, the releases and zips hold only what
students need, and no feedback page shows hidden tests.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from course import REPO, hidden_test_lines, lab_ids, lab_notebook, read

pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("workflow")]


def _copy_course(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


def _make(course: Path, target: str, timeout: int = 1800) -> str:
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "SETUP=", target], cwd=course,
                            capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
    assert result.returncode == 0, f"make {target} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def test_guide_with_defaults_grades_every_lab(tmp_path):
    course = _copy_course(tmp_path / "course")
    labs = lab_ids()
    _make(course, "sample-submissions")
    log = _make(course, "autograde")
    for lab in labs:
        assert f"| {lab} | 4 | 4 | 0 |" in log, f"the summary does not show 4 graded submissions of {lab}:\n{log[-3000:]}"
    _make(course, "feedback")
    _make(course, "grades")
    with open(course / "autograder" / "grades.csv") as handle:
        rows = list(csv.DictReader(handle))
    by_lab = {}
    for row in rows:
        by_lab.setdefault(row["assignment"], {})[row["student_id"]] = float(row["score"])
    assert sorted(by_lab) == labs, f"grades.csv covers {sorted(by_lab)}, the course has {labs}"
    for lab, grades in by_lab.items():
        assert set(grades) == {"sample-complete", "sample-blank", "sample-mistake-1", "sample-mistake-2"}, grades
        assert grades["sample-blank"] == 0 and grades["sample-complete"] > 0, (lab, grades)
        for mistake in ("sample-mistake-1", "sample-mistake-2"):
            assert 0 < grades[mistake] < grades["sample-complete"], (lab, grades)
    feedback = list((course / "autograder" / "feedback").rglob("*.html"))
    assert len(feedback) == 4 * len(labs)
    for lab in labs:
        hidden = hidden_test_lines(read(lab_notebook(lab)))
        for page in (course / "autograder" / "feedback").glob(f"*/{lab}/*.html"):
            html = page.read_text()
            shown = [line for line in hidden if line in html]
            assert "HIDDEN TESTS" not in html and not shown, f"{page} shows hidden tests: {shown[:3]}"


def test_release_zip_holds_only_the_student_notebooks(tmp_path):
    course = _copy_course(tmp_path / "course")
    _make(course, "release-zip")
    for lab in lab_ids():
        folder = course / "autograder" / "release" / lab
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [f"{lab}.ipynb"]
        with zipfile.ZipFile(course / "autograder" / f"{lab}-student.zip") as archive:
            assert sorted(n for n in archive.namelist() if not n.endswith("/")) == [f"{lab}/{lab}.ipynb"]
    # the check catches what must never ship: a sample answer dropped into a lab folder
    lab = lab_ids()[0]
    (course / "labs" / lab / "right_answers").mkdir()
    (course / "labs" / lab / "right_answers" / "solution.py").write_text("def answer(): ...\n")
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "SETUP=", "release-zip", f"LABS={lab}"],
                            cwd=course, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0 and "right_answers/solution.py" in result.stderr, result.stderr[-2000:]
