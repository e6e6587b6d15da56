"""End-to-end grading round trip for every lab, through the instructor guide's commands.

For each lab (discovered, see tests/course.py), in the course graded by the ``whole_course``
fixture (tests/grading/conftest.py: `make release-zip sample-submissions autograde feedback
grades`, defaults): the release leaks neither solutions nor hidden tests, and the sandboxed
grader gives
* the full solution typed into the release (the guide's ``sample-complete``) → full marks,
* the untouched release (``sample-blank``)                              → zero,
* every wrong-answer case (one plausible mistake)  → loses that function's points, no others,
* every unusual-but-correct answer                 → full autograded marks.

Autograding costs 5-30 s per submission, too much for one submission per case (a lab has
20-40 cases). Cases are therefore graded in *batches*: batch i holds the i-th mistake of every
function at once (and likewise for the correct variants). Per case we check that its
function's cells score 0; per batch, that every cell of a function left correct keeps full
marks; and test_lab_structure checks that no test cell calls another graded function. Together
these show each mistake loses its own points and no others, with a handful of submissions.
"""

from __future__ import annotations

import ast
import re
import sys

import pytest
from course import (
    REPO,
    AnswerCase,
    cells_for,
    grade_cells,
    graded_functions,
    identifiers,
    lab_ids,
    lab_notebook,
    nbgrader_meta,
    other_right_answers,
    read,
    strip_markers,
    wrong_answers,
)
from graded_course import GROUP, SOLUTION, UNTOUCHED, batch_of, batches, graded_labs

sys.path.insert(0, str(REPO / "autograder" / "grader"))
from plan import lab_plan, names_only_from_skipped_cells  # noqa: E402

pytestmark = pytest.mark.grading


def _lab_params(marks=()):
    return [pytest.param(lab, marks=marks, id=lab) for lab in graded_labs()]


def _case_params(kind=wrong_answers):
    return [pytest.param(case, marks=GROUP, id=f"{case.lab_id}:{case.path.stem}")
            for lab in graded_labs() for case in kind(lab)]


def _describe(scores: dict[str, tuple[float, float]]) -> str:
    return ", ".join(f"{name} {got:g}/{best:g}" for name, (got, best) in sorted(scores.items()))


# ---------------------------------------------------------------- structure of each lab


@pytest.mark.parametrize("lab_id", _lab_params())
def test_lab_structure(lab_id):
    nb = read(lab_notebook(lab_id))
    functions, cells = graded_functions(nb), grade_cells(nb)
    assert 1 <= len(functions), f"{lab_id}: no autograded answer cells"
    for function in functions:
        assert cells_for(function, cells), f"{lab_id}: graded function {function!r} has no test_{function} cell"
        assert re.search(rf"^(def|class) {re.escape(function)}\b", strip_markers(
            next(c.source for c in nb.cells if nbgrader_meta(c).get("grade_id") == function)), re.M
        ), f"{lab_id}: cell {function!r} must define {function}"
        cases = [case for case in wrong_answers(lab_id) if case.function == function]
        assert len(cases) >= 2, f"{lab_id}: {function} needs at least 2 wrong-answer cases, has {len(cases)}"
    for case in wrong_answers(lab_id) + other_right_answers(lab_id):
        assert case.function in functions, f"{case.path.name}: {case.function!r} is not a graded function of {lab_id}"
        first = "# Mistake:" if case.kind == "wrong" else "# Correct:"
        assert case.source.startswith(first), f"{case.path.name}: first line must be '{first} ...'"
    written = [c for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("grade")]
    assert written, f"{lab_id}: needs at least one manually graded written answer"
    for name in cells:
        assert any(name in cells_for(f, cells) for f in functions), f"{lab_id}: test cell {name!r} matches no graded function"
    # The judge takes nothing from the student's process but the names the answer cells define.
    risky = names_only_from_skipped_cells(lab_plan(lab_id, nb))
    assert not risky, (f"{lab_id}: test cells read names that only cells using student code define "
                       f"(the judge would take them from the student's process): {risky}")
    # A test cell may only call its own function, so a mistake elsewhere cannot cost it points.
    for cell in nb.cells:
        name = nbgrader_meta(cell).get("grade_id")
        if name not in cells:
            continue
        own = next(f for f in functions if name in cells_for(f, cells))
        others = sorted((identifiers(cell.source) & set(functions)) - {own})
        assert not others, f"{lab_id}: test cell {name!r} uses other graded functions {others}"


