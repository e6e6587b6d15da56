"""What grading stored, read back for the grade exports, the report and the similarity flags.

Nothing here runs student code or grades anything: it reads

* the gradebook (``gradebook.db``, through nbgrader's own :class:`nbgrader.api.Gradebook`):
  every student, every submission's timestamp and late penalty, and every graded cell's
  autograded score, manual score (a score typed in formgrader overrides the autograded one) and
  extra credit — exactly what ``nbgrader export`` and formgrader use;
* the grader's stored results (``runs/<lab>/<student>/<notebook>.json``, written by
  ``autograder/grader/cli.py`` and ``preprocessors.py``): per submission, which test cells passed,
  failed or timed out, cells stopped by a time limit or a crash, restarts, flags, repairs, notes
  and grading time;
* the autograded notebooks (``autograded/<student>/<lab>/``): the test cells' outputs, i.e. the
  judge's messages (hidden tests included: instructor-only);
* the lab source (``../labs/<lab>/<lab>.ipynb``, task headings and points) and the student release
  (``release/<lab>/``, the starter code the similarity flags leave out).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def _nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


@dataclass
class Course:
    """An nbgrader course folder (the one with ``nbgrader_config.py``, normally ``autograder/``)."""

    root: Path
    db_url: str
    course_id: str
    source_dir: Path

    @classmethod
    def open(cls, folder: Path) -> Course:
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        folder = Path(folder).resolve()
        if not (folder / "nbgrader_config.py").is_file():
            raise SystemExit(f"{folder} is not an nbgrader course folder (no nbgrader_config.py)")
        before = list(sys.path)
        config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
        sys.path[:] = before  # the config adds the grader's folder; the insight tools do not need it
        cwd = os.getcwd()
        try:
            os.chdir(folder)
            coursedir = CourseDirectory(config=config)
            source = Path(coursedir.format_path(coursedir.source_directory, ".", "")).resolve()
            return cls(folder, coursedir.db_url, coursedir.course_id, source)
        finally:
            os.chdir(cwd)

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.course_id)

    def source_notebook(self, lab: str, notebook: str | None = None) -> Path:
        return self.source_dir / lab / f"{notebook or lab}.ipynb"

    def release_notebook(self, lab: str, notebook: str | None = None) -> Path:
        return self.root / "release" / lab / f"{notebook or lab}.ipynb"

    def autograded_notebook(self, student: str, lab: str, notebook: str | None = None) -> Path:
        return self.root / "autograded" / student / lab / f"{notebook or lab}.ipynb"

    def submitted_notebook(self, student: str, lab: str, notebook: str | None = None) -> Path:
        return self.root / "submitted" / student / lab / f"{notebook or lab}.ipynb"

    def run_report(self, student: str, lab: str, notebook: str | None = None) -> dict | None:
        path = self.root / "runs" / lab / student / f"{notebook or lab}.json"
        try:
            return json.loads(path.read_text()).get("report")
        except (OSError, ValueError):
            return None


# --------------------------------------------------------------------------- the gradebook


@dataclass
class CellGrade:
    name: str
    max_score: float
    auto_score: float | None
    manual_score: float | None
    extra_credit: float | None
    needs_manual_grade: bool

    @property
    def score(self) -> float:
        """nbgrader's rule: the manual score if there is one, else the autograded one, plus extra credit."""
        base = self.manual_score if self.manual_score is not None else (self.auto_score or 0.0)
        return float(base) + float(self.extra_credit or 0.0)


@dataclass
class Submission:
    student: str
    timestamp: object
    late_penalty: float
    cells: dict[str, CellGrade]

    @property
    def raw_score(self) -> float:
        return sum(cell.score for cell in self.cells.values())

    @property
    def score(self) -> float:
        """What ``nbgrader export`` reports: the raw score less the late penalty, never below 0."""
        return max(0.0, self.raw_score - self.late_penalty)

    @property
    def manual_overrides(self) -> list[str]:
        return [c.name for c in self.cells.values() if c.manual_score is not None and c.auto_score is not None
                and c.manual_score != c.auto_score]

    @property
    def awaiting_manual(self) -> list[str]:
        return [c.name for c in self.cells.values() if c.needs_manual_grade and c.manual_score is None]


