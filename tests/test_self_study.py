"""The self-study edition (tools/self_study.py): `make self-study`, `make check`, `make solution`,
and the JupyterLab settings `make lab` ships.

A learner's round trip on lab 00 (the quickest lab to grade) through the real commands' code:
their own student copy (never overwritten), no solution before an attempt, a graded attempt with
the instructor's sandboxed grader (the lab's own solution scores full autograded marks; the
untouched student version scores nothing), the same feedback page an instructor returns (no hidden
test in it), a progress table, then the worked solution without hidden tests.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course import REPO, lab_notebook

sys.path.insert(0, str(REPO / "tools"))
import self_study  # noqa: E402
from submissions import strip_solution_markers  # noqa: E402

LAB = "lab00_orientation"


def _solve(student_path, lab: str) -> None:
    """Fill the learner's notebook with the lab source's solution code (what a learner who got
    everything right would have written), cell by cell by grade id."""
    source = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nbformat.read(lab_notebook(lab), 4).cells}
    nb = nbformat.read(student_path, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = strip_solution_markers(source[meta["grade_id"]].source)
    nbformat.write(nb, student_path)


@pytest.mark.grading
def test_a_learner_round_trip(tmp_path, capsys):
    home = tmp_path / "my-labs"
    study = self_study.SelfStudy(home)
    assert study.setup([LAB]) == 0
    mine = home / LAB / f"{LAB}.ipynb"
    text = mine.read_text()
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "YOUR CODE HERE" in text

    # Work in progress is never overwritten by a second `make self-study`.
    mine.write_text(text.replace("YOUR CODE HERE", "YOUR CODE HERE (started)", 1))
    study.setup([LAB])
    assert "(started)" in mine.read_text()

    with pytest.raises(SystemExit, match="make check LAB="):
        study.solution(LAB)

    mine.write_text(text)
    assert study.check(LAB) == 0
    untouched = capsys.readouterr().out
    assert re.search(r"\*\*autograded total\*\* \| \*\*0 / [1-9]", untouched), untouched

    _solve(mine, LAB)
    assert study.check(LAB) == 0
    out = capsys.readouterr().out
    total = re.search(r"\*\*autograded total\*\* \| \*\*([\d.]+) / ([\d.]+)\*\*", out)
    assert total and float(total.group(1)) == float(total.group(2)) > 0, out
    assert re.search(r"\| Task 1\b[^|]*\| [\d.]+ / [\d.]+ \|", out), out           # points per task
    assert re.search(rf"\| {LAB} \| checked \| {total.group(1)} / {total.group(2)} \|", out), out  # progress
    assert "| lab01_recommendation | not started" in out

    feedback = (home / LAB / "feedback.html").read_text()
    assert "Content-Security-Policy" in feedback and "BEGIN HIDDEN TESTS" not in feedback
    hidden = [line for line in _hidden_lines(LAB) if line not in _sources(text)]  # only what students never see
    assert hidden and not [line for line in hidden if line in feedback or html.escape(line) in feedback]

    assert study.solution(LAB) == 0
    solution = (home / LAB / f"{LAB}-solution.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in solution and "BEGIN SOLUTION" in solution
    assert not [line for line in hidden if json.dumps(line)[1:-1] in solution]


def _sources(notebook_json: str) -> str:
    return "\n".join(cell.source for cell in nbformat.reads(notebook_json, as_version=4).cells)


def _hidden_lines(lab: str) -> list[str]:
    lines, inside = [], False
    for cell in nbformat.read(lab_notebook(lab), 4).cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside and len(line.strip()) > 25:
                lines.append(line.strip())
    return lines


def test_check_and_solution_need_a_known_lab_and_a_notebook(tmp_path):
    run = [sys.executable, str(REPO / "tools" / "self_study.py"), "--home", str(tmp_path)]
    wrong = subprocess.run(run + ["check", "lab99_nothing"], capture_output=True, text=True)
    assert wrong.returncode != 0 and "lab01_recommendation" in wrong.stderr
    missing = subprocess.run(run + ["check", LAB], capture_output=True, text=True)
    assert missing.returncode != 0 and "make self-study" in missing.stderr
    early = subprocess.run(run + ["solution", LAB], capture_output=True, text=True)
    assert early.returncode != 0 and f"make check LAB={LAB}" in early.stderr
    assert not (tmp_path / LAB / f"{LAB}-solution.ipynb").exists()


def test_make_lab_ships_settings_without_the_news_prompt_or_instructor_tools():
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\nlab: $(SETUP)\n", 1)[1].split("\n\n", 1)[0]
    assert 'JUPYTER_CONFIG_PATH="$(abspath jupyter)' in recipe
    assert '--LabApp.app_settings_dir="$(abspath jupyter/lab/settings)"' in recipe
    overrides = json.loads((REPO / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    disabled = json.loads((REPO / "jupyter" / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    # The plugin ids must be the installed nbgrader's, or disabling them does nothing.
    import nbgrader

    static = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"
    assert static.is_dir(), f"nbgrader {nbgrader.__version__}'s lab extension is not installed in {sys.prefix}"
    installed = set(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', "".join(p.read_text(errors="replace")
                                                                        for p in static.glob("*.js"))))
    assert {"@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader"} <= set(disabled) <= installed
    assert "@jupyter/nbgrader:validate-assignment" not in disabled  # students keep Validate
    server = json.loads((REPO / "jupyter" / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert server["nbgrader.server_extensions.formgrader"] is False

