"""`make grades` (``nbgrader export``): nbgrader's own grades.csv, written safe to open in a spreadsheet.

Same rows and columns as nbgrader's ``CsvExportPlugin`` (nbgrader/plugins/export.py: one row per
assignment and student, ``assignment, duedate, timestamp, student_id, last_name, first_name,
email, raw_score, late_submission_penalty, score, max_score``; a missing submission scores 0), but
every cell goes through :func:`csv_cells.csv_line`: text is quoted (nbgrader's own plugin joins the
values with commas, so a comma in a name shifts the columns), text a spreadsheet would run as a
formula — a student id is a folder name the student chose — gets a leading ``'``, and numbers stay
numbers. Such student ids are named in the log: in this file they read ``'=...``.
"""

from __future__ import annotations

import os
import sys

from nbgrader.api import MissingEntry
from nbgrader.plugins.export import ExportPlugin

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "insight"))
from csv_cells import csv_line, formula_like  # noqa: E402

KEYS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
        "late_submission_penalty", "score", "max_score"]


def grade_rows(gradebook, assignments: list[str] | None = None, students: list[str] | None = None):
    """nbgrader's export rows as values (numbers as numbers), in nbgrader's order."""
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                timestamp, raw, penalty, score = None, 0.0, 0.0, 0.0
            else:
                timestamp, raw, penalty = submission.timestamp, submission.score, submission.late_submission_penalty
                score = max(0.0, raw - penalty)
            yield [assignment.name, None if assignment.duedate is None else str(assignment.duedate),
                   None if timestamp is None else str(timestamp), student.id, student.last_name,
                   student.first_name, student.email, raw, penalty, score, assignment.max_score]


class SafeCsvExportPlugin(ExportPlugin):
    """nbgrader's CSV export with spreadsheet-safe cells (see the module docstring)."""

    def export(self, gradebook) -> None:
        dest = self.to or "grades.csv"
        self.log.info("Exporting grades to %s", dest)
        assignments = [str(item) for item in self.assignment]
        students = [str(item) for item in self.student]
        formulas = set()
        with open(dest, "w", newline="", encoding="utf-8") as handle:
            handle.write(csv_line(KEYS))
            for row in grade_rows(gradebook, assignments, students):
                handle.write(csv_line(row))
                formulas.update(text for text in row[3:7] if isinstance(text, str) and formula_like(text))
        if formulas:
            self.log.warning("%d student id(s)/name(s) start like a spreadsheet formula and are written with a "
                             "leading ' in %s (shown as text, never run): %s", len(formulas), dest,
                             ", ".join(sorted(repr(text) for text in formulas)[:12]))
