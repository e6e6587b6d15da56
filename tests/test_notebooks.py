"""Every committed notebook is clean, and every lab's self-checks end by saying they passed.

The notebooks themselves run under nbval (see conftest.py at the top of the course and
pyproject.toml): ``make test`` executes every lesson and lab source notebook cell by cell in
fast mode, from a temporary folder, and compares the output of each cell marked
``# NBVAL_CHECK_OUTPUT`` with the output stored in the notebook. This file checks what nbval
does not: that notebooks are committed without outputs (apart from those stored references),
with a python3 kernel, stable cell ids and one ``parameters`` cell, and load data through the
package.
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from course import REPO, all_notebooks, grade_cells, lab_ids, lab_notebook, nbgrader_meta, read
from record_check_outputs import MARK, is_check_cell

pytestmark = pytest.mark.notebook


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


@pytest.mark.parametrize("path", all_notebooks(), ids=_ids(all_notebooks()))
def test_notebook_is_committed_clean(path):
    nb = read(path)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    counted = [c.get("id") for c in code if c.execution_count and not is_check_cell(c)]
    assert not counted, f"{path.name}: clear the execution counts of cells {counted[:5]} before committing"
    with_outputs = [c.get("id") for c in code if c.outputs and not is_check_cell(c)]
    assert not with_outputs, (
        f"{path.name}: clear the outputs of cells {with_outputs[:5]} before committing "
        "(only cells marked # NBVAL_CHECK_OUTPUT keep theirs: python tools/record_check_outputs.py)"
    )
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernel must be python3"
    ids = [c.get("id") for c in nb.cells]
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate cell ids"
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, f"{path.name}: expected one cell tagged 'parameters', found {len(params)}"
    text = "\n".join(c.source for c in code)
    assert "../datasets" not in text and "datasets/" not in text, (
        f"{path.name}: load data through creative_ai.data, not by path"
    )


@pytest.mark.parametrize("path", all_notebooks(), ids=_ids(all_notebooks()))
def test_check_cells_store_only_their_printed_numbers(path):
    """A cell marked # NBVAL_CHECK_OUTPUT stores the stdout nbval compares against, and only that."""
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type != "code" or MARK not in cell.source:
            continue
        name = cell.get("id")
        assert is_check_cell(cell), f"{path.name}, cell {name}: {MARK} must be the cell's first line"
        assert cell.outputs, (
            f"{path.name}, cell {name}: no stored output to compare with; "
            f"run python tools/record_check_outputs.py {path.relative_to(REPO)}"
        )
        kinds = {(o.output_type, o.get("name")) for o in cell.outputs}
        assert kinds == {("stream", "stdout")}, (
            f"{path.name}, cell {name}: a check cell stores printed text only, found {sorted(kinds)}; "
            "print the numbers rather than displaying tables or figures"
        )


def _visible_part(source: str) -> str:
    return source.split("### BEGIN HIDDEN TESTS")[0]


def _says_passed(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    if not (isinstance(call.func, ast.Name) and call.func.id == "print"):
        return False
    return "passed" in ast.unparse(call).lower()


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_self_check_ends_with_a_passed_line(lab_id):
    """A student running a self-check sees a clear last line when everything is right."""
    nb = read(lab_notebook(lab_id))
    graded = set(grade_cells(nb))
    silent = []
    for cell in nb.cells:
        if cell.cell_type == "code" and nbgrader_meta(cell).get("grade_id") in graded:
            body = ast.parse(_visible_part(cell.source)).body
            if not body or not _says_passed(body[-1]):
                silent.append(nbgrader_meta(cell)["grade_id"])
    assert not silent, f"{lab_id}: self-check cells {silent} do not end with a print(...) saying they passed"
