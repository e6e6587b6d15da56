"""`make autograde`'s program: parallel equals sequential, and an interrupted run resumes.

* The same submissions graded in parallel (`cli.py --workers 2`) and sequentially by plain
  `nbgrader autograde` (which runs the same sandboxed grader, one notebook at a time) give the
  same score for every test cell of every student.
* A run interrupted (Ctrl-C) after some submissions is resumed by running it again: finished
  submissions are not graded again (their stored results are untouched), and the gradebook ends
  exactly as in an uninterrupted run — nothing lost, nothing counted twice.

The submissions mix correct, wrong, blank, looping and crashing work, so the equality covers
time-outs and restarts, not only clean runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from course import REPO, lab_notebook, read, wrong_answers
from course_layout import nbgrader_command
from submissions import scratch_course, submission_from_release, write_submission

pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("autograde-runs")]

LAB = "lab00_orientation"
CLI = REPO / "autograder" / "grader" / "cli.py"
NBGRADER = str(Path(sys.executable).parent / "nbgrader")  # plain nbgrader: the sequential reference
GENERATE = [*nbgrader_command(), "generate_assignment"]  # as make does


def _submissions(release, source) -> dict:
    subs = {"complete": submission_from_release(release, source), "blank": release}
    for index, case in enumerate(wrong_answers(LAB)[:4]):
        subs[f"wrong-{index}"] = submission_from_release(release, source, replace={case.function: case.source})
    # loops until the cell's limit; sleeping, not spinning: the limit is on wall time, and this
    # module runs beside the whole-course grading, which needs the cores (3 runs x 10 s)
    looping = submission_from_release(release, source, replace={
        "conditional_rates": "def conditional_rates(t):\n    import time\n    while True:\n        time.sleep(0.05)\n"})
    subs["looping"] = looping
    crashing = submission_from_release(release, source)
    crashing.cells.insert(8, nbformat.v4.new_code_cell("import os\nos._exit(3)"))
    subs["crashing"] = crashing
    return subs


def _course(root: Path) -> Path:
    course = scratch_course(root)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.SandboxedExecute.cell_timeout = 10\n")
    subprocess.run([*GENERATE, LAB, "--force"], cwd=course, check=True, capture_output=True)
    release = nbformat.read(course / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    for student, nb in _submissions(release, read(lab_notebook(LAB))).items():
        write_submission(nb, course, student, LAB)
    return course


def _grades(course: Path) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(course / "gradebook.db"), course_id="creative-ai") as gradebook:
        return {
            (sub.student.id, grade.name): float(grade.score)
            for sub in gradebook.assignment_submissions(LAB)
            for nb in sub.notebooks for grade in nb.grades
        }


def _cli(course: Path, workers: int, **kwargs):
    return subprocess.Popen([sys.executable, str(CLI), "autograde", "--course", str(course), "--workers",
                             str(workers), LAB], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=os.environ.copy(), **kwargs)


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    course = _course(tmp_path_factory.mktemp("sequential"))
    result = subprocess.run([NBGRADER, "autograde", LAB, "--force"], cwd=course, capture_output=True, text=True,
                            timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    return _grades(course)


def test_parallel_equals_sequential(tmp_path, sequential):
    course = _course(tmp_path)
    process = _cli(course, workers=2)
    output, _ = process.communicate(timeout=1200)
    assert process.returncode == 0, output[-3000:]
    parallel = _grades(course)
    assert parallel == sequential
    assert sequential[("complete", "test_country_shares")] == 3 and sequential[("blank", "test_country_shares")] == 0
    assert sequential[("looping", "test_conditional_rates")] == 0 and sequential[("looping", "test_country_shares")] == 3
    # The crash comes before the plotting task: its cells still earn their full points (1 + 0.5 + 0.5).
    assert [sequential[("crashing", f"test_plot_country_shares{part}")] for part in ("", "__labels", "__given_axes")] \
        == [1, 0.5, 0.5]


def test_interrupted_run_resumes_without_regrading(tmp_path, sequential):
    course = _course(tmp_path)
    runs = course / "runs" / LAB
    process = _cli(course, workers=1, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(list(runs.glob("*/*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=120)
    done_before = {p: p.stat().st_mtime_ns for p in runs.glob("*/*.json")}
    assert len(done_before) >= 2, f"{len(done_before)} results stored before the interrupt"
    # (All 8 stored means SIGINT was ignored: a run started from a background job inherits
    # SIGINT ignored, and the CLI must restore it.)
    assert len(done_before) < 8, "the interrupt did not stop grading: every submission was graded"
    again = _cli(course, workers=2)
    output, _ = again.communicate(timeout=1200)
    assert again.returncode == 0, output[-3000:]
    assert f"{len(done_before)} already graded" in output, output[:2000]
    for path, stamp in done_before.items():
        assert path.stat().st_mtime_ns == stamp, f"{path.parent.name} was graded again"
    assert _grades(course) == sequential


def test_unsandboxed_grading_works_and_says_so(tmp_path):
    course = scratch_course(tmp_path)
    subprocess.run([*GENERATE, LAB, "--force"], cwd=course, check=True, capture_output=True)
    release = nbformat.read(course / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    write_submission(submission_from_release(release, read(lab_notebook(LAB))), course, "complete", LAB)
    write_submission(release, course, "blank", LAB)
    result = subprocess.run([sys.executable, str(CLI), "autograde", "--course", str(course), LAB],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CREATIVE_AI_SANDBOX": "none"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert output.count("GRADING IS NOT SANDBOXED") == 1 and "(none sandbox" in output, output[-3000:]
    assert "!! Network: student code " in output  # says whether the fallback could cut the network
    grades = _grades(course)
    assert grades[("complete", "test_country_shares")] == 3 and grades[("blank", "test_country_shares")] == 0
