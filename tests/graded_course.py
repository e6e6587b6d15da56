"""One graded course for the grading tests: the instructor guide's commands, with their defaults.

The session fixture ``whole_course`` (tests/grading/conftest.py) calls :func:`grade_whole_course`,
which copies the course (its git files) to a scratch folder
and follows the guide exactly as written — ``make release-zip sample-submissions``, then
``make autograde``, ``make feedback``, ``make grades``, no ``LABS=`` — after adding, next to the
guide's four sample submissions per lab, the grading tests' own submissions: every sample wrong
answer and every unusual-but-correct answer, in *batches* (see :func:`batches`). So one ``make autograde`` run, on all cores, grades everything the
grading tests and the workflow test check, and the guide's commands are what is tested.

All tests that use it carry the ``xdist_group("whole-course")`` mark, so it runs once.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from course import (
    REPO,
    AnswerCase,
    identifiers,
    lab_ids,
    lab_notebook,
    other_right_answers,
    read,
    wrong_answers,
)
from submissions import submission_from_release, write_submission

GROUP = pytest.mark.xdist_group("whole-course")
SOLUTION, UNTOUCHED = "sample-complete", "sample-blank"  # the guide's own samples serve as both


@functools.cache
def batches(lab_id: str) -> dict[str, dict[str, AnswerCase]]:
    """Submission name → {function: case}.

    Batch i holds the i-th wrong case of every function. Each unusual-but-correct case then
    joins the first batch that has no case for its function and no wrong case of a graded
    function its code calls (a correct ``train_gan`` that calls the learner's own
    ``discriminator_loss`` must not meet a wrong ``discriminator_loss``); test cells call only
    their own function (test_lab_structure), so nothing else can couple two cases. A new batch
    opens only when no batch fits. Over the six labs this grades every case in 38 submissions
    instead of 41 (a separate batch per kind); lab 04 still needs 7, because ``train_gan`` has
    five wrong cases and two correct ones.
    """
    result: dict[str, dict[str, AnswerCase]] = {}
    seen: dict[str, int] = {}
    for case in wrong_answers(lab_id):
        seen[case.function] = seen.get(case.function, 0) + 1
        result.setdefault(f"case-batch-{seen[case.function]}", {})[case.function] = case
    for case in other_right_answers(lab_id):
        calls = identifiers(case.source) - {case.function}
        name = next((name for name, members in result.items() if case.function not in members
                     and not any(members[f].kind == "wrong" for f in calls if f in members)), None)
        if name is None:
            name = f"case-batch-{len(result) + 1}"
        result.setdefault(name, {})[case.function] = case
    return result


def batch_of(case: AnswerCase) -> str:
    return next(name for name, members in batches(case.lab_id).items() if members.get(case.function) == case)


@dataclass
class GradedCourse:
    folder: Path
    logs: dict[str, str] = field(default_factory=dict)
    scores: dict[tuple[str, str], dict[str, tuple[float, float]]] = field(default_factory=dict)

    @property
    def autograder(self) -> Path:
        return self.folder / "autograder"

    def release(self, lab_id: str) -> Path:
        return self.autograder / "release" / lab_id / f"{lab_id}.ipynb"


def graded_labs() -> list[str]:
    """The labs the grading tests grade: every lab, unless ``CREATIVE_AI_GRADING_LABS`` names some
    (comma-separated), an author's quick check of one lab's corpus. CI never sets it."""
    only = [lab for lab in os.environ.get("CREATIVE_AI_GRADING_LABS", "").split(",") if lab]
    unknown = set(only) - set(lab_ids())
    if unknown:
        raise ValueError(f"CREATIVE_AI_GRADING_LABS names no lab {sorted(unknown)}; labs are {lab_ids()}")
    return only or lab_ids()


def copy_course(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


def make(course: Path, *targets: str, timeout: int = 3600) -> str:
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "SETUP=", *targets], cwd=course,
                            capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"make {' '.join(targets)} failed:\n{output[-5000:]}"
    return output


def grade_whole_course(folder: Path) -> GradedCourse:
    graded = GradedCourse(copy_course(folder))
    narrowed = [] if graded_labs() == lab_ids() else [f"LABS={' '.join(graded_labs())}"]
    graded.logs["release"] = make(graded.folder, "release-zip", "sample-submissions", *narrowed)
    for lab in graded_labs():
        release_nb, source_nb = read(graded.release(lab)), read(lab_notebook(lab))
        for student, cases in batches(lab).items():
            replace = {function: case.source for function, case in cases.items()}
            write_submission(submission_from_release(release_nb, source_nb, replace=replace), graded.autograder,
                             student, lab)
    graded.logs["autograde"] = make(graded.folder, "autograde", *narrowed)
    graded.logs["feedback"] = make(graded.folder, "feedback", *narrowed)
    graded.logs["grades"] = make(graded.folder, "grades")

    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(graded.autograder / "gradebook.db"), course_id="creative-ai") as gradebook:
        for lab in graded_labs():
            for submission in gradebook.assignment_submissions(lab):
                for notebook in submission.notebooks:
                    graded.scores[(lab, submission.student.id)] = {
                        grade.name: (float(grade.score), float(grade.max_score)) for grade in notebook.grades
                    }
    return graded
