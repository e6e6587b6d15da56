"""How pytest runs the course's notebooks under nbval (options in pyproject.toml).

This file sits at the top of the course so that it applies wherever pytest finds a notebook:
``make test``, ``pytest``, or a single notebook (``pytest lessons/03_style_transfer.ipynb``).
The rest of the test set-up (fast mode, network guard) lives in ``tests/conftest.py``.

* **Which notebooks.** Every lesson, ``lessons/*.ipynb``, and every lab source,
  ``labs/<lab_id>/<lab_id>.ipynb``; nothing else (checkpoints, scratch notebooks) is collected.
  A new module needs no test edits.
* **From a temporary folder.** nbval starts each notebook's kernel in the notebook's own
  folder; here it starts in a fresh temporary folder instead, so a notebook that reads a
  file by a relative path fails the tests, as it would for a student who saved it elsewhere.
* **Reference outputs from beside the notebook.** Cells marked ``# NBVAL_CHECK_OUTPUT`` are
  compared with the printed text stored in ``tests/nbval_outputs/<notebook>.json`` (written by
  ``tools/record_check_outputs.py``), handed to nbval as if stored in the notebook, so the
  notebooks themselves are committed without outputs.
* **One worker per notebook.** Every cell of a notebook gets the mark
  ``xdist_group("notebook:<path>")``, so with ``pytest -n 2 --dist loadgroup`` (``make test``)
  all cells of a notebook run in order on one worker and one kernel. (The same hook makes
  ``xdist_group`` marks work at all under pytest 9; see ``_apply_xdist_groups``.)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parent
SANITIZER = COURSE / "tests" / "nbval_sanitize.cfg"


sys.path.insert(0, str(COURSE / "tools"))
from course_layout import lab_ids, lab_notebook, lesson_notebooks  # noqa: E402 (the one definition)


def is_course_notebook(path: Path) -> bool:
    """A lesson or a lab source notebook, as tools/course_layout.py defines them."""
    if path.suffix != ".ipynb":
        return False
    resolved = path.resolve()
    return resolved in {p.resolve() for p in lesson_notebooks()} | {lab_notebook(lab).resolve() for lab in lab_ids()}


def pytest_ignore_collect(collection_path: Path, config):
    if collection_path.suffix == ".ipynb" and not is_course_notebook(collection_path):
        return True
    return None


def pytest_configure(config):
    option = config.option
    if hasattr(option, "loadscopereorder"):  # pytest-xdist: hand out groups in _work_order's order
        option.loadscopereorder = False
    if getattr(option, "nbval_lax", False) or getattr(option, "nbval", False):
        # the sanitizer, by absolute path, so pytest may be started from any folder
        if getattr(option, "nbval_sanitize_with", None) in (None, "", "tests/nbval_sanitize.cfg"):
            option.nbval_sanitize_with = str(SANITIZER)
        _start_kernels_in_temporary_folders()
        _reference_outputs_from_files()


def _reference_outputs_from_files() -> None:
    """Make nbval read each notebook with its check cells' reference outputs filled in."""
    import nbformat
    import nbval.plugin

    if getattr(nbval.plugin.nbformat, "_course_references", False):
        return
    from record_check_outputs import is_check_cell, load_references

    class WithReferences:
        _course_references = True

        def __getattr__(self, name):
            return getattr(nbformat, name)

        @staticmethod
        def read(path, as_version, **kwargs):
            nb = nbformat.read(path, as_version=as_version, **kwargs)
            references = load_references(Path(str(path)))
            for cell in nb.cells:
                if cell.cell_type == "code" and is_check_cell(cell) and cell.get("id") in references:
                    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=references[cell["id"]])]
                    cell.execution_count = 1  # nbval only compares outputs of cells that ran
            return nb

    nbval.plugin.nbformat = WithReferences()


def _start_kernels_in_temporary_folders() -> None:
    import nbval.plugin

    if getattr(nbval.plugin.RunningKernel, "_course_temporary_cwd", False):
        return
    original = nbval.plugin.RunningKernel

    def running_kernel(kernel_name, cwd=None, **kwargs):
        folder = tempfile.mkdtemp(prefix="nbval-")
        kernel = original(kernel_name, cwd=folder, **kwargs)
        _TEMPORARY_FOLDERS.append(folder)
        return kernel

    running_kernel._course_temporary_cwd = True
    nbval.plugin.RunningKernel = running_kernel


_TEMPORARY_FOLDERS: list[str] = []


def pytest_unconfigure(config):
    while _TEMPORARY_FOLDERS:
        shutil.rmtree(_TEMPORARY_FOLDERS.pop(), ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            relative = item.path.resolve().relative_to(COURSE).as_posix()
            item.add_marker(pytest.mark.xdist_group(f"notebook:{relative}"))
            item.add_marker(pytest.mark.notebook)
    if getattr(config.option, "loadgroup", False):  # set in pytest-xdist workers by --dist loadgroup
        _apply_xdist_groups(items)
    items.sort(key=_work_order)  # stable: the collection order within each rank


# The order `make test` hands work to its two workers (pytest-xdist's loadgroup, told in
# pytest_configure to keep the collection order instead of putting the groups with the most
# tests first). The whole-course grading (~600 s on one worker, grading on both cores) goes first
# and the hostile suite second, so they start together; then everything else that is not a
# notebook (much of it waits: browsers, time limits, subprocesses), which the other worker runs
# while that grading keeps the cores busy; the notebooks last, heaviest first, so that both
# workers end on CPU-bound cells of a few seconds each instead of one core idling while the
# other runs a test that mostly waits (stop 30: the last three minutes were 53-91% busy).
# The notebook order is their measured time under nbval (fast mode, 2 busy cores); a notebook not
# listed goes after them, which only costs time.
HEAVIEST_NOTEBOOKS_FIRST = [
    "lessons/04_fashion_gans.ipynb", "lessons/02_audio_features.ipynb", "labs/lab04_fashion_gan/lab04_fashion_gan.ipynb",
    "lessons/05_data_ethics.ipynb", "lessons/01_recommendation.ipynb", "labs/lab02_audio_features/lab02_audio_features.ipynb",
    "labs/lab01_recommendation/lab01_recommendation.ipynb", "lessons/03_style_transfer.ipynb",
    "labs/lab03_style_transfer/lab03_style_transfer.ipynb", "labs/lab05_data_ethics/lab05_data_ethics.ipynb",
    "lessons/00_orientation.ipynb", "labs/lab00_orientation/lab00_orientation.ipynb",
]


def _work_order(item) -> tuple[int, int]:
    groups = {str(m.args[0] if m.args else m.kwargs.get("name", "")) for m in item.iter_markers("xdist_group")}
    if "whole-course" in groups:
        return (0, 0)
    if "hostile" in groups:
        return (1, 0)
    if item.path.suffix != ".ipynb":
        return (2, 0)
    relative = item.path.resolve().relative_to(COURSE).as_posix()
    known = HEAVIEST_NOTEBOOKS_FIRST
    return (3, known.index(relative) if relative in known else len(known))


def _apply_xdist_groups(items) -> None:
    """Give every item marked ``xdist_group(name)`` the node id ``<id>@<name>``.

    That suffix is how ``--dist loadgroup`` sends a group to one worker. pytest-xdist 3.8 adds it
    by assigning ``item._nodeid``, which pytest 9 no longer reads (node ids are ``NodeId``
    objects in ``item._id``), so without this every group — a notebook's cells, a lab's grading
    shard — would be scattered over the workers.
    """
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")
