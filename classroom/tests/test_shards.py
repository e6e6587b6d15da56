"""Grading beyond one machine: `make autograde SHARD=K/N` (issue 21).

Two copies of the course get the same collected submissions of lab 00 (the guide's four
samples: complete, blank, two with one mistake). One grades them with one `make autograde`; the
other with four `make autograde SHARD=k/4` runs (as four machines would, sharing the course
folder), then one plain `make autograde` that records the shards' results. The shards never
grade a submission twice, leave the gradebook alone, and the merge grades nothing again; both
gradebooks export the same grades.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from graded_course import copy_course, make  # noqa: E402

LAB = "lab00_orientation"


def grades(course: Path) -> dict:
    make(course, "grades")
    rows = csv.DictReader(open(course / "autograder" / "grades.csv"))
    return {r["student_id"]: (r["score"], r["max_score"]) for r in rows if r["assignment"] == LAB}


@pytest.mark.timeout(3600)
def test_four_shards_equal_one_run(tmp_path):
    one, sharded = copy_course(tmp_path / "one"), tmp_path / "sharded"
    make(one, "sample-submissions", f"LABS={LAB}")
    shutil.copytree(one, sharded, symlinks=True)
    make(one, "autograde", f"LABS={LAB}")

    graded_by = {}
    for k in range(1, 5):
        out = make(sharded, "autograde", f"SHARD={k}/4", f"LABS={LAB}")
        assert re.search(rf"Shard {k}/4: \d+ of 4 submissions", out), out[-2000:]
        runs = sharded / "autograder" / "runs" / LAB
        for folder in runs.iterdir() if runs.exists() else []:
            graded_by.setdefault(folder.name, k)
        count = int(re.search(rf"Shard {k}/4: (\d+) of 4", out).group(1))
        assert sum(1 for shard in graded_by.values() if shard == k) == count  # graded only its own
    assert sorted(graded_by) == ["sample-blank", "sample-complete", "sample-mistake-1", "sample-mistake-2"]
    # The shards did not write the gradebook: no submission is recorded yet.
    db = subprocess.run([sys.executable, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
                         ".execute('select count(*) from submitted_assignment').fetchone()[0])",
                         str(sharded / "autograder" / "gradebook.db")], capture_output=True, text=True)
    assert db.stdout.strip() == "0", db
    merged = make(sharded, "autograde", f"LABS={LAB}")
    assert "4 submissions in 1 lab(s); 4 already graded; grading 0" in merged, merged[-2000:]
    expected = grades(one)
    assert grades(sharded) == expected
    assert float(expected["sample-complete"][0]) > float(expected["sample-mistake-1"][0]) > float(
        expected["sample-blank"][0]) == 0  # written answers are still ungraded: 0 of their points
