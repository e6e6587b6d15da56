"""What the grader needs to know about a lab, read from its source notebook (trusted).

* which cells are answer cells (the student writes them) and which are test cells;
* the names the answer cells define (``student_names``): the only names a test cell may take
  from the student's process;
* the lab's own set-up cells (``context``) that the judge runs to build the tests' trusted
  namespace: every code cell that is neither an answer nor a test and does not use a
  student-defined name;
* per-cell time limits (``"creative_ai": {"timeout": N}`` in a cell's metadata).
"""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass, field

DEFAULT_CELL_TIMEOUT = 60.0
# Cells of the lab that only show the student's functions at work ("try it", "putting it
# together") earn no points and set up nothing the tests use: a shorter limit, so a function
# that loops for ever costs little time there (its own test cells still get the full limit).
DEMO_CELL_TIMEOUT = 20.0


_AST_LOCK = threading.Lock()


def parse(source: str) -> ast.Module:
    """``ast.parse``, one thread at a time: the grader's own process parses cells in several
    threads at once (the workers, the recorder). In CPython 3.11 the counter that guards the
    depth of the Python AST being built belongs to the interpreter, not to a thread, so two
    threads building trees at once can end one of them with ``SystemError: AST constructor
    recursion depth mismatch`` (python/cpython#106905 and its follow-ups); in stop 30's CI one
    submission of the whole-course corpus came out "failed" with it. A parse outside this lock
    (a traceback formatted in another thread) can still meet one, and parsing is deterministic,
    so that error is retried."""
    for _ in range(2):
        with _AST_LOCK:
            try:
                return ast.parse(source)
            except SystemError as error:
                if "recursion depth mismatch" not in str(error):
                    raise
    with _AST_LOCK:  # the third attempt's error, if any, is the caller's
        return ast.parse(source)


def nbgrader_meta(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("solution")) and not meta.get("grade")


def _python(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def bound_names(source: str) -> set[str]:
    """Names a cell binds at top level (def, class, assignment, import, for, with)."""
    try:
        tree = parse(_python(source))
    except SyntaxError:
        return set()
    names: set[str] = set()

    def targets(node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                targets(target)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.If, ast.Try, ast.While)):
            targets(node)
    return names


def imported_names(source: str) -> set[str]:
    try:
        tree = parse(_python(source))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def imported_modules(source: str) -> set[str]:
    try:
        tree = parse(_python(source))
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def read_names(source: str) -> set[str]:
    try:
        tree = parse(_python(source))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def cell_timeout(cell, default: float = DEFAULT_CELL_TIMEOUT) -> float:
    value = ((cell.get("metadata") or {}).get("creative_ai") or {}).get("timeout")
    return float(value) if isinstance(value, (int, float)) and value > 0 else default


@dataclass
class LabPlan:
    lab_id: str
    context: list[str] = field(default_factory=list)         # sources the judge runs first
    skipped_context: list[str] = field(default_factory=list) # cells that use student names
    student_names: set[str] = field(default_factory=set)
    tests: dict[str, str] = field(default_factory=dict)       # grade_id -> source (with hidden tests)
    timeouts: dict[str, float] = field(default_factory=dict)  # grade_id -> seconds
    answer_ids: list[str] = field(default_factory=list)
    context_names: set[str] = field(default_factory=set)
    demo_sources: set[str] = field(default_factory=set)        # normalised sources of skipped cells
    imported_names: set[str] = field(default_factory=set)     # modules and functions the set-up imports
    modules: set[str] = field(default_factory=set)            # modules the judge will import (preloaded)

    def timeout_for(self, grade_id: str | None, default: float, source: str | None = None) -> float:
        if grade_id:
            return self.timeouts.get(grade_id, default)
        if source is not None and _normalise(source) in self.demo_sources:
            return min(default, DEMO_CELL_TIMEOUT)
        return default


def _normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def lab_plan(lab_id: str, source_nb, default_timeout: float = DEFAULT_CELL_TIMEOUT) -> LabPlan:
    plan = LabPlan(lab_id)
    cells = [c for c in source_nb["cells"] if c.get("cell_type") == "code"]
    for cell in cells:
        if is_answer_cell(cell):
            # Imports in an answer cell are the student's modules, possibly patched: a test that
            # needs torch imports it itself, so it never gets the student's copy.
            plan.student_names |= bound_names(cell["source"]) - imported_names(cell["source"])
            plan.answer_ids.append(nbgrader_meta(cell)["grade_id"])
    tainted = set(plan.student_names)
    for cell in cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            plan.timeouts[grade_id] = cell_timeout(cell, default_timeout)
        if is_answer_cell(cell):
            continue
        if is_test_cell(cell):
            plan.tests[grade_id] = cell["source"]
            plan.modules |= imported_modules(cell["source"])
            continue
        # A cell is skipped when it reads a student-defined name or a name that a skipped cell
        # defined (transitively); the judge runs the others, in order.
        if read_names(cell["source"]) & tainted:
            plan.skipped_context.append(cell["source"])
            plan.demo_sources.add(_normalise(cell["source"]))
            tainted |= bound_names(cell["source"])
        else:
            plan.context.append(cell["source"])
            plan.context_names |= bound_names(cell["source"])
            plan.imported_names |= imported_names(cell["source"])
            plan.modules |= imported_modules(cell["source"])
            tainted -= bound_names(cell["source"]) - plan.student_names
    # A name the lab's own set-up defines is always the lab's, even if a student's cell rebinds it.
    plan.student_names -= plan.context_names
    return plan


def all_bound_names(source: str) -> set[str]:
    """Every name a cell binds anywhere: assignments, function parameters, loop and comprehension
    variables, imports, definitions (used to find the names a cell reads from outside)."""
    try:
        tree = parse(_python(source))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def names_only_from_skipped_cells(plan: LabPlan) -> dict[str, set[str]]:
    """Test cell → names it reads that only a skipped (student-dependent) cell defines.

    Such a test would take untrusted values from the student's process: the structural test of
    the suite requires this to be empty.
    """
    skipped = set().union(*(bound_names(s) for s in plan.skipped_context)) if plan.skipped_context else set()
    risky = skipped - plan.context_names - plan.student_names
    found = {}
    for grade_id, source in plan.tests.items():
        names = (read_names(source) & risky) - all_bound_names(source)
        if names:
            found[grade_id] = names
    return found
