"""Careless-but-honest repairs, and flags for the instructor, before a submission is graded.

nbgrader zeroes or rejects a whole notebook for mistakes that say nothing about the student's
work: a copied answer or test cell (duplicate ``grade_id``), cell metadata lost by copying a
cell's contents into a new cell, a deleted instruction cell (its ``add_missing_cells`` then
fails). :func:`repair` fixes these so that grading sees what the student meant:

* nbgrader metadata that names no cell of the lab is removed (the cell stays, as plain code);
* of duplicated cells, one keeps the metadata — for an answer, the last copy before its tests
  (the definition in force when the tests run); for other cells, the first — and the copies
  become plain cells, still run in order;
* an answer cell whose metadata was lost is recognised by the function or class it defines;
* every cell of the lab that is missing is put back where it was, with its original source;
* a locked cell whose text is the released text gets the full source (hidden tests included)
  silently — nbgrader would otherwise log "checksum has changed" for every untouched
  submission and hide real tampering; a locked cell the student *edited* is left for nbgrader
  to restore (with its warning) and flagged.

:func:`flags` lists code patterns in the student's own cells that suggest an attempt to
influence grading (patching libraries or IPython, reading other files, killing the process).
They change no score — the sandbox and the judge make such attempts useless — but tell the
instructor which submissions to read.
"""

from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from dataclasses import dataclass

from plan import is_test_cell, nbgrader_meta, parse

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    source: str
    locked: bool
    meta: dict          # canonical nbgrader metadata (from the lab source)


def released_text(source: str) -> str:
    """The text students received for a cell: hidden-test regions removed (as nbgrader does)."""
    lines, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def _same_text(a: str, b: str) -> bool:
    strip = lambda text: "\n".join(line.rstrip() for line in text.strip().splitlines())  # noqa: E731
    return strip(a) == strip(b)


def _defines(source: str) -> set[str]:
    try:
        tree = parse(source)
    except SyntaxError:
        return set(re.findall(r"^(?:def|class)\s+([A-Za-z_]\w*)", source, flags=re.M))
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def _new_cell(cell_type: str, source: str, meta: dict):
    import nbformat

    maker = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
    cell = maker(source=source)
    cell.metadata["nbgrader"] = copy.deepcopy(meta)
    if meta.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
    return cell


def repair(nb, source_cells: list[SourceCell]) -> list[str]:
    """Repair ``nb`` in place (see the module docstring); return notes for the instructor."""
    notes: list[str] = []
    known = {cell.name: cell for cell in source_cells}
    order = [cell.name for cell in source_cells]

    # 1. metadata that names no cell of this lab
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str) or grade_id not in known:
            del cell.metadata["nbgrader"]
            notes.append(f"removed grading metadata naming no cell of the lab ({grade_id!r})")

    # 2. duplicates
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            positions.setdefault(grade_id, []).append(index)
    first_test = {}
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id and grade_id.startswith("test_") and grade_id not in first_test:
            first_test[grade_id] = index
    for grade_id, where in positions.items():
        if len(where) < 2:
            continue
        original = known[grade_id]
        if original.meta.get("solution"):
            tests = [i for name, i in first_test.items() if name == f"test_{grade_id}" or name.startswith(f"test_{grade_id}__")]
            limit = min(tests) if tests else len(nb.cells)
            before = [i for i in where if i < limit]
            keep = before[-1] if before else where[0]
            if original.cell_type == "markdown":
                answered = [i for i in where if not _same_text(nb.cells[i].source, released_text(original.source))]
                keep = answered[-1] if answered else where[0]
        else:
            keep = where[0]
        for index in where:
            if index != keep:
                del nb.cells[index].metadata["nbgrader"]
        notes.append(f"cell {grade_id!r} appeared {len(where)} times; graded the copy at position {keep + 1}")

    present = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}

    # 3. answers whose metadata was lost: find the cell that defines the function or class
    for name in order:
        original = known[name]
        if name in present or not original.meta.get("solution") or original.cell_type != "code":
            continue
        candidates = [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata
                      and name in _defines(c.source)]
        if candidates:
            candidates[-1].metadata["nbgrader"] = copy.deepcopy(original.meta)
            present.add(name)
            notes.append(f"answer cell {name!r} had lost its grading metadata; restored it")

    # 4. canonical metadata on every kept cell, and the cell type it should have
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if not grade_id:
            continue
        original = known[grade_id]
        if nbgrader_meta(cell) != original.meta:
            changed = {k for k in set(nbgrader_meta(cell)) | set(original.meta)
                       if k != "checksum" and nbgrader_meta(cell).get(k) != original.meta.get(k)}
            if changed - {"cell_type"}:
                notes.append(f"grading metadata of {grade_id!r} was changed ({', '.join(sorted(changed))}); restored")
            cell.metadata["nbgrader"] = copy.deepcopy(original.meta)

    # 5. missing cells go back after the previous cell of the lab
    for position, name in enumerate(order):
        if name in present:
            continue
        original = known[name]
        index_of = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells)}
        previous = [index_of[n] for n in order[:position] if n in index_of]
        at = previous[-1] + 1 if previous else 0
        nb.cells.insert(at, _new_cell(original.cell_type, original.source, original.meta))
        present.add(name)
        notes.append(f"cell {name!r} was missing; put it back")

    # 6. locked cells: released text → full source, silently; edited → flagged
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if not grade_id or not known[grade_id].locked:
            continue
        original = known[grade_id]
        if cell.source == original.source:
            continue
        if _same_text(cell.source, released_text(original.source)) or _same_text(cell.source, original.source):
            cell.source = original.source
        else:
            notes.append(f"locked cell {grade_id!r} was edited; the original is restored for grading")
            cell.source = original.source
    return notes


