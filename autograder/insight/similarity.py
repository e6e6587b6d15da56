"""Similar-submission flags: answer cells compared across the students of one lab.

    python autograder/insight/similarity.py LAB [--course autograder] [--threshold 0.6]

A flag is a prompt to look, never a grade change: nothing here touches the gradebook.

**How.** Each student's code answer cells (solution cells; the autograded notebook, where the
grader restored lost metadata, else the submitted one) are compared with every other student's,
the way MOSS does it (Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for document
fingerprinting", SIGMOD 2003):

1. *Normalise*: the code as Python prints it back (``ast.unparse``: one layout, no comments,
   redundant parentheses, line breaks and trailing commas gone), then Python's own tokenizer:
   every string literal becomes ``S``; every name the student's cell binds itself (local
   variables, loop variables, helper functions and their parameters — not the parameters or names
   the task fixes, nor keyword-argument names) becomes ``V``. Library and built-in names
   (``np.sqrt``, ``len``), keywords, operators and numbers stay: renaming variables or
   re-formatting changes nothing, calling other functions does. Shared lines are mapped back to
   the student's own lines for the side-by-side view.
2. *Fingerprint*: hash every run of ``K`` consecutive tokens (a stable hash, so results are the
   same on every machine and run) and keep, by winnowing, the smallest hash of every window of
   ``W`` hashes. Shared runs shorter than ``K`` tokens are ignored as noise; shared runs of at
   least ``K + W - 1`` tokens are always found.
3. *Leave out the starter code*: fingerprints of the released starter code of that cell
   (signatures, docstrings, given classes) are dropped.
4. *Weigh by rarity*: a fingerprint that ``df`` of the ``n`` submissions contain weighs
   ``ln(n / df)`` (inverse document frequency): code that most of the class wrote is the obvious
   way to write it and says little, code that two students alone share says a lot.
5. *Score a pair*, answer cell by answer cell (a fingerprint counts only within its cell: the same
   code in two different tasks is not shared). *Whole lab*: the weight of the fingerprints both
   have over the weight of the smaller submission's (1 = the smaller one is entirely in the
   other); flagged at ``THRESHOLD`` or more with at least ``MIN_RARE`` shared fingerprints that are
   *uncommon* — in no more than ``max(COMMON_MIN, COMMON_SHARE × n)`` submissions, MOSS's ``-m``
   idea (its default is 10) — so a pair is never flagged for sharing only what many students
   wrote, or a line or two. *One task*: a pair whose answers to one task are the same code —
   shared weight at least ``TASK_THRESHOLD`` of the *larger* of the two answers, at least
   ``TASK_MIN_SHARED`` shared fingerprints (a task of a dozen lines or more: short answers
   coincide), and no third submission holding all of them (a way of writing the task that several
   students share is not a copy between two) — so one copied task shows up among honest others.

**Why not a library.** ``copydetect`` (MIT, offline, winnowing over Pygments tokens) was the
candidate. It hashes k-grams with Python's ``hash()`` (its ``utils.hashed_kgrams``), which is
salted per process for strings, so its fingerprint choice (and so its scores) changes from run to
run unless ``PYTHONHASHSEED`` is fixed; it turns *every* name into a placeholder (variables ``V``,
functions ``F``, objects ``O``: ``np.sqrt(x)`` and ``np.mean(y)`` look the same), it gives code
most of the class shares the same weight as code two students alone share, it scores whole files
(no per-task view) and works on files on disk. The course needs the opposite on each point, in
about 300 lines of standard-library Python.

**Measured** on the course's own corpus (``tools/synthetic_class.py``): classes of 120 synthetic
students per seed, each answer cell one of the course's answers for that function (model solution,
unusual-but-correct answers, typical mistakes, starter code) passed through random
behaviour-preserving rewrites, and 12 planted copies per lab — *full*, *partial* (two thirds of the
tasks), *disguised* (copied, then rewritten) and *one task* (the source's longest answer) — each
with every local variable renamed and the code re-formatted. ``TASK_THRESHOLD`` and
``TASK_MIN_SHARED`` were chosen on seed 22 (labs 01, 02 and 05, with an earlier version of the
normalisation); seeds 7 and 3 are held out. Figures
— planted copies found over labs 01-05, seeds 22, 7, 3: 50/60, 53/60, 49/60 (full 45/45, partial
36/45, disguised 40/45, one task 31/45); flags on independent answers: 0, 0, 0; flags on pairs given
the same course answer: 100, 75, 108. A copy is missed when what was copied is what many others
wrote (nothing uncommon to share). A *same answer* flag is a pair that was given the same course
text for a task, which the rewrites did not make different enough: the synthetic class's limit (the
course has two to six answers per function), not a measure of how often real independent work
would be flagged. Lab 00's answers (two to six
lines each) are too short to tell a copy from the obvious answer: measured separately, seed 7, 0 of
12 planted copies found, 2 flag(s), 0 on independent answers. The figures are recorded in
``similarity_measured.json``; ``python tools/synthetic_class.py check`` recomputes them (one to two
minutes of CPU) and tests/test_insight.py recomputes lab 00's.
copydetect 0.5.0 on the first round's synthetic class: at its default display threshold (0.33) it
listed 31 351 of the 41 310 pairs; at 0.9 it found 38 copies with 88 flags.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import hashlib
import io
import keyword
import math
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

K = 12              # noise threshold, in normalised tokens (about one line of Python)
W = 8               # winnowing window: runs of K + W - 1 = 19 tokens or more are always found
COMMON_MIN = 10     # fingerprints in more submissions than max(COMMON_MIN, COMMON_SHARE × n) are common
COMMON_SHARE = 0.10
THRESHOLD = 0.6
MIN_RARE = 8
TASK_THRESHOLD = 0.9  # one task alone: the two answers of that task are (almost) the same code
TASK_MIN_SHARED = 40   # and long: at least 40 shared fingerprints (short tasks coincide)
MAX_CELL_CHARS = 50_000  # a longer answer cell is compared on its first 50 000 characters (the report says so)

_BUILTINS = set(dir(builtins))


@dataclass
class Token:
    text: str        # the normalised token
    line: int        # 1-based line in the cell's source


def _bound_names(source: str) -> set[str]:
    """Names the cell binds itself, except the top-level functions and classes it defines (the task's
    API) and the parameters of those (tests may pass them by keyword). Helper functions nested in
    the answer are the student's own: their names and parameters are bound."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    api = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name not in api:
            bound.add(node.name)     # a helper the student defines, and its parameters
            if not isinstance(node, ast.ClassDef):
                bound |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        elif isinstance(node, ast.Lambda):
            bound |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            for generator in node.generators:
                bound |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
    return bound - api - _BUILTINS


