"""The self-study edition: `make self-study`, `make check LAB=<lab>`, `make solution LAB=<lab>`.

A learner working alone gets what an instructor's student gets, with no instructor:

* ``setup`` (`make self-study`) releases every lab with nbgrader, exactly as `make release` does
  but into a private course folder ``my-labs/.grading/`` (its own gradebook), checks each release
  with tools/check_release.py, and copies the student version to ``my-labs/<lab>/<lab>.ipynb`` —
  only where the learner has no copy yet: work already started is never overwritten.
* ``check LAB`` grades the learner's saved notebook as a submission of the student ``me``: the
  same sandboxed grader as `make autograde` (autograder/grader/cli.py: student code in the
  sandbox, hidden tests in the trusted judge), then nbgrader's feedback with the course's
  settings (no hidden test shown, every student-written thing sanitised). It prints the points per
  task and a progress table across labs, and copies the feedback page to
  ``my-labs/<lab>/feedback.html``.
* ``solution LAB`` writes the worked solution (the lab source without its hidden tests and
  outputs) to ``my-labs/<lab>/<lab>-solution.ipynb`` — only once ``check`` has graded an attempt.

``my-labs/`` is git-ignored. ``--home`` (or the Makefile's ``MY_LABS``) puts it elsewhere.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from check_release import check_folder  # noqa: E402
from course_layout import REPO, lab_ids, lab_notebook, nbgrader_command  # noqa: E402

# nbgrader runs helper programs (alembic) from the environment: put it first on PATH, as the Makefile does.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
STUDENT = "me"
GRADING = ".grading"
PYTHON = sys.executable
NBGRADER_MAIN = nbgrader_command(PYTHON)  # nbgrader's own command line, as the Makefile starts it

CONFIG = '''"""nbgrader configuration of a self-learner's private course (written by tools/self_study.py).

