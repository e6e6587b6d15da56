"""`make report`: one self-contained HTML page per lab — where the class lost points, and why.

    python autograder/insight/report.py [--course autograder] [LAB ...]   → <course>/reports/<lab>.html

Built only from what grading stored (:mod:`course_data`): the gradebook, the grader's stored
results and the autograded notebooks. No student code runs. Each page holds, for the instructor
only (it quotes hidden-test messages):

* a headline naming the tasks where the class lost the most points and the commonest reason;
* the score distribution (a figure embedded as a data URI: the page works offline, by e-mail);
* per graded cell: points, the share of submissions that lost them, the mean score, its
  *discrimination* and the commonest failure messages, grouped after numbers are blanked out;
* time-outs, crashes, restarts, flags, repairs and grader notes, per submission;
* grading time; and the similar-submission flags (:mod:`similarity`) with the shared lines side
  by side.

**Discrimination** is the *corrected item–total correlation*: the Pearson correlation, over the
submissions, between a cell's score and the submission's total *without that cell* (the
point-biserial correlation when a cell scores all or nothing, as autograded cells do). It is
"corrected" because the cell's own points are left out of the total — with a dozen cells, a
4-point cell would otherwise correlate with itself. It uses every submission, where the
upper-lower 27 % index (Kelley 1939) discards the middle half of a class that is often only
30-strong. Blank submissions (every answer cell as released) are left out: they are not attempts,
and would make every cell look discriminating. A value below 0.2 means the cell barely separates
strong from weak submissions (a common rule of thumb in classical test theory, e.g. Ebel &
Frisbie, *Essentials of Educational Measurement*): look at its tests or its wording. The value is
not shown below 10 submissions, nor for a cell everyone passed or everyone failed.

Everything a student wrote — ids, code, messages quoting it, flags — is escaped, never rendered as
HTML, and the page forbids scripts (a Content-Security-Policy), so a ``<script>`` in an answer is
text on the page.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import similarity  # noqa: E402
from course_data import (  # noqa: E402
    Course,
    answer_cells,
    lab_title,
    read_gradebook,
    read_notebook,
    task_titles,
    test_messages,
)

MIN_FOR_DISCRIMINATION = 10
WEAK_DISCRIMINATION = 0.2
TOP_MESSAGES = 5
SHORT_ANSWERS = 40
MAX_TEXT = 300          # characters of a flag, note or repair shown (student code can influence them)
MAX_ITEMS = 10          # flags, notes or repairs shown per submission
MAX_CODE_LINES = 80     # lines of an answer cell shown side by side
MAX_LINE = 160          # characters per line shown
MAX_CELLS = 4           # answer cells shown per flagged pair (the ones that raised the flag first)
MAX_PAIRS = 60          # flagged pairs shown
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


# --------------------------------------------------------------------------- data


@dataclass
class CellStats:
    name: str
    title: str
    points: float
    kind: str                                     # "code" (autograded) or "markdown" (written answer)
    scores: dict[str, float] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)   # student → failure message (raw)
    awaiting: int = 0                             # written answers not graded yet
    timed_out: int = 0
    discrimination: float | None = None
    discrimination_note: str = ""

    def lost(self) -> list[str]:
        return [s for s, v in self.scores.items() if v < self.points - 1e-9]

    def share_lost(self) -> float:
        return len(self.lost()) / len(self.scores) if self.scores else 0.0

    def mean(self) -> float:
        return statistics.fmean(self.scores.values()) if self.scores else float("nan")

    def points_lost(self) -> float:
        return sum(self.points - v for v in self.scores.values())

    def message_groups(self) -> list[tuple[str, int, list[str]]]:
        groups: dict[str, list[str]] = {}
        for student in self.lost():
            groups.setdefault(normalise_message(self.messages.get(student, "")), []).append(student)
        return sorted(((m, len(s), sorted(s)) for m, s in groups.items()), key=lambda g: (-g[1], g[0]))


@dataclass
class LabData:
    lab: str
    title: str
    max_score: float
    cells: list[CellStats]
    totals: dict[str, float]                      # student → score (nbgrader's, before late penalties)
    blank: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    runs: dict[str, dict] = field(default_factory=dict)        # student → stored grading report
    late: dict[str, float] = field(default_factory=dict)
    pairs: list = field(default_factory=list)
    similarity_stats: dict = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)


_NUMBER = re.compile(r"(?<![A-Za-z_\d])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def normalise_message(message: str) -> str:
    """The message's gist: its first line, numbers blanked (``#``), whitespace collapsed."""
    text = message.strip()
    if not text:
        return "(no error message: the cell's points were lost without an error output)"
    first = text.splitlines()[0]
    first = re.sub(r"0x[0-9a-fA-F]+", "0x#", first)
    first = _NUMBER.sub("#", first)
    first = re.sub(r"\s+", " ", first).strip()
    return first[:240] + ("…" if len(first) > 240 else "")


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def discrimination(data: LabData) -> None:
    """Corrected item–total correlation of every cell (see the module docstring)."""
    students = [s for s in data.totals if s not in data.blank]
    for cell in data.cells:
        if cell.awaiting:
            cell.discrimination_note = "written answers not all graded yet"
            continue
        if len(students) < MIN_FOR_DISCRIMINATION:
            cell.discrimination_note = f"fewer than {MIN_FOR_DISCRIMINATION} submissions"
            continue
        item = [cell.scores.get(s, 0.0) for s in students]
        rest = [data.totals[s] - cell.scores.get(s, 0.0) for s in students]
        value = pearson(item, rest)
        if value is None:
            cell.discrimination_note = "everyone scored the same" if len(set(item)) <= 1 else "no variation in the rest"
        cell.discrimination = value


