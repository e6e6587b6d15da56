"""Discovery of the course's notebooks and labs, shared by the tests.

Adding a module needs no test edits: a lesson is any ``lessons/*.ipynb``, a lab any
``labs/<lab_id>/<lab_id>.ipynb``, and its wrong-answer cases any
``tests/grading/<lab_id>/wrong_answers/<function>__<slug>.py``; unusual-but-correct answers
``tests/grading/<lab_id>/right_answers/<function>__<slug>.py``. The answer cases live with the
grading tests, outside ``labs/``, so nbgrader can never copy them into a student release.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
from course_layout import lab_ids, lab_notebook, lesson_notebooks  # noqa: F401 (the one definition, re-exported)
from submissions import strip_solution_markers as strip_markers  # noqa: F401 (re-export)

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "grading"


def all_notebooks() -> list[Path]:
    return lesson_notebooks() + [lab_notebook(lab) for lab in lab_ids()]


@dataclass(frozen=True)
class AnswerCase:
    lab_id: str
    function: str
    slug: str
    path: Path
    kind: str = "wrong"

    @property
    def source(self) -> str:
        return self.path.read_text()

    def lost_cells(self, test_cells_of_function: list[str]) -> list[str]:
        """The test cells this mistake must lose: a `# loses:` line, or all of its function's."""
        match = re.search(r"^# loses:(.*)$", self.source, flags=re.M)
        if match:
            return [name.strip() for name in match.group(1).split(",") if name.strip()]
        return test_cells_of_function


def _cases(lab_id: str, folder: str, prefix: str) -> list[AnswerCase]:
    cases = []
    for path in sorted((CASES / lab_id / folder).glob("*.py")):
        function, sep, slug = path.stem.partition("__")
        if not sep:
            raise ValueError(f"{path}: expected a name like <function>__<what>.py")
        cases.append(AnswerCase(lab_id, function, slug, path, prefix))
    return cases


def wrong_answers(lab_id: str) -> list[AnswerCase]:
    """Plausible mistakes: each must lose its function's points and no others."""
    return _cases(lab_id, "wrong_answers", "wrong")


def other_right_answers(lab_id: str) -> list[AnswerCase]:
    """Unusual but correct implementations: each must get full marks."""
    return _cases(lab_id, "right_answers", "right")


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_functions(nb) -> list[str]:
    """Grade ids of autograded answer cells (code, solution, not graded) = function names."""
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")
    ]


def grade_cells(nb) -> dict[str, float]:
    """Grade id → points of every autograded test cell."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"])
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def cells_for(function: str, cells: dict[str, float]) -> list[str]:
    return [name for name in cells if name == f"test_{function}" or name.startswith(f"test_{function}__")]


def read(path: Path):
    return nbformat.read(path, as_version=4)


def hidden_test_lines(nb, min_length: int = 20) -> set[str]:
    """Substantial lines that appear only between the hidden-test markers of a notebook."""
    hidden, public = set(), set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            text = line.strip()
            if text.startswith("### BEGIN HIDDEN TESTS"):
                inside = True
            elif text.startswith("### END HIDDEN TESTS"):
                inside = False
            else:
                (hidden if inside else public).add(text)
    return {line for line in hidden - public if len(line) >= min_length}


def identifiers(source: str) -> set[str]:
    """Bare names used in code: not in strings or comments, not attributes (librosa.hz_to_mel)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return set(re.findall(r"(?<![.\w])[A-Za-z_]\w*", source))
    return {
        token.string
        for before, token in zip([None, *tokens], tokens, strict=False)
        if token.type == tokenize.NAME and not (before and before.string == ".")
    }