The course's own configuration (autograder/nbgrader_config.py: the sandboxed grader, its limits,
the feedback that never shows hidden tests, the HTML sanitiser), with this folder as the course
root and its own gradebook, so a learner's grades never mix with an instructor's.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
load_subconfig({course_config!r})  # noqa: F821
c = get_config()  # noqa: F821
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = {labs!r}
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.Exchange.root = os.path.join(HERE, "exchange")
'''


class SelfStudy:
    def __init__(self, home: Path):
        self.home = home.resolve()
        self.course = self.home / GRADING

    # ------------------------------------------------------------------ the private course
    def prepare(self) -> None:
        (self.course / "exchange").mkdir(parents=True, exist_ok=True)  # unused, but nbgrader wants it
        config = CONFIG.format(course_config=str(REPO / "autograder" / "nbgrader_config.py"),
                               labs=str(REPO / "labs"))
        path = self.course / "nbgrader_config.py"
        if not path.is_file() or path.read_text() != config:
            path.write_text(config)

    def release(self, lab: str) -> Path:
        """The student version of ``lab`` in the private course (nbgrader generate_assignment),
        regenerated when the lab source changed since; checked like `make release`."""
        self.prepare()
        released = self.course / "release" / lab / f"{lab}.ipynb"
        source = lab_notebook(lab)
        if not released.is_file() or released.stat().st_mtime < source.stat().st_mtime or not self._in_gradebook(lab):
            done = self.api().generate_assignment(lab, force=True)  # what `make release` runs
            if not done.get("success"):
                raise SystemExit(f"nbgrader could not generate the student version of {lab}:\n"
                                 f"{(done.get('log', '') + done.get('error', ''))[-3000:]}")
        problems = check_folder(self.course, lab)
        if problems:
            raise SystemExit("The student version is not safe to hand out:\n  " + "\n  ".join(problems))
        return released

    def api(self):
        """nbgrader's own API on the private course (one process for every lab)."""
        if getattr(self, "_api", None) is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory
            from traitlets.config.loader import PyFileConfigLoader

            config = PyFileConfigLoader("nbgrader_config.py", path=str(self.course)).load_config()
            self._api = NbGraderAPI(CourseDirectory(config=config), config=config)
        return self._api

    def _in_gradebook(self, lab: str) -> bool:
        from nbgrader.api import Gradebook, MissingEntry

        db = self.course / "gradebook.db"
        if not db.is_file():
            return False
        with Gradebook(f"sqlite:///{db}", "creative-ai") as gradebook:
            try:
                gradebook.find_assignment(lab)
                return True
            except MissingEntry:
                return False

    def mine(self, lab: str) -> Path:
        return self.home / lab / f"{lab}.ipynb"

    # ------------------------------------------------------------------ make self-study
    def setup(self, labs: list[str]) -> int:
        made, kept = [], []
        for lab in labs:
            released = self.release(lab)
            target = self.mine(lab)
            if target.exists():
                kept.append(lab)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(released, target)
            made.append(lab)
        for lab in made:
            print(f"  new:  {self.mine(lab).relative_to(Path.cwd()) if self.mine(lab).is_relative_to(Path.cwd()) else self.mine(lab)}")
        for lab in kept:
            print(f"  kept: {self.mine(lab)} (your work; delete the folder to start the lab again)")
        print("Your labs are in", self.home, "— open them with `make lab`; grade one with `make check LAB=<lab>`.")
        return 0

    # ------------------------------------------------------------------ make check
    def check(self, lab: str) -> int:
        notebook = self.mine(lab)
        if not notebook.is_file():
            raise SystemExit(f"{notebook} does not exist: run `make self-study` first.")
        try:
            nbformat.read(notebook, as_version=4)
        except Exception as error:
            raise SystemExit(f"{notebook} is not a readable notebook ({type(error).__name__}: {error}). "
                             "Open it in JupyterLab and save it again, or delete its folder and run "
                             "`make self-study` to start afresh.") from None
        self.release(lab)
        submitted = self.course / "submitted" / STUDENT / lab
        if submitted.exists():
            shutil.rmtree(submitted)
        submitted.mkdir(parents=True)
        shutil.copyfile(notebook, submitted / f"{lab}.ipynb")
        print(f"Grading {notebook} with the hidden tests (the instructor's sandboxed grader)...", flush=True)
        graded = subprocess.run([PYTHON, str(REPO / "autograder" / "grader" / "cli.py"), "autograde",
                                 "--course", str(self.course), "--workers", "1", lab],
                                capture_output=True, text=True)
        log = graded.stdout + graded.stderr
        if "NOT SANDBOXED" in log:  # the instructor's warning is for the learner too
            print("\n".join(line for line in log.splitlines() if line.startswith("!!")))
        if graded.returncode != 0 or "FAILED" in log:
            print(log[-4000:], file=sys.stderr)
            raise SystemExit(f"Grading {lab} failed (see above).")
        feedback = subprocess.run([*NBGRADER_MAIN, "generate_feedback", lab, "--student", STUDENT, "--force"],
                                  cwd=self.course, capture_output=True, text=True)
        page = self.course / "feedback" / STUDENT / lab / f"{lab}.html"
        if feedback.returncode != 0 or not page.is_file():
            raise SystemExit(f"nbgrader could not write the feedback for {lab}:\n"
                             f"{(feedback.stdout + feedback.stderr)[-3000:]}")
        shutil.copyfile(page, notebook.parent / "feedback.html")
        print(self.task_table(lab))
        print(f"\nFeedback (what an instructor would return): {notebook.parent / 'feedback.html'}")
        print("\n" + self.progress_table())
        print(f"\nThe worked solution is now available: make solution LAB={lab}")
        return 0

    def task_table(self, lab: str) -> str:
        """Points per task: each graded cell belongs to the task whose heading precedes it."""
        from nbgrader.api import Gradebook

        source = nbformat.read(lab_notebook(lab), as_version=4)
        task_of, task = {}, "Set-up"
        for cell in source.cells:
            if cell.cell_type == "markdown":
                heading = re.search(r"^#{1,4}\s+(Task\s+\d+[^\n]*)", cell.source, re.MULTILINE)
                if heading:
                    task = heading.group(1).strip()
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id:
                task_of[grade_id] = task
        rows: dict[str, list] = {}
        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}", "creative-ai") as gradebook:
            submission = gradebook.find_submission_notebook(lab, lab, STUDENT)
            for grade in submission.grades:
                name = task_of.get(grade.name, grade.name)
                row = rows.setdefault(name, [0.0, 0.0, False])
                row[1] += grade.max_score
                if grade.cell_type == "markdown" or grade.auto_score is None:
                    row[2] = True  # written answer: not autograded
                else:
                    row[0] += grade.score or 0.0
            total = sum(r[0] for r in rows.values() if not r[2]), sum(r[1] for r in rows.values() if not r[2])
        lines = [f"\n{lab}: your score per task", "| task | points |", "| --- | ---: |"]
        for name, (got, best, written) in rows.items():
            lines.append(f"| {name} | {'written: grade it yourself against the solution (' + format(best, 'g') + ' points)' if written else f'{got:g} / {best:g}'} |")
        lines.append(f"| **autograded total** | **{total[0]:g} / {total[1]:g}** |")
        return "\n".join(lines)

    def progress_table(self) -> str:
        from nbgrader.api import Gradebook, MissingEntry

        lines = ["Your progress", "| lab | status | autograded score |", "| --- | --- | ---: |"]
        db = self.course / "gradebook.db"
        with Gradebook(f"sqlite:///{db}", "creative-ai") as gradebook:
            for lab in lab_ids():
                if not self.mine(lab).is_file():
                    lines.append(f"| {lab} | not started (`make self-study`) | |")
                    continue
                try:
                    submission = gradebook.find_submission(lab, STUDENT)
                except MissingEntry:
                    lines.append(f"| {lab} | in your folder, not checked yet | |")
                    continue
                lines.append(f"| {lab} | checked | {submission.code_score:g} / {submission.max_code_score:g} |")
        return "\n".join(lines)

    # ------------------------------------------------------------------ make solution
    def solution(self, lab: str) -> int:
        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.preprocessors import ClearHiddenTests, ClearOutput

        graded = False
        db = self.course / "gradebook.db"
        if db.is_file():
            with Gradebook(f"sqlite:///{db}", "creative-ai") as gradebook:
                try:
                    gradebook.find_submission(lab, STUDENT)
                    graded = True
                except MissingEntry:
                    pass
        if not graded:
            raise SystemExit(f"Make an attempt first: `make check LAB={lab}` grades your notebook; "
                             "the worked solution is available after that.")
        nb = nbformat.read(lab_notebook(lab), as_version=4)
        resources = {"nbgrader": {"assignment": lab, "notebook": lab}}
        for step in (ClearHiddenTests(), ClearOutput()):
            nb, resources = step.preprocess(nb, resources)
        text = nbformat.writes(nb)
        if "BEGIN HIDDEN TESTS" in text:
            raise SystemExit("refusing to write a solution that still holds hidden tests")
        target = self.home / lab / f"{lab}-solution.ipynb"
        target.write_text(text)
        print(f"The worked solution of {lab}: {target}")
        return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "my-labs", help="the learner's folder (default my-labs/)")
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup", help="your copy of every lab (make self-study)")
    setup.add_argument("labs", nargs="*")
    for name in ("check", "solution"):
        one = sub.add_parser(name)
        one.add_argument("lab")
    args = parser.parse_args(argv)
    study = SelfStudy(args.home)
    known = lab_ids()
    if args.command == "setup":
        unknown = [lab for lab in args.labs if lab not in known]
        if unknown:
            raise SystemExit(f"unknown lab(s) {unknown}; the labs are: {', '.join(known)}")
        return study.setup(args.labs or known)
    if args.lab not in known:
        raise SystemExit(f"LAB={args.lab!r} is not a lab; the labs are: {', '.join(known)} "
                         "(e.g. make check LAB=lab01_recommendation)")
    return study.check(args.lab) if args.command == "check" else study.solution(args.lab)


if __name__ == "__main__":
    sys.exit(main())
