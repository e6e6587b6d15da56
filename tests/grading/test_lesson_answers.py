"""The lessons' own code, where it computes a graded quantity, keeps full marks in the lab.

A right-answer case may be built on a lesson's code: its second line says
``# From lesson: lessons/<notebook>.ipynb``, and every top-level function of the case that the
lesson also defines must be the lesson's definition, unchanged (compared as syntax trees, so
comments and line breaks do not matter). The rest of the case is the adapter from the lesson's
form (vectorised over listeners, say) to the lab's signature; what the adapter has to add (an
edge case the lesson never meets) is what the lab's task text asks beyond the lesson. The
grading tests then run the case through the lab's hidden tests like any other correct answer
(tests/grading/test_grading.py), so a lesson and its lab cannot drift apart silently.
"""

from __future__ import annotations

import ast
import re

import pytest
from course import REPO, lab_ids, other_right_answers, read

FROM_LESSON = re.compile(r"^# From lesson: (\S+)\s*$", re.M)


def _lesson_cases():
    return [pytest.param(case, id=f"{case.lab_id}:{case.path.stem}")
            for lab in lab_ids() for case in other_right_answers(lab) if FROM_LESSON.search(case.source)]


def _top_level_functions(source: str) -> dict[str, str]:
    return {node.name: ast.dump(node) for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def _lesson_functions(path) -> dict[str, str]:
    functions = {}
    for cell in read(path).cells:
        if cell.cell_type == "code":
            try:
                functions.update(_top_level_functions(cell.source))
            except SyntaxError:      # cells with IPython magics are not plain Python
                continue
    return functions


def test_some_cases_come_from_the_lessons():
    assert _lesson_cases(), "no right-answer case is marked '# From lesson: ...'"


@pytest.mark.parametrize("case", _lesson_cases())
def test_lesson_code_in_a_right_answer_is_the_lessons(case):
    lesson = REPO / FROM_LESSON.search(case.source).group(1)
    assert lesson.is_file(), f"{case.path.name}: no lesson at {lesson}"
    lesson_defs, case_defs = _lesson_functions(lesson), _top_level_functions(case.source)
    shared = sorted(set(lesson_defs) & set(case_defs))
    assert shared, f"{case.path.name}: defines none of {lesson.name}'s functions"
    changed = [name for name in shared if lesson_defs[name] != case_defs[name]]
    assert not changed, (f"{case.path.name}: {changed} differ from {lesson.name}; copy the lesson's "
                         "definition again (or change the lesson) and keep the adapter separate")
