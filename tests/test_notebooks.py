"""Every committed notebook is clean, and every lab's self-checks end by saying they passed.

The notebooks themselves run under nbval (see conftest.py at the top of the course and
pyproject.toml): ``make test`` executes every lesson and lab source notebook cell by cell in
fast mode, from a temporary folder, and compares the output of each cell marked
``# NBVAL_CHECK_OUTPUT`` with its reference in ``tests/nbval_outputs/``. This file checks what
nbval does not: that notebooks are committed without outputs, with a python3 kernel, stable
cell ids and one ``parameters`` cell, load data through the package, and that every check cell
has a reference to be compared with.
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from course import REPO, all_notebooks, grade_cells, lab_ids, lab_notebook, nbgrader_meta, read
from record_check_outputs import MARK, is_check_cell, load_references, reference_file

pytestmark = pytest.mark.notebook


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


@pytest.mark.parametrize("path", all_notebooks(), ids=_ids(all_notebooks()))
def test_notebook_is_committed_clean(path):
    nb = read(path)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    dirty = [c.get("id") for c in code if c.outputs or c.execution_count]
    assert not dirty, f"{path.name}: clear the outputs and execution counts of cells {dirty[:5]} before committing"
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
def test_every_check_cell_has_a_reference(path):
    """A cell marked # NBVAL_CHECK_OUTPUT has printed text to be compared with, and no reference is stale."""
    nb = read(path)
    references = load_references(path)
    checks = []
    for cell in nb.cells:
        if cell.cell_type != "code" or MARK not in cell.source:
            continue
        name = cell.get("id")
        assert is_check_cell(cell), f"{path.name}, cell {name}: {MARK} must be the cell's first line"
        assert references.get(name, "").strip(), (
            f"{path.name}, cell {name}: no reference output to compare with; "
            f"run .venv/bin/python tools/record_check_outputs.py {path.relative_to(REPO)}"
        )
        checks.append(name)
    stale = sorted(set(references) - set(checks))
    assert not stale, f"{reference_file(path).relative_to(REPO)} has references for cells that are not check cells: {stale}"


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