_MAGIC = re.compile(r"^\s*[%!]")


def canonical(source: str) -> tuple[str, list[int]]:
    """The code as Python prints it back (``ast.unparse``: one layout, redundant parentheses,
    line breaks and trailing commas gone) and, for each of its lines, the line of ``source`` it comes
    from; ``source`` itself when it does not parse."""
    identity = list(range(1, source.count("\n") + 2))
    try:
        tree = ast.parse(source)
        text = ast.unparse(tree) + "\n"
        again = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source, identity
    old = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    new = [n.lineno for n in ast.walk(again) if isinstance(n, ast.stmt)]
    if len(old) != len(new):
        return source, identity
    starts = sorted(zip(new, old, strict=True))
    lines, position, current = [], 0, 1
    for line in range(1, text.count("\n") + 2):
        while position < len(starts) and starts[position][0] <= line:
            current = starts[position][1]
            position += 1
        lines.append(current)
    return text, lines


def normalise(source: str) -> list[Token]:
    """The cell as a list of normalised tokens (see the module's docstring)."""
    source = "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines()) + "\n"
    source, origin = canonical(source)
    tokens = _tokens(source)
    return [Token(t.text, origin[t.line - 1] if 0 < t.line <= len(origin) else t.line) for t in tokens]


def _tokens(source: str) -> list[Token]:
    bound = _bound_names(source)
    tokens: list[Token] = []
    previous = ""
    depth = 0
    try:
        stream = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.NL)]
        for index, tok in enumerate(stream):
            kind, text = tok.type, tok.string
            if kind in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENCODING, tokenize.ENDMARKER):
                continue
            if kind == tokenize.STRING or kind in _FSTRING_TYPES:
                if tokens and tokens[-1].text == "S":  # an f-string's pieces, implicit concatenation
                    continue
                text = "S"
            elif kind == tokenize.NAME and not keyword.iskeyword(text) and previous != "." and text in bound:
                keyword_argument = (depth > 0 and previous in ("(", ",") and index + 1 < len(stream)
                                    and stream[index + 1].string == "=")
                if not keyword_argument:   # f(layers=layers): the keyword is the callee's name, not the student's
                    text = "V"
            depth += text in ("(", "[", "{") and kind == tokenize.OP
            depth -= text in (")", "]", "}") and kind == tokenize.OP
            tokens.append(Token(text, tok.start[0]))
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        tokens = [Token("V" if word in bound else word, 0)
                  for word in re.findall(r"[A-Za-z_]\w*|\d+\.?\d*|\S", source)]
    return tokens


