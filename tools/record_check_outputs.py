"""Store the reference outputs nbval compares against (beside the notebook, not in it).

    python tools/record_check_outputs.py lessons/01_recommendation.ipynb [more notebooks]

A cell whose first line is ``# NBVAL_CHECK_OUTPUT`` prints numbers the prose quotes; under
``make test`` nbval re-runs it and fails when its output differs from the reference (after
masking the volatile parts listed in ``tests/nbval_sanitize.cfg``). The references live in
``tests/nbval_outputs/<notebook path>.json`` (cell id → printed text), so notebooks are still
committed without any output; the top-level ``conftest.py`` hands them to nbval. This script
runs each notebook top to bottom in fast mode, from a temporary folder, as the tests do,
writes the printed (stdout) output of the marked cells to the reference file, and clears
every output of the notebook itself. Run it after changing a notebook, its data or the code it
calls, read the new numbers, and make the prose agree with them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "# NBVAL_CHECK_OUTPUT"
COURSE = Path(__file__).resolve().parents[1]
REFERENCES = COURSE / "tests" / "nbval_outputs"


def reference_file(notebook: Path) -> Path:
    """Where the reference outputs of ``notebook``'s check cells are kept."""
    return REFERENCES / (Path(notebook).resolve().relative_to(COURSE).as_posix() + ".json")


def load_references(notebook: Path) -> dict[str, str]:
    path = reference_file(notebook)
    return json.loads(path.read_text()) if path.exists() else {}


def is_check_cell(cell) -> bool:
    """A code cell whose first line is the nbval check mark."""
    lines = cell.source.splitlines()
    return cell.cell_type == "code" and bool(lines) and lines[0].strip() == MARK


def stored_outputs(outputs) -> list:
    """The part of a check cell's outputs that is kept: stdout text, merged into one stream."""
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")
    return [nbformat.v4.new_output("stream", name="stdout", text=text)] if text else []


def record(path: Path, timeout: int = 900) -> list[str]:
    """Execute ``path`` in fast mode and rewrite it; return a report line per check cell."""
    os.environ["CREATIVE_AI_FAST"] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")  # as under `make test` (tests/conftest.py)
    original = nbformat.read(path, as_version=4)
    executed = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        NotebookClient(executed, kernel_name="python3", timeout=timeout, record_timing=False,
                       resources={"metadata": {"path": folder}}).execute()
    report, references = [], {}
    for cell, ran in zip(original.cells, executed.cells, strict=True):
        if cell.cell_type != "code":
            continue
        kept = stored_outputs(ran.outputs) if is_check_cell(cell) else []
        cell.outputs, cell.execution_count = [], None
        if is_check_cell(cell):
            if kept:
                references[cell.get("id")] = kept[0].text
            others = sorted({o.output_type if o.output_type != "stream" else f"stream:{o.name}"
                             for o in ran.outputs} - {"stream:stdout"})
            if not kept:
                report.append(f"  {cell.get('id')}: WARNING, printed nothing; a check cell must print its numbers")
            if others:
                report.append(f"  {cell.get('id')}: WARNING, also produced {others}, which nbval will compare "
                              "too; print the numbers instead of displaying objects")
            report.append(f"  {cell.get('id')}: " + kept[0].text.strip().replace("\n", "\n      ")
                          if kept else f"  {cell.get('id')}: (no output)")
    nbformat.write(original, path)
    target = reference_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(references, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"{path}:")
        for line in record(path):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
