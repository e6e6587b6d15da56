"""What the course is made of — the one definition every tool uses.

A *lesson* is any ``lessons/*.ipynb``; a *lab* is a folder ``labs/<lab_id>/`` holding the nbgrader
source notebook ``labs/<lab_id>/<lab_id>.ipynb``. The tests, the tools and the Makefile
(``make ... LABS=``) all ask this module, so adding a module needs no edits anywhere else.

Run as a script, it prints the lab ids, one per line (the Makefile's default ``LABS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def lesson_notebooks(repo: Path = REPO) -> list[Path]:
    return sorted((repo / "lessons").glob("*.ipynb"))


def lab_ids(repo: Path = REPO) -> list[str]:
    return sorted(p.parent.name for p in (repo / "labs").glob("*/*.ipynb") if p.stem == p.parent.name)


def lab_notebook(lab_id: str, repo: Path = REPO) -> Path:
    return repo / "labs" / lab_id / f"{lab_id}.ipynb"


def nbgrader_command(python: str | None = None) -> list[str]:
    """nbgrader's command line as the Makefile starts it: ``grader/nbgrader_main.py`` (the same
    program as the ``nbgrader`` script, started about a second sooner: see that file). Run it
    from ``autograder/`` or a course folder, with the environment's ``bin`` first on PATH."""
    return [python or sys.executable, str(REPO / "autograder" / "grader" / "nbgrader_main.py")]


def release_allow_list(lab_id: str) -> set[str]:
    """The only files a student release of ``lab_id`` may contain (paths relative to its folder)."""
    return {f"{lab_id}.ipynb"}


if __name__ == "__main__":
    print("\n".join(lab_ids()))