# --------------------------------------------------------------------------- flags

_PATTERNS = [
    (r"\bget_ipython\s*\(\s*\)\s*\.\s*(input_transformers\w*|ast_transformers|events|set_custom_exc|showtraceback"
     r"|run_cell|run_ast_nodes|displayhook|display_pub|user_ns)\b", "changes IPython's own machinery"),
    (r"\b(input_transformers_\w+|ast_transformers)\b", "installs an IPython code transformer"),
    (r"\bsys\s*\.\s*modules\s*\[", "edits the module table (sys.modules)"),
    (r"\b(builtins|__builtins__)\b", "touches Python's built-ins"),
    (r"\bsys\s*\.\s*(settrace|setprofile|_getframe|excepthook|displayhook|stdout\s*=|stderr\s*=)",
     "changes the interpreter's hooks or output streams"),
    (r"\bos\s*\.\s*(_exit|kill|killpg|fork|forkpty|setsid|system|exec\w*|spawn\w*|posix_spawn\w*)\b",
     "kills, forks or replaces the process"),
    (r"\b(subprocess|multiprocessing|ctypes|cffi|signal|pty)\b", "uses processes, signals or raw memory"),
    (r"\bsqlite3\b|gradebook", "reaches for the gradebook"),
    (r"(autograded|submitted|/labs/|\blabs/|\.pth\b|site-packages|/opt/grader|GRADER_|\bharness\b|\bcodec\b)",
     "refers to the grader's files or other students' work"),
    (r"\.ipynb\b", "opens notebook files (the lab source or other submissions?)"),
    (r"[\'\"]/\*\*|\bos\s*\.\s*walk\s*\(\s*[\'\"]/|\brglob\s*\(", "searches the file system"),
    (r"\bgc\s*\.\s*(get_objects|get_referrers)|\binspect\s*\.\s*(stack|currentframe|getsource)",
     "inspects the interpreter's objects or stack"),
    (r"\b(importlib\s*\.\s*reload|__import__)\b", "reloads or imports modules dynamically"),
]


# Course helpers that do a graded task's whole job: an answer cell that calls them is flagged
# (the lab's task text says such an answer earns no points for that task; no test can tell a
# call to the course's trainer from a loop written by hand, so the instructor decides).
_COURSE_SHORTCUTS = {
    "train_gan": r"\b(fit_gan|train_conditional_gan|load_fashion_generator|load_weights|load_state_dict|torch\s*\.\s*load)\b"
                 r"|\bgetattr\s*\(\s*gan\b|\bvars\s*\(\s*gan\s*\)|\bgan\s*\.\s*__dict__",
}


def _patched_attributes(tree, imported: set[str]) -> list[str]:
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            if node.args and isinstance(node.args[0], (ast.Name, ast.Attribute)):
                found.append(ast.unparse(node.args[0]))
            continue
        for target in targets:
            if isinstance(target, ast.Attribute):
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in imported:
                    found.append(ast.unparse(target))
    return found


def _without_comments(source: str) -> str:
    """The code with its comments blanked (a comment that names the gradebook does nothing); strings
    stay, since a path in a string is what opening a file takes. Unparsable code is kept whole."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    lines = source.splitlines(keepends=True)
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + " " * (token.end[1] - col) + line[token.end[1]:]
    return "".join(lines)


def flags(nb, imported: set[str]) -> list[str]:
    """Reasons to look at a submission: patterns in the student's own (non-test) code cells.

    ``imported`` are the modules and functions the lab's set-up imports (``np``,
    ``check_close``...): patching or redefining them is flagged.
    """
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code" or is_test_cell(cell):
            continue
        source = cell.source
        where = nbgrader_meta(cell).get("grade_id") or "a cell"
        shortcut = _COURSE_SHORTCUTS.get(where)
        code = _without_comments(source)
        if shortcut and nbgrader_meta(cell).get("solution"):
            for name in sorted({match.group(0) for match in re.finditer(shortcut, code)}):
                found.append(f"{where}: calls the course's own {name} instead of writing the task")
        for pattern, reason in _PATTERNS:
            if re.search(pattern, code):
                found.append(f"{where}: {reason}")
        try:
            tree = parse(source)
        except SyntaxError:
            continue
        for target in _patched_attributes(tree, imported):
            found.append(f"{where}: patches {target}")
        rebinds = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                rebinds.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    rebinds |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        if rebinds & imported:
            found.append(f"{where}: redefines the lab's {', '.join(sorted(rebinds & imported))}")
    return sorted(set(found))