def collect(course: Course, lab: str, gradebook=None, with_similarity: bool = True) -> LabData:
    data_all = gradebook or read_gradebook(course)
    if lab not in data_all.assignments:
        raise SystemExit(f"{lab} is not in the gradebook {course.db_url}: run `make release` and `make autograde`")
    assignment = data_all.assignments[lab]
    source = read_notebook(course.source_notebook(lab))
    titles = task_titles(source) if source is not None else {}
    data = LabData(lab, lab_title(source, lab) if source is not None else lab, assignment.max_score, [], {})
    for name, points in assignment.cells.items():
        data.cells.append(CellStats(name, titles.get(name, name), points, assignment.cell_types.get(name, "code")))
    by_name = {cell.name: cell for cell in data.cells}
    students = sorted(assignment.submissions)
    data.missing = sorted(set(data_all.students) - set(students))
    release = read_notebook(course.release_notebook(lab))
    starters = answer_cells(release) if release is not None else {}
    for student in students:
        submission = assignment.submissions[student]
        data.totals[student] = submission.raw_score
        if submission.late_penalty:
            data.late[student] = submission.late_penalty
        for name, grade in submission.cells.items():
            if name not in by_name:
                continue
            if by_name[name].kind == "markdown" and grade.manual_score is None and grade.auto_score is None:
                by_name[name].awaiting += 1   # not graded yet: not a loss (it counts 0 in the total, as in nbgrader)
            else:
                by_name[name].scores[student] = grade.score
        report = course.run_report(student, lab) or {}
        data.runs[student] = report
        for name, status in (report.get("tests") or {}).items():
            if status == "timed out" and name in by_name:
                by_name[name].timed_out += 1
        nb = read_notebook(course.autograded_notebook(student, lab))
        if nb is not None:
            for name, lines in test_messages(nb).items():
                if name in by_name and lines:
                    by_name[name].messages[student] = lines[0]
            code = answer_cells(nb)
            data.sources[student] = {c: s for c, s in code.items() if c in starters} if starters else code
            if starters and all(code.get(c, "").strip() == s.strip() for c, s in starters.items()):
                data.blank.add(student)
        for name in submission.manual_overrides:
            if name in by_name and by_name[name].scores.get(student, 0) < by_name[name].points:
                by_name[name].messages.setdefault(student, "(scored by hand in formgrader)")
    for cell in data.cells:
        if cell.kind == "markdown":
            for student in cell.lost():
                cell.messages.setdefault(student, "(written answer: graded by hand)")
    discrimination(data)
    if with_similarity and data.sources:
        answers = similarity.fingerprint_answers(data.sources, starters)
        data.pairs, data.similarity_stats = similarity.compare(answers)
    return data


