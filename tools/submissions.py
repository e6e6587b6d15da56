"""Build student submissions from a lab's release: used by the tests and by the instructor's
`make sample-submissions` (sample work to practise the grading workflow on).

A submission is the student release with answer cells filled in: from the lab source (a
correct answer), or from a file in ``tests/grading/<lab>/wrong_answers`` / ``right_answers``
(sample answers live with the grading tests, never next to the lab sources nbgrader releases).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

if __name__ == "__main__":  # run by the Makefile: skip a 3 s import nbformat never uses
    sys.modules.setdefault("rfc3987_syntax", None)  # (see autograder/grader/nbgrader_main.py)

import nbformat

REPO = Path(__file__).resolve().parents[1]
WRITTEN_ANSWER = "A sample written answer, to be graded by hand by the instructor."
_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def strip_solution_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def submission_from_release(release_nb, source_nb, replace: dict[str, str] | None = None):
    """Return a copy of ``release_nb`` with every answer cell filled in.

    Code answer cells get the source notebook's solution (markers removed) unless
    ``replace`` maps their grade id to other code; written answers get a sample text.
    """
    solutions = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in source_nb.cells}
    submission = nbformat.from_dict(release_nb)
    for cell in submission.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        grade_id = meta["grade_id"]
        if cell.cell_type == "markdown":
            cell.source = WRITTEN_ANSWER
        elif replace and grade_id in replace:
            cell.source = replace[grade_id]
        else:
            cell.source = strip_solution_markers(solutions[grade_id])
    return submission


def scratch_course(root: Path) -> Path:
    """Set up a private nbgrader course under ``root`` (for tests and benchmarks).

    It uses the course's own nbgrader configuration and reads the lab sources through a link
    to ``labs/``, so grading there never touches ``autograder/`` in the checkout. Returns the
    course folder (run nbgrader from it).
    """
    course = Path(root) / "autograder"
    course.mkdir(parents=True)
    for name in ("nbgrader_config.py", "feedback_preprocessors.py", "formgrader_security.py", "export_plugins.py"):
        shutil.copy(REPO / "autograder" / name, course / name)
    (course / "grader").symlink_to(REPO / "autograder" / "grader")
    (course / "insight").symlink_to(REPO / "autograder" / "insight")   # csv_cells, for `nbgrader export`
    (Path(root) / "labs").symlink_to(REPO / "labs")
    return course


def write_submission(nb, course: Path, student: str, lab_id: str) -> Path:
    folder = course / "submitted" / student / lab_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lab_id}.ipynb"
    nbformat.write(nb, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="+", help="lab ids, e.g. lab00_orientation")
    parser.add_argument("--course", type=Path, default=REPO / "autograder")
    args = parser.parse_args()
    for lab_id in args.labs:
        release = args.course / "release" / lab_id / f"{lab_id}.ipynb"
        if not release.exists():
            raise SystemExit(f"{release} does not exist: run `make release` first")
        release_nb = nbformat.read(release, as_version=4)
        source_nb = nbformat.read(REPO / "labs" / lab_id / f"{lab_id}.ipynb", as_version=4)
        write_submission(submission_from_release(release_nb, source_nb), args.course, "sample-complete", lab_id)
        write_submission(release_nb, args.course, "sample-blank", lab_id)
        mistakes = sorted((REPO / "tests" / "grading" / lab_id / "wrong_answers").glob("*.py"))[:2]
        for index, path in enumerate(mistakes, start=1):
            function = path.stem.split("__")[0]
            nb = submission_from_release(release_nb, source_nb, replace={function: path.read_text()})
            write_submission(nb, args.course, f"sample-mistake-{index}", lab_id)
        print(f"{lab_id}: sample submissions for sample-complete, sample-blank and "
              f"{len(mistakes)} with one mistake each, in {args.course / 'submitted'}")


if __name__ == "__main__":
    main()