@dataclass
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass
class Assignment:
    name: str
    duedate: object
    max_score: float
    cells: dict[str, float]                    # grade cell → points, in notebook order
    cell_types: dict[str, str]                 # grade cell → "code" / "markdown"
    submissions: dict[str, Submission] = field(default_factory=dict)


@dataclass
class GradebookData:
    students: dict[str, Student]
    assignments: dict[str, Assignment]


def read_gradebook(course: Course) -> GradebookData:
    """Every student and every lab's submissions, with each graded cell's scores."""
    students, assignments = {}, {}
    with course.gradebook() as gradebook:
        for student in gradebook.students:
            students[student.id] = Student(student.id, student.first_name or "", student.last_name or "",
                                           student.email or "")
        for assignment in gradebook.assignments:
            cells, types = {}, {}
            for notebook in assignment.notebooks:
                order = {cell.name: index for index, cell in enumerate(notebook.source_cells)}
                for cell in sorted(notebook.grade_cells, key=lambda c: order.get(c.name, 10**6)):
                    cells[cell.name] = float(cell.max_score)
                    types[cell.name] = cell.cell_type
            entry = Assignment(assignment.name, assignment.duedate, float(assignment.max_score), cells, types)
            for submission in gradebook.assignment_submissions(assignment.name):
                grades = {}
                penalty = 0.0
                for notebook in submission.notebooks:
                    penalty += float(notebook.late_submission_penalty or 0.0)
                    for grade in notebook.grades:
                        grades[grade.name] = CellGrade(grade.name, float(grade.max_score),
                                                       None if grade.auto_score is None else float(grade.auto_score),
                                                       None if grade.manual_score is None else float(grade.manual_score),
                                                       None if grade.extra_credit is None else float(grade.extra_credit),
                                                       bool(grade.needs_manual_grade))
                entry.submissions[submission.student.id] = Submission(submission.student.id, submission.timestamp,
                                                                      penalty, grades)
            assignments[assignment.name] = entry
    return GradebookData(students, assignments)


# --------------------------------------------------------------------------- the lab source

_TASK = re.compile(r"^#{1,6}\s*(Task\s+\d+[^\n]*?)\s*$", re.M)
_HEADING = re.compile(r"^#{1,6}\s*(.+?)\s*$", re.M)


def task_titles(source_nb) -> dict[str, str]:
    """Grade cell → the heading of the task it belongs to ("Task 5 — NDCG at k (2 points)").

    The latest task heading before the cell; when one markdown cell introduces several tasks,
    the one whose text names the cell's function (``test_<function>`` / ``test_<function>__x``).
    """
    titles, sections = {}, []          # sections: (heading, text under it) of the latest task cell
    for cell in source_nb.cells:
        meta = _nbgrader_meta(cell)
        if cell.cell_type == "markdown" and not meta.get("solution"):
            found = list(_TASK.finditer(cell.source))
            if found:
                sections = [(m.group(1), cell.source[m.end():found[i + 1].start() if i + 1 < len(found) else None])
                            for i, m in enumerate(found)]
            elif not sections:
                heading = _HEADING.search(cell.source)
                if heading:
                    sections = [(heading.group(1), "")]
        if meta.get("grade"):
            name = meta["grade_id"]
            function = name.removeprefix("test_").split("__")[0]
            named = [h for h, text in sections if re.search(rf"\b{re.escape(function)}\b", text or "")]
            titles[name] = (named or [h for h, _ in sections[-1:]] or [name])[0]
    return titles


def lab_title(source_nb, lab: str) -> str:
    for cell in source_nb.cells:
        if cell.cell_type == "markdown":
            heading = re.search(r"^#\s+(.+?)\s*$", cell.source, flags=re.M)
            if heading:
                return heading.group(1)
    return lab


def answer_cells(nb, kind: str = "code") -> dict[str, str]:
    """Grade id → source of the notebook's answer (solution) cells of the given kind."""
    return {_nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells
            if c.cell_type == kind and _nbgrader_meta(c).get("solution") and "grade_id" in _nbgrader_meta(c)}


def test_messages(nb) -> dict[str, list[str]]:
    """Grade cell → the error lines of its outputs (``Name: message``) in an autograded notebook."""
    messages = {}
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        found = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip())
        messages[meta["grade_id"]] = found
    return messages


def read_notebook(path: Path):
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError):
        return None