def test_no_graded_function_in_the_package():
    """Students must not be able to import the answers from creative_ai."""
    graded = {f: lab for lab in lab_ids() for f in graded_functions(read(lab_notebook(lab)))}
    for path in (REPO / "creative_ai").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in graded:
                pytest.fail(f"{path.relative_to(REPO)} defines {node.name}, a graded function of {graded[node.name]}")


# ---------------------------------------------------------------- the release


def _secret_lines(source_nb) -> set[str]:
    """Substantial lines inside solution regions and hidden-test regions of the source."""
    secret, public = set(), set()
    for cell in source_nb.cells:
        inside = None
        for line in cell.source.splitlines():
            text = line.strip()
            if re.match(r"### BEGIN (SOLUTION|HIDDEN TESTS)", text):
                inside = True
                continue
            if re.match(r"### END (SOLUTION|HIDDEN TESTS)", text):
                inside = None
                continue
            (secret if inside else public).add(text)
    return {line for line in secret - public if len(line) >= 20}


@pytest.mark.parametrize("lab_id", _lab_params(GROUP))
def test_release_hides_solutions_and_hidden_tests(lab_id, whole_course):
    release = whole_course.release(lab_id)
    text = "\n".join(cell.source for cell in read(release).cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{lab_id} release contains {marker!r}"
    leaked = sorted(line for line in _secret_lines(read(lab_notebook(lab_id))) if line in text)
    assert not leaked, f"{lab_id} release leaks solution or hidden-test lines: {leaked[:5]}"
    release_nb = read(release)
    assert not any(c.get("outputs") for c in release_nb.cells if c.cell_type == "code")


# ---------------------------------------------------------------- autograding


@pytest.mark.parametrize("lab_id", _lab_params(GROUP))
def test_solution_gets_full_marks(lab_id, whole_course):
    scores = whole_course.scores[(lab_id, SOLUTION)]
    autograded = {k: v for k, v in scores.items() if k.startswith("test_")}
    assert autograded and all(got == best for got, best in autograded.values()), (
        f"{lab_id}: the solution did not get full marks: {_describe(autograded)}"
    )


@pytest.mark.parametrize("lab_id", _lab_params(GROUP))
def test_untouched_release_gets_zero(lab_id, whole_course):
    scores = whole_course.scores[(lab_id, UNTOUCHED)]
    total = sum(got for got, _ in scores.values())
    assert total == 0, f"{lab_id}: the untouched release scored {total}: {_describe(scores)}"


def _lost_in_batch(lab_id: str, batch: str, cells: dict[str, float]) -> set[str]:
    return {
        name for case in batches(lab_id)[batch].values() if case.kind == "wrong"
        for name in case.lost_cells(cells_for(case.function, cells))
    }


@pytest.mark.parametrize("case", _case_params())
def test_wrong_answer_loses_only_its_points(case: AnswerCase, whole_course):
    batch = batch_of(case)
    scores = {k: v for k, v in whole_course.scores[(case.lab_id, batch)].items() if k.startswith("test_")}
    cells = grade_cells(read(lab_notebook(case.lab_id)))
    lost = set(case.lost_cells(cells_for(case.function, cells)))
    assert lost, f"{case.path.name}: no test cells for {case.function}"
    not_lost = {k: v for k, v in scores.items() if k in lost and v[0] > 0}
    assert not not_lost, (
        f"{case.path.name}: the mistake ({case.source.splitlines()[0][2:]}) was not caught: "
        f"{_describe(not_lost)}"
    )
    kept = set(cells) - _lost_in_batch(case.lab_id, batch, cells)
    collateral = {k: v for k, v in scores.items() if k in kept and v[0] < v[1]}
    assert not collateral, f"{batch} of {case.lab_id}: correct functions lost points: {_describe(collateral)}"


@pytest.mark.parametrize("case", _case_params(other_right_answers))
def test_unusual_correct_answer_gets_full_marks(case: AnswerCase, whole_course):
    batch = batch_of(case)
    scores = {k: v for k, v in whole_course.scores[(case.lab_id, batch)].items() if k.startswith("test_")}
    short = {k: v for k, v in scores.items() if k in cells_for(case.function, scores) and v[0] < v[1]}
    assert not short, f"{case.path.name}: a correct answer lost points: {_describe(short)}"
    # the batch's wrong cases (other functions) lose their own cells; everything else keeps full marks
    kept = set(scores) - _lost_in_batch(case.lab_id, batch, scores)
    others = {k: v for k, v in scores.items() if k in kept and v[0] < v[1]}
    assert not others, f"{batch} of {case.lab_id}: correct answers lost points: {_describe(others)}"
