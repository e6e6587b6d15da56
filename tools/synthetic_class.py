"""A synthetic class made from the course's own sample answers, to measure grading insight on.

    python tools/synthetic_class.py --course autograder --students 120 --seed 22 LAB [LAB ...]
    python tools/synthetic_class.py measure --course autograder     # the flags against the truth
    python tools/synthetic_class.py record --seed 22 --seed 7 --seed 3  # in memory → similarity_measured.json
    python tools/synthetic_class.py check                             # recompute it and compare

writes ``<course>/submitted/<student>/<lab>/<lab>.ipynb`` for ``--students`` synthetic students
(``syn-001`` …) from each lab's student release (``make release`` first), a roster for the grade
exports (``<course>/synthetic-roster.csv``, see ``autograder/README.md``) and the ground truth of
the planted copies (``<course>/synthetic-truth.json``). Everything is drawn from one seeded
generator, so the same arguments give the same class.

Each answer cell is one of the course's own answers for that function: the lab's model solution,
an unusual-but-correct answer (``tests/grading/<lab>/right_answers/``), a typical mistake
(``tests/grading/<lab>/wrong_answers/``) or the untouched starter code. Which one depends on a
per-student ability and a per-function difficulty (both drawn here), so the class has strong and
weak students and easy and hard tasks, as an item analysis expects. Nothing here is presented as
data about real students: it is a test class, and the report says so only through its names.

**Independent students differ.** Real students who choose the same approach still write it
differently. Each independent student's code is therefore passed through behaviour-preserving
rewrites chosen at random at every eligible place — ``a < b`` written ``b > a``, ``a * b`` written
``b * a``, ``return expr`` written through a variable, ``if c: A else: B`` written
``if not c: B else: A`` — and re-formatted when rewritten. Scores are unchanged (each rewrite gives
the same value for numbers, arrays and tensors), but no two students share long identical stretches
unless they share the approach *and* the choices.

**Planted copies** (``--copies`` per lab): a student takes another student's answer cells — all of
them, or at least two thirds (*partial*), sometimes then disguised with the same kind of rewrites
(*disguised*), or only the answer the source wrote the most code for (*one task*) — renames
every local variable and re-formats the code (comments dropped, one new
comment added). These pairs are what the similarity flags must find; every other pair is
independent. Some students skip a lab (a missing submission), some hand in the untouched release.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from submissions import WRITTEN_ANSWER, strip_solution_markers  # noqa: E402

RESULT_NAMES = ["result", "out", "answer", "value", "res", "output", "ret", "total_value"]
LOCAL_PREFIXES = ["my_", "tmp_", "the_", "x_", "val_", "cur_", "new_", "loc_"]


# --------------------------------------------------------------------------- answers of a lab


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def code_answer_ids(nb) -> list[str]:
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells
            if c.cell_type == "code" and nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")]


def _case_source(path: Path) -> str:
    lines = path.read_text().splitlines()
    while lines and lines[0].startswith("#"):  # the case's own description ("# Mistake: ...")
        lines.pop(0)
    return "\n".join(line for line in lines if not line.startswith("# loses:")).strip() + "\n"


def answer_pool(lab: str, source_nb) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """function → {"right": [(name, code)], "wrong": [(name, code)]}; the model solution first."""
    solutions = {nbgrader_meta(c).get("grade_id"): c.source for c in source_nb.cells}
    pool = {}
    for function in code_answer_ids(source_nb):
        pool[function] = {"right": [("solution", strip_solution_markers(solutions[function]).strip() + "\n")],
                          "wrong": []}
    for kind, folder in (("right", "right_answers"), ("wrong", "wrong_answers")):
        for path in sorted((REPO / "tests" / "grading" / lab / folder).glob("*.py")):
            function, _, slug = path.stem.partition("__")
            if function in pool:
                pool[function][kind].append((f"{kind}:{slug}", _case_source(path)))
    return pool


# --------------------------------------------------------------------------- rewrites


def given_names(starter: str) -> set[str]:
    """Top-level functions and classes the release already gives in full (not to be rewritten)."""
    try:
        tree = ast.parse(starter)
    except SyntaxError:
        return set()
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
            and "NotImplementedError" not in ast.unparse(node)}


class _Rewriter(ast.NodeTransformer):
    """Behaviour-preserving rewrites, each applied where eligible with probability ``p``.

    Each keeps the order in which things are evaluated (random generators give the same numbers):
    comparisons mirrored, ``*`` operands swapped, conditional expressions and ``if``/``else``
    inverted, ``range(n)`` written ``range(0, n)``, ``return expr``, an ``if`` test or a ``for``
    loop's iterable first stored in a variable, ``a, b = x, y`` split, and a list comprehension
    assigned to a name written as a loop that appends.
    """

    def __init__(self, rng: random.Random, p: float = 0.5):
        self.rng, self.p, self.changed = rng, p, 0

    def _coin(self) -> bool:
        hit = self.rng.random() < self.p
        self.changed += hit
        return hit

    def visit_Compare(self, node):
        self.generic_visit(node)
        flip = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
        if len(node.ops) == 1 and type(node.ops[0]) in flip and self._coin():
            return ast.Compare(left=node.comparators[0], ops=[flip[type(node.ops[0])]()], comparators=[node.left])
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Mult) and self._coin():
            return ast.BinOp(left=node.right, op=ast.Mult(), right=node.left)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if self._coin():
            return ast.IfExp(test=ast.UnaryOp(op=ast.Not(), operand=node.test), body=node.orelse, orelse=node.body)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if (isinstance(node.func, ast.Name) and node.func.id == "range" and len(node.args) == 1
                and not node.keywords and self._coin()):
            node.args = [ast.Constant(0), node.args[0]]
        return node

    def visit_If(self, node):
        self.generic_visit(node)
        if node.orelse and not (len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)) and self._coin():
            return ast.If(test=ast.UnaryOp(op=ast.Not(), operand=node.test), body=node.orelse, orelse=node.body)
        return node

    def _name(self, taken: set[str]) -> str | None:
        name = next((n for n in self.rng.sample(RESULT_NAMES, len(RESULT_NAMES)) if n not in taken), None)
        if name:
            taken.add(name)
        return name

    def _statements(self, body: list, taken: set[str]) -> list:
        out = []
        for statement in body:
            store = lambda name: ast.Name(name, ast.Store())  # noqa: E731
            load = lambda name: ast.Name(name, ast.Load())  # noqa: E731
            if (isinstance(statement, ast.Return) and statement.value is not None
                    and not isinstance(statement.value, (ast.Name, ast.Constant)) and self._coin()):
                name = self._name(taken)
                if name:
                    out += [ast.Assign(targets=[store(name)], value=statement.value), ast.Return(value=load(name))]
                    continue
            if isinstance(statement, ast.If) and not isinstance(statement.test, ast.Name) and self._coin():
                name = self._name(taken)
                if name:
                    out += [ast.Assign(targets=[store(name)], value=statement.test),
                            ast.If(test=load(name), body=statement.body, orelse=statement.orelse)]
                    continue
            if isinstance(statement, ast.For) and not isinstance(statement.iter, ast.Name) and self._coin():
                name = self._name(taken)
                if name:
                    statement.iter, hoisted = load(name), statement.iter
                    out += [ast.Assign(targets=[store(name)], value=hoisted), statement]
                    continue
            if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Tuple) and isinstance(statement.value, ast.Tuple)
                    and len(statement.targets[0].elts) == len(statement.value.elts)
                    and all(isinstance(t, ast.Name) for t in statement.targets[0].elts)):
                targets = [t.id for t in statement.targets[0].elts]
                used = {n.id for v in statement.value.elts for n in ast.walk(v) if isinstance(n, ast.Name)}
                if not used & set(targets) and self._coin():
                    out += [ast.Assign(targets=[store(t)], value=v) for t, v in zip(targets, statement.value.elts, strict=True)]
                    continue
            if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.ListComp)
                    and len(statement.value.generators) == 1 and not statement.value.generators[0].is_async):
                generator = statement.value.generators[0]
                loop_names = {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
                if not loop_names & self._outside and self._coin():
                    target = statement.targets[0].id
                    append = ast.Expr(ast.Call(func=ast.Attribute(load(target), "append", ast.Load()),
                                               args=[statement.value.elt], keywords=[]))
                    inner = append
                    for condition in reversed(generator.ifs):
                        inner = ast.If(test=condition, body=[inner], orelse=[])
                    out += [ast.Assign(targets=[store(target)], value=ast.List(elts=[], ctx=ast.Load())),
                            ast.For(target=generator.target, iter=generator.iter, body=[inner], orelse=[])]
                    continue
            out.append(statement)
        return out

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        self._outside = _names_outside_comprehensions(node)
        # every name the function uses, so a new variable never shadows one (comprehension variables
        # live in their own scope and may repeat)
        taken = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {a.arg for a in ast.walk(node)
                                                                             if isinstance(a, ast.arg)}
        for holder in list(ast.walk(node)):
            for attr in ("body", "orelse", "finalbody"):
                block = getattr(holder, attr, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    setattr(holder, attr, self._statements(block, taken))
        return node

    _outside: set = set()


def _names_outside_comprehensions(node) -> set[str]:
    names, stack = set(), [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)):
            continue
        if isinstance(current, ast.Name):
            names.add(current.id)
        stack.extend(ast.iter_child_nodes(current))
    return names


def rewrite(code: str, rng: random.Random, keep: set[str], p: float = 0.5) -> str:
    """``code`` with random behaviour-preserving rewrites in every function not in ``keep``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    rewriter = _Rewriter(rng, p)
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name not in keep:
            tree.body[index] = rewriter.visit(node)
    if not rewriter.changed:
        return code
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _local_names(function: ast.FunctionDef) -> set[str]:
    """Names a function binds itself (not its parameters: tests may pass them by keyword)."""
    declared = {name for node in ast.walk(function) if isinstance(node, (ast.Global, ast.Nonlocal))
                for name in node.names}
    params = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    stored = {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return stored - params - declared


def disguise(code: str, rng: random.Random) -> str:
    """A copier's disguise: every local variable renamed, re-formatted, comments replaced."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    prefix = rng.choice(LOCAL_PREFIXES)
    for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        # a nested helper's parameter may share a name with an outer local: leave such names alone
        # (renaming one and not the other would change what the code does)
        nested = {a.arg for inner in ast.walk(function) if inner is not function
                  and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                  for a in ast.walk(inner.args) if isinstance(a, ast.arg)}
        names = _local_names(function) - nested
        mapping = {name: f"{prefix}{name.strip('_')}{rng.randint(1, 9)}" for name in sorted(names)}
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in mapping:
                node.id = mapping[node.id]
    body = ast.unparse(tree)
    comment = rng.choice(["# my solution", "# worked on this for a while", "# TODO tidy up", "# done"])
    return f"{comment}\n{body}\n"


# --------------------------------------------------------------------------- the class


def _sigmoid(x: float) -> float:
    import math

    return 1 / (1 + math.exp(-x))


def release_of(source_nb):
    """The student release of a lab source in memory: nbgrader's own ClearSolutions, as ``make release``."""
    from nbgrader.preprocessors import ClearSolutions

    release, _ = ClearSolutions().preprocess(nbformat.from_dict(source_nb), {})
    return release


def _size(code: str) -> int:
    try:
        return sum(1 for _ in ast.walk(ast.parse(code)))
    except SyntaxError:
        return 0


KINDS = ("full", "partial", "disguised", "one task")


def make_lab(lab: str, release, source, ids: list[str], ability: dict[str, float], copies: int, seed: int) -> dict:
    """One lab's synthetic class in memory: every present student's code answers and the truth.

    Returns ``{"answers": student → {function: code}, "skipped", "blank", "planted", "choices"}``.
    """
    rng = random.Random(f"{seed}/{lab}/difficulty")
    pool = answer_pool(lab, source)
    starters = {nbgrader_meta(c).get("grade_id"): c.source for c in release.cells}
    keep = {f: given_names(starters.get(f, "")) for f in pool}
    difficulty = {f: rng.gauss(0.3, 1.0) for f in pool}
    lab_rng = random.Random(f"{seed}/{lab}")
    students = len(ids)
    skipped = set(lab_rng.sample(ids, max(1, students // 25)))
    blank = set(lab_rng.sample([s for s in ids if s not in skipped], max(1, students // 40)))
    present = [s for s in ids if s not in skipped]
    copiers = lab_rng.sample([s for s in present if s not in blank], copies)
    independent = [s for s in present if s not in copiers]
    answers: dict[str, dict[str, str]] = {}
    choice: dict[str, dict[str, str]] = {}
    for student in independent:
        answers[student], choice[student] = {}, {}
        for function, variants in pool.items():
            if student in blank:
                name, code = "starter", starters[function]
            elif lab_rng.random() < 0.04:
                name, code = "starter", starters[function]
            elif lab_rng.random() < _sigmoid(ability[student] - difficulty[function]) or not variants["wrong"]:
                right = variants["right"]
                name, code = right[0] if len(right) == 1 or lab_rng.random() < 0.6 else lab_rng.choice(right[1:])
            else:
                name, code = lab_rng.choice(variants["wrong"])
            if name != "starter":
                code = rewrite(code, random.Random(f"{seed}/{lab}/{student}/{function}"), keep[function])
            answers[student][function], choice[student][function] = code, name
    planted = []
    sources = [s for s in independent if s not in blank
               and sum(choice[s][f] != "starter" for f in pool) >= max(2, len(pool) // 2)]
    for index, copier in enumerate(copiers):
        source_student = lab_rng.choice(sources)
        kind = KINDS[index % len(KINDS)]
        functions = list(pool)
        if kind == "partial":
            taken = lab_rng.sample(functions, max(1, -(-2 * len(functions) // 3)))
        elif kind == "one task":   # the task the source student wrote the most code for (the hard one)
            taken = [max(functions, key=lambda f: (choice[source_student][f] != "starter",
                                                   _size(answers[source_student][f])))]
        else:
            taken = functions
        answers[copier], choice[copier] = {}, {}
        copy_rng = random.Random(f"{seed}/{lab}/{copier}/copy")
        for function in functions:
            if function in taken:
                code = answers[source_student][function]
                if choice[source_student][function] != "starter":
                    if kind == "disguised":
                        code = rewrite(code, copy_rng, keep[function], p=0.3)
                    code = disguise(code, copy_rng)
                answers[copier][function] = code
                choice[copier][function] = f"copy of {source_student}"
            else:
                name, code = lab_rng.choice(pool[function]["right"] + pool[function]["wrong"])
                answers[copier][function] = rewrite(code, copy_rng, keep[function])
                choice[copier][function] = name
        planted.append({"copier": copier, "source": source_student, "kind": kind, "functions": sorted(taken)})
    return {"answers": answers, "skipped": sorted(skipped), "blank": sorted(blank), "planted": planted,
            "choices": choice, "present": present}


def class_ids(students: int, seed: int) -> tuple[list[str], dict[str, float]]:
    rng = random.Random(seed)
    ids = [f"syn-{i:03d}" for i in range(1, students + 1)]
    return ids, {s: rng.gauss(0.8, 1.2) for s in ids}


def build_class(course: Path, labs: list[str], students: int, copies: int, seed: int) -> dict:
    ids, ability = class_ids(students, seed)
    truth = {"seed": seed, "students": ids, "labs": {}}
    for lab in labs:
        release_path = course / "release" / lab / f"{lab}.ipynb"
        if not release_path.exists():
            raise SystemExit(f"{release_path} does not exist: run `make release` first")
        release = nbformat.read(release_path, as_version=4)
        source = nbformat.read(REPO / "labs" / lab / f"{lab}.ipynb", as_version=4)
        made = make_lab(lab, release, source, ids, ability, copies, seed)
        answers, blank = made["answers"], set(made["blank"])
        for student in made["present"]:
            nb = nbformat.from_dict(release)
            for cell in nb.cells:
                meta = nbgrader_meta(cell)
                if not meta.get("solution"):
                    continue
                if cell.cell_type == "markdown":
                    cell.source = release_text(cell) if student in blank else WRITTEN_ANSWER
                elif meta["grade_id"] in answers[student]:
                    cell.source = answers[student][meta["grade_id"]].rstrip("\n")
            folder = course / "submitted" / student / lab
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / f"{lab}.ipynb")
        truth["labs"][lab] = {k: made[k] for k in ("skipped", "blank", "planted", "choices")}
    return truth


def release_text(cell) -> str:
    return cell.source


def write_roster(path: Path, ids: list[str], seed: int) -> None:
    """A roster in the documented layout for the synthetic students (obviously fake identities)."""
    rng = random.Random(f"{seed}/roster")
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email",
                         "idnumber", "username"])
        for number, student in enumerate(ids, start=1):
            writer.writerow([student, f"Synthetic, Student {number:03d}", 90000 + number, f"SIS{number:05d}",
                             f"syn{number:03d}", rng.choice(["Section A", "Section B"]),
                             f"syn{number:03d}@example.edu", f"ID{number:05d}", f"syn{number:03d}"])


def pair_kind(info: dict, a: str, b: str, cells: list[str] | None = None) -> str:
    """"planted", "same answer", "independent" or "sample" (see :func:`score_flags`).

    ``cells``: the answer cells that raised the flag (None: all of them).
    """
    choices = info["choices"]
    source_of = {p["copier"]: p["source"] for p in info["planted"]}
    if {a, b} in [{p["copier"], p["source"]} for p in info["planted"]]:
        return "planted"
    if a not in choices or b not in choices:
        return "sample"

    def origin(student, function):
        name = choices[student][function]
        return choices[source_of[student]][function] if name.startswith("copy of") else name

    same = any(origin(a, f) == origin(b, f) != "starter" for f in (cells or choices[a]) if f in choices[a])
    return "same answer" if same else "independent"


def score_flags(info: dict, pairs) -> dict:
    """The flags of one lab against the truth.

    A flagged pair is *planted* (a true flag), *same answer* (not planted, but in a cell that raised
    the flag both students were given the same course answer, so their code there comes from one
    text with random rewrites), or *independent* (no such cell: a false flag on independent work).
    """
    planted = {tuple(sorted((p["copier"], p["source"]))): p["kind"] for p in info["planted"]}
    found = {tuple(sorted((p.a, p.b))) for p in pairs}
    flagged = [pair_kind(info, p.a, p.b, None if "whole lab" in p.flagged else p.flagged) for p in pairs]
    by_kind = {k: [key in found for key, v in planted.items() if v == k] for k in KINDS}
    synthetic = [f for f in flagged if f != "sample"]
    return {"planted": len(planted), "found": flagged.count("planted"),
            "found_by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in by_kind.items() if v},
            "flags": len(synthetic), "same_answer_flags": flagged.count("same answer"),
            "independent_flags": flagged.count("independent")}


def _totals(results: dict) -> dict:
    total = {key: sum(r[key] for r in results.values()) for key in ("planted", "found", "flags", "same_answer_flags",
                                                                      "independent_flags")}
    total["recall"] = round(total["found"] / total["planted"], 3) if total["planted"] else None
    total["precision"] = round(total["found"] / total["flags"], 3) if total["flags"] else None
    return total


def measure(course_folder: Path) -> dict:
    """The similarity flags of a synthetic class written to a course folder, against its truth."""
    sys.path.insert(0, str(REPO / "autograder" / "insight"))
    import time

    import similarity
    from course_data import Course

    course = Course.open(course_folder)
    truth = json.loads((course.root / "synthetic-truth.json").read_text())
    results = {}
    for lab, info in truth["labs"].items():
        start = time.monotonic()
        pairs, stats, _ = similarity.flag_lab(course, lab)
        results[lab] = {"submissions": stats["submissions"], "seconds": round(time.monotonic() - start, 2),
                        **score_flags(info, pairs)}
    return {"labs": results, "total": _totals(results)}


MEASURED = REPO / "autograder" / "insight" / "similarity_measured.json"
MEASURED_LABS = ["lab01_recommendation", "lab02_audio_features", "lab03_style_transfer", "lab04_fashion_gan",
                 "lab05_data_ethics"]


def measure_in_memory(labs: list[str], students: int, copies: int, seed: int) -> dict:
    """:func:`measure` without a course folder: the class is made in memory from the lab sources (the
    release by nbgrader's ClearSolutions) and compared as :func:`similarity.flag_lab` compares it."""
    sys.path.insert(0, str(REPO / "autograder" / "insight"))
    import similarity
    from course_data import answer_cells

    ids, ability = class_ids(students, seed)
    results = {}
    for lab in labs:
        source = nbformat.read(REPO / "labs" / lab / f"{lab}.ipynb", as_version=4)
        release = release_of(source)
        made = make_lab(lab, release, source, ids, ability, copies, seed)
        starters = answer_cells(release)
        answers = similarity.fingerprint_answers(made["answers"], starters)
        pairs, stats = similarity.compare(answers)
        results[lab] = {"submissions": stats["submissions"], **score_flags(made, pairs)}
    return {"seed": seed, "students": students, "copies": copies, "labs": results, "total": _totals(results)}


def settings() -> dict:
    """The similarity settings a measurement holds for (a change in any of them calls for a new one)."""
    sys.path.insert(0, str(REPO / "autograder" / "insight"))
    import similarity

    return {name: getattr(similarity, name) for name in ("K", "W", "COMMON_MIN", "COMMON_SHARE", "THRESHOLD",
                                                          "MIN_RARE", "TASK_THRESHOLD", "TASK_MIN_SHARED")}


def summary(recorded: dict) -> str:
    """The sentence similarity.py's docstring and autograder/README.md quote (tests/test_insight.py
    checks that they do)."""
    runs = recorded["runs"]
    labs = sorted({lab for run in runs for lab in run["labs"]})
    found = ", ".join(f"{r['total']['found']}/{r['total']['planted']}" for r in runs)
    kinds = {}
    for run in runs:
        for info in run["labs"].values():
            for kind, text in info["found_by_kind"].items():
                got, of = (int(x) for x in text.split("/"))
                kinds[kind] = (kinds.get(kind, (0, 0))[0] + got, kinds.get(kind, (0, 0))[1] + of)
    by_kind = ", ".join(f"{kind} {got}/{of}" for kind, (got, of) in kinds.items())
    return (f"planted copies found over labs {labs[0][3:5]}-{labs[-1][3:5]}, seeds "
            f"{', '.join(str(r['seed']) for r in runs)}: {found} ({by_kind}); flags on independent answers: "
            f"{', '.join(str(r['total']['independent_flags']) for r in runs)}; flags on pairs given the same "
            f"course answer: {', '.join(str(r['total']['same_answer_flags']) for r in runs)}")


def lab00_sentence(short: dict) -> str:
    total = short["total"]
    return (f"{total['found']} of {total['planted']} planted copies found, {total['flags']} flag(s), "
            f"{total['independent_flags']} on independent answers")


def check(seeds: list[int] | None = None) -> int:
    """Recompute the recorded measurement (``similarity_measured.json``) and compare: 0 when equal."""
    recorded = json.loads(MEASURED.read_text())
    if recorded["settings"] != settings():
        print(f"similarity.py's settings {settings()} are not the measured ones {recorded['settings']}: "
              "run `python tools/synthetic_class.py record --seed 22 --seed 7 --seed 3` and quote the new figures")
        return 1
    failures = 0
    for run in recorded["runs"]:
        if seeds and run["seed"] not in seeds:
            continue
        now = measure_in_memory(list(run["labs"]), run["students"], run["copies"], run["seed"])
        same = now["labs"] == run["labs"]
        failures += not same
        print(f"seed {run['seed']}: found {now['total']['found']}/{now['total']['planted']} planted copies, "
              f"{now['total']['independent_flags']} flag(s) on independent answers, "
              f"{now['total']['same_answer_flags']} on answers from one course text"
              + ("" if same else " — DIFFERS from similarity_measured.json"))
    return 1 if failures else 0


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        parser = argparse.ArgumentParser(description="recompute similarity_measured.json and compare")
        parser.add_argument("--seed", type=int, action="append")
        return check(parser.parse_args(argv[1:]).seed)
    if argv[:1] == ["record"]:
        parser = argparse.ArgumentParser(description="measure the flags on synthetic classes (in memory) and record")
        parser.add_argument("--seed", type=int, action="append", required=True)
        parser.add_argument("--students", type=int, default=120)
        parser.add_argument("--copies", type=int, default=12)
        parser.add_argument("labs", nargs="*", default=MEASURED_LABS)
        args = parser.parse_args(argv[1:])
        runs = [measure_in_memory(args.labs, args.students, args.copies, seed) for seed in args.seed]
        short = measure_in_memory(["lab00_orientation"], args.students, args.copies, args.seed[1 % len(args.seed)])
        print(json.dumps([{"seed": r["seed"], **r["total"]} for r in runs + [short]], indent=1))
        MEASURED.write_text(json.dumps({"settings": settings(), "runs": runs, "lab00": short}, indent=1) + "\n")
        return 0
    if argv[:1] == ["measure"]:
        parser = argparse.ArgumentParser(description="measure the similarity flags on a synthetic class")
        parser.add_argument("--course", type=Path, default=REPO / "autograder")
        args = parser.parse_args(argv[1:])
        print(json.dumps(measure(args.course), indent=1))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="+")
    parser.add_argument("--course", type=Path, default=REPO / "autograder")
    parser.add_argument("--students", type=int, default=120)
    parser.add_argument("--copies", type=int, default=12, help="planted copies per lab")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args(argv)
    truth = build_class(args.course, args.labs, args.students, args.copies, args.seed)
    (args.course / "synthetic-truth.json").write_text(json.dumps(truth, indent=1))
    write_roster(args.course / "synthetic-roster.csv", truth["students"], args.seed)
    for lab, info in truth["labs"].items():
        print(f"{lab}: {args.students - len(info['skipped'])} submissions ({len(info['blank'])} blank, "
              f"{len(info['planted'])} planted copies; {len(info['skipped'])} students skipped it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
