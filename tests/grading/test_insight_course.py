"""`make report` and `make grades FORMAT=...` as the instructor guide writes them, on the graded course.

The ``whole_course`` fixture (tests/graded_course.py) graded every lab's sample submissions and
answer batches with the guide's commands; these tests only read what that stored (nothing is
graded again), so they cost seconds.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest
from graded_course import GROUP, graded_labs

pytestmark = [pytest.mark.grading]


def _make(course, *args: str) -> subprocess.CompletedProcess:
    from pathlib import Path

    venv = Path(sys.executable).parent.parent
    return subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "SETUP=", *args], cwd=course,
                          capture_output=True, text=True, timeout=900)


@GROUP
def test_make_report_builds_a_page_per_lab(whole_course):
    result = _make(whole_course.folder, "report")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for lab in graded_labs():
        page = whole_course.autograder / "reports" / f"{lab}.html"
        html = page.read_text()
        assert "Instructor only" in html and "Where the class struggled" in html, lab
        assert "<script" not in html.lower() and 'src="data:image/png;base64,' in html
        assert page.stat().st_size < 3_000_000, f"{page} is {page.stat().st_size} bytes"
        # the guide's sample mistakes lose points in the report as in the gradebook
        assert re.search(r"sample-mistake-1", html), lab
        # the samples are all built from the model solution: the flags must see it
        assert re.search(r"sample-complete</code> ~ <code>sample-mistake-[12]|sample-mistake-1</code> ~ "
                         r"<code>sample-mistake-2", html), f"{lab}: samples built from one solution not flagged"
        assert "whole lab" in html, f"{lab}: a flagged pair does not say why it is flagged"


@GROUP
def test_make_grades_for_each_platform_matches_nbgraders_export(whole_course, tmp_path):
    with open(whole_course.autograder / "grades.csv") as handle:
        nbgrader = {(row["student_id"], row["assignment"]): float(row["score"]) for row in csv.DictReader(handle)}
    students = sorted({student for student, _ in nbgrader})
    left_out, roster = students[0], students[1:] + ["never-submitted"]
    path = tmp_path / "roster.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "canvas_id", "email", "username"])
        for number, student in enumerate(roster, start=1):
            writer.writerow([student, f"Sample, {student}", 1000 + number, f"{student}@example.edu", student])
    sys.path.insert(0, str(whole_course.folder / "autograder" / "insight"))
    import grades_export as gx

    readers = {"canvas": (gx.read_canvas, lambda s: str(1000 + roster.index(s) + 1)),
               "moodle": (gx.read_moodle, lambda s: f"{s}@example.edu"),
               "blackboard": (gx.read_blackboard, lambda s: s)}
    for fmt, (reader, key) in readers.items():
        result = _make(whole_course.folder, "grades", f"FORMAT={fmt}", f"ROSTER={path}")
        assert result.returncode == 0, result.stderr[-3000:]
        assert left_out in result.stdout and "NOT in the roster" in result.stdout, result.stdout
        assert "never-submitted" in result.stdout
        parsed = reader((whole_course.autograder / f"grades-{fmt}.csv").read_text())["students"]
        for student in roster:
            row = parsed[key(student)]
            assert sorted(row) == graded_labs(), (fmt, sorted(row))
            assert row == {lab: nbgrader.get((student, lab), 0.0) for lab in graded_labs()}, (fmt, student)
        assert len(parsed) == len(roster), (fmt, sorted(parsed))   # the left-out student is reported, not written
