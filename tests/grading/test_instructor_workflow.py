"""The instructor guide, followed literally on sample submissions, ends in a grades CSV.

Runs the guide's step 0 (`make sample-submissions`, `make autograde`, `make feedback`,
`make grades`) in a copy of the course, on the first lab only to keep the suite fast.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from course import REPO, hidden_test_lines, lab_ids, lab_notebook, read

pytestmark = pytest.mark.grading


def test_guide_step_zero_produces_grades_csv(tmp_path):
    course = tmp_path / "course"
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (REPO / name).is_file():
            (course / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, course / name)
    lab = lab_ids()[0]
    venv = Path(sys.executable).parent.parent
    make = ["make", "--no-print-directory", f"VENV={venv}", "SETUP=", f"LABS={lab}"]
    for target in ["sample-submissions", "autograde", "feedback", "grades"]:
        result = subprocess.run([*make, target], cwd=course, capture_output=True, text=True, timeout=600,
                                env=os.environ.copy())
        assert result.returncode == 0, f"make {target} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    with open(course / "autograder" / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"sample-complete", "sample-blank", "sample-mistake-1", "sample-mistake-2"}
    complete, blank = float(rows["sample-complete"]["score"]), float(rows["sample-blank"]["score"])
    max_score = float(rows["sample-complete"]["max_score"])
    assert blank == 0 and 0 < complete < max_score  # written answers wait for a person
    for mistake in ("sample-mistake-1", "sample-mistake-2"):
        assert 0 < float(rows[mistake]["score"]) < complete
    feedback = list((course / "autograder" / "feedback").rglob("*.html"))
    assert len(feedback) == 4
    hidden = hidden_test_lines(read(lab_notebook(lab)))
    for page in feedback:
        html = page.read_text()
        shown = [line for line in hidden if line in html]
        assert "HIDDEN TESTS" not in html and not shown, f"{page.name} shows hidden tests: {shown[:3]}"
