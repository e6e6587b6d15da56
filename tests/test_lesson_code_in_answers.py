"""A lesson's own code keeps full marks in its lab: the grading corpus runs it, and this keeps it the lesson's.

Where a lesson computes a quantity that its lab grades, the lab's hidden tests must accept the
lesson's code (issue 19). The sample answer ``tests/grading/<lab>/right_answers/<function>__lessonNN.py``
wraps the lesson's lines in the graded signature, between the markers

    # lesson code: lessons/NN_topic.ipynb, cell <cell id>
    ...the lesson's lines, verbatim (indentation aside)...
    # end of lesson code

The grading tests (tests/grading/test_grading.py) give that answer to the hidden tests like any
other correct answer; this test checks that the marked lines are still, line for line, a
contiguous part of that lesson cell, so a change to the lesson cannot leave the corpus testing
stale code.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from course import REPO, lab_ids, other_right_answers, read

START = re.compile(r"^\s*# lesson code: (?P<notebook>\S+\.ipynb), cell (?P<cell>\S+)\s*$")
END = re.compile(r"^\s*# end of lesson code\s*$")


def lesson_blocks(source: str) -> list[tuple[str, str, list[str]]]:
    """(notebook, cell id, dedented lines) of every marked block of a sample answer."""
    blocks, current, lines = [], None, []
    for line in source.splitlines():
        if current is None:
            match = START.match(line)
            if match:
                current, lines = (match["notebook"], match["cell"]), []
        elif END.match(line):
            blocks.append((*current, textwrap.dedent("\n".join(lines)).splitlines()))
            current = None
        else:
            lines.append(line)
    assert current is None, f"a '# lesson code:' block is not closed by '# end of lesson code' ({current})"
    return blocks


def _contains(cell_lines: list[str], block: list[str]) -> bool:
    cell = [line.rstrip() for line in cell_lines]
    block = [line.rstrip() for line in block]
    return any(cell[i:i + len(block)] == block for i in range(len(cell) - len(block) + 1))


CASES = [case for lab in lab_ids() for case in other_right_answers(lab) if "lesson" in case.slug]


def test_lesson_blocks_are_found():
    """The marker pattern is not dead: lab 05 has lesson-code answers."""
    assert any(case.lab_id == "lab05_data_ethics" for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.lab_id}:{c.path.stem}" for c in CASES])
def test_lesson_code_answer_quotes_the_lesson_verbatim(case):
    blocks = lesson_blocks(case.source)
    assert blocks, f"{case.path.name}: a 'lesson' answer must mark the lesson's lines with '# lesson code: ...'"
    for notebook, cell_id, block in blocks:
        assert block, f"{case.path.name}: empty lesson-code block"
        cells = {cell.get("id"): cell for cell in read(REPO / notebook).cells}
        assert cell_id in cells, f"{case.path.name}: {notebook} has no cell {cell_id!r}"
        assert _contains(cells[cell_id].source.splitlines(), block), (
            f"{case.path.name}: these lines are no longer in {notebook}, cell {cell_id}; copy the lesson's "
            f"current code into the answer (the grading tests then check it still gets full marks):\n"
            + "\n".join(block))


def test_a_changed_lesson_line_is_caught():
    block = ["def f(x):", "    return x + 1"]
    assert _contains(["a = 1", "def f(x):", "    return x + 1  ", "b = 2"], block)
    assert not _contains(["def f(x):", "    return x + 2"], block)
    assert lesson_blocks("  # lesson code: lessons/x.ipynb, cell c\n  y = 1\n  # end of lesson code\n") == [
        ("lessons/x.ipynb", "c", ["y = 1"])]
