"""Every hand-graded written task has a rubric graders can use (docs/rubrics/<lab>.md).

A rubric section names the task's grade id, gives its points, lists criteria in a table and has
anchor answers for full and for half marks, so two graders mark the same answer alike.
"""

from __future__ import annotations

import re

import pytest
from course import REPO, lab_ids, lab_notebook, nbgrader_meta, read


def _written_cells(lab_id: str) -> list[tuple[str, float]]:
    nb = read(lab_notebook(lab_id))
    return [(nbgrader_meta(c)["grade_id"], float(nbgrader_meta(c)["points"])) for c in nb.cells
            if c.cell_type == "markdown" and nbgrader_meta(c).get("grade")]


def _section(text: str, grade_id: str) -> str | None:
    """The part of the rubric from the heading that names `grade_id` to the next heading of its level."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("#") and f"`{grade_id}`" in line:
            level = len(line) - len(line.lstrip("#"))
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level), len(lines))
            return "\n".join(lines[start:end])
    return None


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_written_task_has_a_rubric(lab_id):
    path = REPO / "docs" / "rubrics" / f"{lab_id}.md"
    assert path.is_file(), f"{lab_id} has written tasks but no rubric at {path.relative_to(REPO)}"
    text = path.read_text()
    for grade_id, points in _written_cells(lab_id):
        section = _section(text, grade_id)
        assert section, f"{path.name}: no heading naming `{grade_id}` (the formgrader cell)"
        heading = section.splitlines()[0]
        assert re.search(rf"\b{points:g} points?\b", heading), (
            f"{path.name}: the heading of `{grade_id}` must give its {points:g} points: {heading!r}")
        assert re.search(r"^\|\s*criterion", section, re.M | re.I), f"{path.name}: `{grade_id}` has no criteria table"
        for anchor in ("full marks", "half marks"):
            assert re.search(rf"anchor answer[^\n]*{anchor}", section, re.I), (
                f"{path.name}: `{grade_id}` needs an anchor answer for {anchor}")
