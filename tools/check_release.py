"""Check that student releases hold only what students need (`make release` runs this).

A release folder ``autograder/release/<lab>/`` and its zip ``autograder/<lab>-student.zip`` may
contain only the files of ``course_layout.release_allow_list`` (today: the student notebook),
and the notebook must carry no solution, no hidden test and no output. Anything else — sample
answers, caches, a stray solution file — fails the release with the list of offending files.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

if __name__ == "__main__":  # run by the Makefile: skip a 3 s import nbformat never uses
    sys.modules.setdefault("rfc3987_syntax", None)  # (see autograder/grader/nbgrader_main.py)

import nbformat
from course_layout import REPO, release_allow_list

SECRETS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def notebook_problems(text: str, where: str) -> list[str]:
    problems = [f"{where} contains {marker!r}" for marker in SECRETS if marker in text]
    nb = nbformat.reads(text, as_version=4)
    if any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"):
        problems.append(f"{where} contains cell outputs")
    return problems


def check_folder(course: Path, lab: str) -> list[str]:
    folder = course / "release" / lab
    if not folder.is_dir():
        return [f"{folder} does not exist: run `make release`"]
    allowed = release_allow_list(lab)
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    problems = [f"{folder}/{name} is not allowed in a student release" for name in sorted(found - allowed)]
    problems += [f"{folder}/{name} is missing" for name in sorted(allowed - found)]
    for name in sorted(found & allowed):
        if name.endswith(".ipynb"):
            problems += notebook_problems((folder / name).read_text(), f"{folder}/{name}")
    return problems


def check_zip(course: Path, lab: str) -> list[str]:
    path = course / f"{lab}-student.zip"
    if not path.is_file():
        return [f"{path} does not exist: run `make release-zip`"]
    allowed = {f"{lab}/{name}" for name in release_allow_list(lab)}
    with zipfile.ZipFile(path) as archive:
        found = {info.filename for info in archive.infolist() if not info.is_dir()}
        problems = [f"{path} contains {name}, which is not allowed" for name in sorted(found - allowed)]
        problems += [f"{path} lacks {name}" for name in sorted(allowed - found)]
        for name in sorted(found & allowed):
            if name.endswith(".ipynb"):
                problems += notebook_problems(archive.read(name).decode(), f"{path}:{name}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="+")
    parser.add_argument("--zips", action="store_true", help="check the zips too")
    parser.add_argument("--course", type=Path, default=REPO / "autograder")
    args = parser.parse_args(argv)
    problems = []
    for lab in args.labs:
        problems += check_folder(args.course, lab)
        if args.zips:
            problems += check_zip(args.course, lab)
    if problems:
        print("Release check FAILED — students must not receive these:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"Release check passed: {len(args.labs)} lab(s) hold only the student notebook, with no solutions, "
          "hidden tests or outputs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