# --------------------------------------------------------------------------- figures


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def score_figure(data: LabData) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = [v for s, v in data.totals.items()]
    figure, ax = plt.subplots(figsize=(6.4, 2.6))
    top = max(data.max_score, max(scores, default=0))
    bins = [x - 0.5 for x in range(int(math.ceil(top)) + 2)]
    ax.hist(scores, bins=bins, color="#3b6ea8", edgecolor="white")
    ax.set_xlabel(f"score (of {data.max_score:g} points; written answers count once graded)")
    ax.set_ylabel("submissions")
    ax.set_xlim(-0.5, top + 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def lost_figure(data: LabData) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = [c for c in data.cells if c.scores]
    figure, ax = plt.subplots(figsize=(6.4, 0.32 * len(cells) + 0.9))
    labels = [f"{c.name} ({c.points:g} pt{', not all graded' if c.awaiting else ''})" for c in cells][::-1]
    values = [100 * c.share_lost() for c in cells][::-1]
    counted = [100 * c.share_lost() for c in cells if not c.awaiting]
    worst = max(counted, default=0)
    ax.barh(labels, values, color=["#c0392b" if v == worst and v > 0 and not c.awaiting else "#7f8c8d"
                                   for v, c in zip(values, cells[::-1], strict=True)])
    ax.set_xlim(0, 100)
    ax.set_xlabel("submissions that lost this cell's points (%)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=8)
    return _png(figure)


# --------------------------------------------------------------------------- HTML


def e(value) -> str:
    """Escape anything for HTML text or attribute values (student-authored text included)."""
    return html.escape(str(value), quote=True)


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;max-width:1100px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:.5em .8em;border-radius:4px}
.headline{background:#fdecea;border-left:5px solid #c0392b;padding:.6em .9em;margin:1em 0}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid #e5e5e5;padding:.3em .4em;
text-align:left;vertical-align:top}th{background:#f5f5f5}td.num{text-align:right;white-space:nowrap}
.bar{background:#eee;width:110px;height:.8em;display:inline-block;vertical-align:middle}
.bar span{background:#c0392b;height:100%;display:block}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
pre{background:#f7f7f7;padding:.4em;overflow-x:auto;margin:0}
.msg{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;white-space:pre-wrap;word-break:break-word}
.muted{color:#777}.weak{color:#c0392b;font-weight:600}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.6em}.side pre{white-space:pre-wrap}
mark{background:#ffe08a}details{margin:.2em 0}summary{cursor:pointer}
"""


def _bar(fraction: float) -> str:
    return f'<span class="bar"><span style="width:{max(0.0, min(1.0, fraction)) * 100:.0f}%"></span></span>'


def _headline(data: LabData) -> str:
    cells = sorted((c for c in data.cells if c.scores and c.points_lost() > 0 and not c.awaiting),
                   key=lambda c: -c.points_lost())
    if not cells:
        return '<div class="headline">No autograded points were lost in this lab.</div>'
    parts = []
    for cell in cells[:2]:
        groups = cell.message_groups()
        reason = ""
        if groups:
            message, count, _ = groups[0]
            reason = f' Commonest reason ({count} of {len(cell.lost())}): <span class="msg">{e(message)}</span>'
        parts.append(f"<p><b>{e(cell.title)}</b> — cell <code>{e(cell.name)}</code>: "
                     f"{cell.share_lost():.0%} of submissions lost its {cell.points:g} point(s) "
                     f"({cell.points_lost():g} points in all, {cell.points_lost() / max(1e-9, sum(c.points_lost() for c in cells)):.0%} "
                     f"of all points lost).{reason}</p>")
    return '<div class="headline"><b>Where the class struggled</b>' + "".join(parts) + "</div>"


def _cells_table(data: LabData) -> str:
    rows = []
    for cell in data.cells:
        if cell.discrimination is not None:
            css = "weak" if cell.discrimination < WEAK_DISCRIMINATION else ""
            disc = f'<span class="{css}">{cell.discrimination:.2f}</span>'
        else:
            disc = f'<span class="muted" title="{e(cell.discrimination_note)}">—</span>'
        groups = cell.message_groups()
        if groups:
            items = "".join(f"<li><b>{count}</b> × <span class=\"msg\">{e(message)}</span>"
                            f"<br><span class=\"muted\">{e(', '.join(students[:8]))}{' …' if len(students) > 8 else ''}"
                            "</span></li>" for message, count, students in groups[:TOP_MESSAGES])
            more = f"<p class=\"muted\">and {len(groups) - TOP_MESSAGES} more kinds</p>" if len(groups) > TOP_MESSAGES else ""
            reasons = f"<details><summary>{len(groups)} kind(s) of failure</summary><ul>{items}</ul>{more}</details>"
        else:
            reasons = '<span class="muted">—</span>'
        if cell.scores:
            lost = (f"<td class=num>{_bar(cell.share_lost())} {cell.share_lost():.0%}<br><span class=muted>"
                    f"{len(cell.lost())} of {len(cell.scores)}</span></td>")
        else:
            lost = '<td class=num><span class="muted">not graded yet</span></td>'
        extra = []
        if cell.timed_out:
            extra.append(f"{cell.timed_out} timed out")
        if cell.awaiting:
            extra.append(f"{cell.awaiting} not graded yet")
        rows.append(f"<tr><td>{e(cell.title)}<br><code>{e(cell.name)}</code>"
                    f"{'<br><span class=muted>written, graded by hand</span>' if cell.kind == 'markdown' else ''}</td>"
                    f"<td class=num>{cell.points:g}</td>{lost}"
                    f"<td class=num>{f'{cell.mean():.2f}' if cell.scores else '—'}</td><td class=num>{disc}</td>"
                    f"<td>{reasons}{'<br>' + e(', '.join(extra)) if extra else ''}</td></tr>")
    return ("<table><tr><th>task / graded cell</th><th>points</th><th>lost by</th><th>mean</th>"
            "<th>discrimination</th><th>commonest failure messages (numbers blanked as #)</th></tr>"
            + "".join(rows) + "</table>")


def _incidents(data: LabData) -> str:
    rows = []
    for student in sorted(data.runs):
        report = data.runs[student]
        what = []
        if report.get("timed_out"):
            what.append(f"{len(report['timed_out'])} cell(s) stopped by a time limit")
        if report.get("crashed"):
            what.append(f"{len(report['crashed'])} crash(es)")
        if report.get("restarts"):
            what.append(f"{report['restarts']} restart(s)")
        if report.get("submission_time_exceeded"):
            what.append("used up the submission's time limit")
        if student in data.late:
            what.append(f"late: penalty {data.late[student]:g}")
        lines = [e(w) for w in what]
        for label, key in (("<b>flag</b>", "flags"), ("repair", "repairs"), ("note", "notes")):
            items = list(report.get(key) or [])
            lines += [f"{label}: {e(_clip(item))}" for item in items[:MAX_ITEMS]]
            if len(items) > MAX_ITEMS:
                lines.append(f"… and {len(items) - MAX_ITEMS} more {key}")
        if lines:
            rows.append(f"<tr><td><code>{e(student)}</code></td><td>{'<br>'.join(lines)}</td></tr>")
    if not rows:
        return "<p>No time-outs, crashes, flags, repairs or grader notes.</p>"
    return ("<p class=muted>Flags point to submissions worth reading (they never change a score); repairs fixed "
            "careless damage at no cost; a note starting GRADER PROBLEM affects the whole lab.</p>"
            "<table><tr><th>submission</th><th>what happened</th></tr>" + "".join(rows) + "</table>")


def _timing(data: LabData) -> str:
    seconds = [float(r.get("seconds", 0)) for r in data.runs.values() if r.get("seconds")]
    if not seconds:
        return "<p class=muted>No stored grading times (graded before the grader stored them?).</p>"
    slow: dict[str, list[float]] = {}
    for report in data.runs.values():
        for entry in report.get("slowest", []) or []:
            if isinstance(entry, list) and len(entry) == 3:
                slow.setdefault(_clip(entry[2], 120) or f"cell {_clip(entry[1], 20)}", []).append(float(entry[0]))
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    top = sorted(slow.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    cells = "".join(f"<li><code>{e(name)}</code>: median {statistics.median(v):.1f} s, max {max(v):.1f} s</li>"
                    for name, v in top)
    return (f"<p>{len(seconds)} submissions: {sum(seconds) / 60:.1f} min of grading in all; per submission median "
            f"{statistics.median(seconds):.1f} s, 90th percentile {p90:.1f} s, slowest {max(seconds):.1f} s "
            f"({e(max(data.runs, key=lambda s: float(data.runs[s].get('seconds', 0))))}).</p>"
            f"<p>Slowest cells:</p><ul>{cells}</ul>")


def _clip(text, limit: int = MAX_TEXT) -> str:
    """Student-influenced text cut to ``limit`` characters (a flag, a note, a cell name)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + f" … [{len(text) - limit} more characters]"


def _code(source: str, lines: set[int]) -> str:
    """An answer cell with the shared lines marked, at most MAX_CODE_LINES lines of MAX_LINE characters."""
    out = []
    all_lines = source.splitlines()
    for number, line in enumerate(all_lines[:MAX_CODE_LINES], start=1):
        text = e(_clip(line, MAX_LINE)) or " "
        out.append(f"<mark>{text}</mark>" if number in lines else text)
    if len(all_lines) > MAX_CODE_LINES:
        out.append(f'<span class="muted">… {len(all_lines) - MAX_CODE_LINES} more lines not shown</span>')
    return "<pre>" + "\n".join(out) + "</pre>"


def _why(pair) -> str:
    reasons = []
    if "whole lab" in pair.flagged:
        reasons.append(f"whole lab {pair.score:.0%}")
    reasons += [f"task <code>{e(cell)}</code> {pair.tasks.get(cell, 0):.0%}" for cell in pair.flagged
                if cell != "whole lab"]
    return ", ".join(reasons)


def _similarity(data: LabData) -> str:
    stats = data.similarity_stats
    if not stats:
        return "<p class=muted>No answer cells to compare.</p>"
    intro = (f"<p>{stats['submissions']} submissions compared pairwise ({stats['pairs_compared']} pairs), answer cell "
             f"by answer cell; starter code left out, code that many students wrote weighing little. "
             f"{len(data.pairs)} pair(s) flagged: the <i>whole lab</i> at or above {stats['threshold']:.0%} (weighted "
             f"share of the smaller submission's code found in the other), or <i>one task</i> whose two answers are "
             f"the same long code ({stats.get('task_threshold', similarity.TASK_THRESHOLD):.0%} or more, found in no "
             f"third submission). <b>A flag is a prompt to look, never a grade change</b>: read the shared lines "
             f"(highlighted) and talk to the students before concluding anything.</p>")
    if stats.get("median_prints", 99) < SHORT_ANSWERS:
        intro += (f"<p class=warn>The answers of this lab are short (a median of {stats['median_prints']:g} fingerprints "
                  "per submission): short code cannot tell a copy from two students who wrote the obvious thing, so "
                  "expect flags on common answers and copies that go unflagged.</p>")
    if not data.pairs:
        return intro
    blocks = []
    for pair in data.pairs[:MAX_PAIRS]:
        cells = []
        order = [c for c in pair.flagged if c in pair.cells] + [c for c in pair.cells if c not in pair.flagged]
        for cell in order[:MAX_CELLS]:
            lines_a, lines_b = pair.cells[cell]
            a = data.sources.get(pair.a, {}).get(cell, "")
            b = data.sources.get(pair.b, {}).get(cell, "")
            cells.append(f"<p><code>{e(cell)}</code> <span class=muted>{pair.tasks.get(cell, 0):.0%} of the smaller "
                         f"answer shared{' — raised the flag' if cell in pair.flagged else ''}</span></p>"
                         f"<div class=side><div>{_code(a, lines_a)}</div><div>{_code(b, lines_b)}</div></div>")
        if len(order) > MAX_CELLS:
            cells.append(f"<p class=muted>{len(order) - MAX_CELLS} more cell(s) with shared code not shown.</p>")
        blocks.append(f"<details><summary><code>{e(pair.a)}</code> ~ <code>{e(pair.b)}</code>: {_why(pair)} "
                      f"({pair.shared} uncommon fingerprints shared, in {len(pair.cells)} cell(s))"
                      f"</summary><p class=muted>left: {e(pair.a)}, right: {e(pair.b)}</p>{''.join(cells)}</details>")
    more = (f"<p class=muted>{len(data.pairs) - MAX_PAIRS} more pairs not shown (run "
            f"<code>python autograder/insight/similarity.py {e(data.lab)}</code> for all).</p>"
            if len(data.pairs) > MAX_PAIRS else "")
    return intro + "".join(blocks) + more


def render(data: LabData) -> str:
    scores = list(data.totals.values())
    attempted = [s for s in data.totals if s not in data.blank]
    summary = (f"{len(scores)} submissions ({len(data.blank)} blank, as released), "
               f"{len(data.missing)} student(s) in the gradebook without one"
               + (f" ({e(', '.join(data.missing[:12]))}{' …' if len(data.missing) > 12 else ''})" if data.missing else "")
               + (f"; mean {statistics.fmean(scores):.2f} and median {statistics.median(scores):g} of "
                  f"{data.max_score:g} points" if scores else "")
               + (f" (mean over attempted submissions {statistics.fmean([data.totals[s] for s in attempted]):.2f})"
                  if attempted and len(attempted) != len(scores) else "") + ".")
    awaiting = sum(c.awaiting for c in data.cells)
    pending = (f'<p class="warn">{awaiting} written answer(s) are not graded yet: they count 0 in every figure '
               "until you grade them in formgrader.</p>") if awaiting else ""
    figures = (f'<p><img alt="Histogram of submission scores" src="{score_figure(data)}"></p>'
               f'<p><img alt="Share of submissions that lost each cell\'s points" src="{lost_figure(data)}"></p>'
               if scores else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Item analysis: {e(data.lab)}</title><style>{STYLE}</style></head>
<body>
<p class="warn"><b>Instructor only.</b> This page quotes hidden-test messages, student ids and student code: do not
share it with students.</p>
<h1>{e(data.title)}</h1>
<p class="muted">{e(data.lab)} · item analysis from the stored grading results and the gradebook · built
{e(time.strftime('%Y-%m-%d %H:%M'))}</p>
<p>{summary}</p>
{pending}
{_headline(data)}
<h2>Score distribution</h2>
{figures}
<h2>Graded cells</h2>
<p class="muted">Discrimination: corrected item–total correlation (each cell's score against the rest of the
submission's score, blank submissions left out); below {WEAK_DISCRIMINATION} (red) the cell barely separates strong
from weak submissions. Failure messages are the test cells' error outputs, grouped by their first line with numbers
blanked.</p>
{_cells_table(data)}
<h2>Time-outs, crashes, flags and repairs</h2>
{_incidents(data)}
<h2>Grading time</h2>
{_timing(data)}
<h2>Similar submissions</h2>
{_similarity(data)}
</body></html>
"""


def build(course: Course, labs: list[str]) -> list[tuple[str, Path, float]]:
    gradebook = read_gradebook(course)
    labs = labs or sorted(gradebook.assignments)
    out = course.root / "reports"
    out.mkdir(exist_ok=True)
    built = []
    for lab in labs:
        if lab not in gradebook.assignments or not gradebook.assignments[lab].submissions:
            print(f"{lab}: no graded submissions in the gradebook, no report (run `make autograde`)")
            continue
        start = time.monotonic()
        page = render(collect(course, lab, gradebook))
        path = out / f"{lab}.html"
        path.write_text(page, encoding="utf-8")
        built.append((lab, path, time.monotonic() - start))
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*")
    parser.add_argument("--course", type=Path, default=HERE.parent)
    args = parser.parse_args(argv)
    course = Course.open(args.course)
    for lab, path, seconds in build(course, args.labs):
        print(f"{lab}: {path} ({path.stat().st_size / 1024:.0f} KB, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
