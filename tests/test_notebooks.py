"""Every lesson and every lab source notebook runs top to bottom in fast mode, and every
committed notebook is clean (no outputs, a python3 kernel, stable cell ids).

Notebooks run from a temporary folder, not from their own, to show that they find their
data through the package and work wherever a student saves them.
"""

from __future__ import annotations

import shutil
import time

import nbformat
import pytest
from course import REPO, all_notebooks, read
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

pytestmark = pytest.mark.notebook

CELL_TIMEOUT = 300  # seconds; the budget for a whole notebook in fast mode is 90 s


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


@pytest.mark.parametrize("path", all_notebooks(), ids=_ids(all_notebooks()))
def test_notebook_runs_in_fast_mode(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(tmp_path)}}
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.relative_to(REPO)} failed:\n{str(error)[-3000:]}")
    elapsed = time.perf_counter() - start
    print(f"{path.relative_to(REPO)}: {elapsed:.1f} s in fast mode")


@pytest.mark.parametrize("path", all_notebooks(), ids=_ids(all_notebooks()))
def test_notebook_is_committed_clean(path):
    nb = read(path)
    nbformat.validate(nb)
    with_outputs = [c.get("id") for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, f"{path.name}: clear the outputs of cells {with_outputs[:5]} before committing"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernel must be python3"
    ids = [c.get("id") for c in nb.cells]
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate cell ids"
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, f"{path.name}: expected one cell tagged 'parameters', found {len(params)}"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "../datasets" not in text and "datasets/" not in text, (
        f"{path.name}: load data through creative_ai.data, not by path"
    )