_FSTRING_TYPES = {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                  if hasattr(tokenize, name)}


def _hash(tokens: list[Token]) -> int:
    digest = hashlib.blake2b("\x1f".join(t.text for t in tokens).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fingerprints(tokens: list[Token], k: int = K, w: int = W) -> dict[int, list[tuple[int, int]]]:
    """Winnowed fingerprints: hash → [(first line, last line) of each k-gram it stands for]."""
    grams = [(_hash(tokens[i:i + k]), tokens[i].line, tokens[i + k - 1].line) for i in range(len(tokens) - k + 1)]
    if not grams:
        return {}
    chosen: dict[int, list[tuple[int, int]]] = {}
    last = -1
    for start in range(max(1, len(grams) - w + 1)):
        window = grams[start:start + w]
        # the rightmost minimum (robust winnowing): a new fingerprint only when the minimum moves
        position = max(range(len(window)), key=lambda j: (-window[j][0], j)) + start
        if position != last:
            value, first_line, last_line = grams[position]
            chosen.setdefault(value, []).append((first_line, last_line))
            last = position
    return chosen


@dataclass
class Answer:
    """One student's code answers of a lab: per cell, its source and fingerprints."""

    student: str
    sources: dict[str, str]
    prints: dict[str, dict[int, list[tuple[int, int]]]] = field(default_factory=dict)

    def all_prints(self) -> set[int]:
        return {h for cell in self.prints.values() for h in cell}


@dataclass
class Pair:
    a: str
    b: str
    score: float                                  # the whole lab: weighted share of the smaller submission
    shared: int                                   # shared fingerprints that few submissions have
    cells: dict[str, tuple[set[int], set[int]]]   # cell → (lines of a, lines of b) holding shared code
    tasks: dict[str, float] = field(default_factory=dict)   # cell → the same score within that cell alone
    flagged: list[str] = field(default_factory=list)        # "whole lab" and/or the cells that raised the flag


def fingerprint_answers(sources: dict[str, dict[str, str]], starters: dict[str, str]) -> list[Answer]:
    """``sources``: student → {cell: code}; ``starters``: cell → released starter code."""
    starter_prints = {cell: set(fingerprints(normalise(code))) for cell, code in starters.items()}
    answers = []
    for student, cells in sorted(sources.items()):
        answer = Answer(student, cells)
        for cell, code in cells.items():
            prints = fingerprints(normalise(code[:MAX_CELL_CHARS]))
            answer.prints[cell] = {h: spans for h, spans in prints.items() if h not in starter_prints.get(cell, set())}
        answers.append(answer)
    return answers


def compare(answers: list[Answer], threshold: float = THRESHOLD, min_rare: int = MIN_RARE,
            common_min: int = COMMON_MIN, common_share: float = COMMON_SHARE, task_threshold: float = TASK_THRESHOLD,
            task_min_shared: int = TASK_MIN_SHARED) -> tuple[list[Pair], dict]:
    """Pairs of students flagged, most similar first, and figures about the run.

    Fingerprints count per answer cell (the same code in two different tasks is not shared). A pair
    is flagged for the *whole lab* when its score is at least ``threshold`` with at least
    ``min_rare`` uncommon shared fingerprints; or for *one task* when, within that task's answer
    cell, its score is at least ``task_threshold``, it shares at least ``task_min_shared``
    fingerprints there, and no third submission holds all of them (so a copied task shows up
    among honest others, and a way of writing a task that several students share does not).
    """
    n = len(answers)
    limit = max(common_min, common_share * n)
    prints = {a.student: {(cell, h) for cell, values in a.prints.items() for h in values} for a in answers}
    owners: dict[tuple[str, int], set[str]] = {}
    for student, values in prints.items():
        for key in values:
            owners.setdefault(key, set()).add(student)
    weight = {key: math.log(n / len(holders)) for key, holders in owners.items()}
    total = {student: sum(weight[k] for k in values) for student, values in prints.items()}
    cell_total: dict[str, dict[str, float]] = {student: {} for student in prints}
    for student, values in prints.items():
        for cell, h in values:
            cell_total[student][cell] = cell_total[student].get(cell, 0.0) + weight[(cell, h)]
    candidates: set[tuple[str, str]] = set()
    for holders in owners.values():
        if len(holders) <= limit:      # pairs are only considered when they share uncommon code
            ordered = sorted(holders)
            candidates.update((first, second) for i, first in enumerate(ordered) for second in ordered[i + 1:])
    by_student = {a.student: a for a in answers}
    pairs = []
    for first, second in sorted(candidates):
        shared = prints[first] & prints[second]
        rare = sum(len(owners[k]) <= limit for k in shared)
        smaller = min(total[first], total[second])
        score = sum(weight[k] for k in shared) / smaller if smaller > 0 else 0.0
        per_cell: dict[str, set] = {}
        for key in shared:
            per_cell.setdefault(key[0], set()).add(key)
        tasks, flagged = {}, ["whole lab"] if score >= threshold and rare >= min_rare else []
        for cell, keys in per_cell.items():
            sizes = (cell_total[first].get(cell, 0.0), cell_total[second].get(cell, 0.0))
            common = sum(weight[k] for k in keys)
            tasks[cell] = common / min(sizes) if min(sizes) > 0 else 0.0
            both = common / max(sizes) if max(sizes) > 0 else 0.0   # the larger answer too: the same code
            if both >= task_threshold and len(keys) >= task_min_shared:
                others = set.intersection(*(owners[k] for k in keys)) - {first, second}
                if not others:
                    flagged.append(cell)
        if flagged:
            pairs.append(_pair(by_student[first], by_student[second], {h for _, h in shared}, score, rare,
                               tasks, flagged))
    pairs.sort(key=lambda p: (-max([p.score, *(p.tasks[c] for c in p.flagged if c in p.tasks)]), -p.shared, p.a, p.b))
    stats = {"submissions": n, "fingerprints": len(owners), "common": sum(len(h) > limit for h in owners.values()),
             "common_limit": limit, "pairs_compared": n * (n - 1) // 2, "candidates": len(candidates),
             "threshold": threshold, "min_rare": min_rare, "task_threshold": task_threshold,
             "task_min_shared": task_min_shared,
             "median_prints": sorted(len(v) for v in prints.values())[n // 2] if n else 0}
    return pairs, stats


def _pair(a: Answer, b: Answer, shared: set[int], score: float, count: int, tasks: dict[str, float],
          flagged: list[str]) -> Pair:
    cells = {}
    for cell in a.prints:
        if cell not in b.prints:
            continue
        common = set(a.prints[cell]) & set(b.prints[cell]) & shared
        lines_a = {line for h in common for first, last in a.prints[cell][h] for line in range(first, last + 1)}
        lines_b = {line for h in common for first, last in b.prints[cell][h] for line in range(first, last + 1)}
        if lines_a or lines_b:
            cells[cell] = (lines_a, lines_b)
    return Pair(a.student, b.student, score, count, cells, tasks, flagged)


def lab_sources(course, lab: str, students: list[str] | None = None) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Every student's code answers of ``lab`` and the release's starter code of each answer cell."""
    from course_data import answer_cells, read_notebook

    release = read_notebook(course.release_notebook(lab))
    starters = answer_cells(release) if release is not None else {}
    folder = course.root / "submitted"
    names = students if students is not None else sorted(p.parent.name for p in folder.glob(f"*/{lab}") if p.is_dir())
    sources = {}
    for student in names:
        nb = read_notebook(course.autograded_notebook(student, lab)) or read_notebook(course.submitted_notebook(student, lab))
        if nb is None:
            continue
        cells = answer_cells(nb)
        if starters:
            cells = {cell: code for cell, code in cells.items() if cell in starters}
        sources[student] = cells
    return sources, starters


def flag_lab(course, lab: str, threshold: float = THRESHOLD) -> tuple[list[Pair], dict, list[Answer]]:
    sources, starters = lab_sources(course, lab)
    answers = fingerprint_answers(sources, starters)
    pairs, stats = compare(answers, threshold)
    return pairs, stats, answers


def main(argv=None) -> int:
    from course_data import Course

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="+")
    parser.add_argument("--course", type=Path, default=HERE.parent)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    course = Course.open(args.course)
    for lab in args.labs:
        pairs, stats, _ = flag_lab(course, lab, args.threshold)
        print(f"{lab}: {stats['submissions']} submissions, {len(pairs)} pair(s) flagged (whole lab at or above "
              f"{args.threshold:.0%}, or one task at or above {stats['task_threshold']:.0%}; fingerprints shared by "
              f"more than {stats['common_limit']:g} submissions are common: {stats['common']})")
        for pair in pairs:
            why = ", ".join(f"whole lab {pair.score:.0%}" if cell == "whole lab" else f"{cell} {pair.tasks[cell]:.0%}"
                            for cell in pair.flagged)
            print(f"  {pair.a!r} ~ {pair.b!r}: {why} ({pair.shared} uncommon shared fingerprints; cells with shared "
                  f"code: {', '.join(pair.cells)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
