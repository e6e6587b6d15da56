"""Hostile and careless submissions, autograded next to an honest victim (tests/grading/hostile/).

Every case is graded by `make autograde`'s program in a scratch course, in the bubblewrap
sandbox. Where that sandbox does not work (bwrap missing, or unable to create namespaces: see
autograder/grader/sandbox.py), this whole module is skipped with one reason and no hostile
case is even read: their code is hostile to the machine that runs it (the
network, files, processes), and the unsandboxed fallback does not contain it. The unsandboxed
grading path is tested on honest submissions instead (tests/test_sandbox.py,
tests/grading/test_autograde_runs.py, tests/test_grader.py).

The suite checks that no grade is inflated (dishonest cases score what their wrong or blank
answers are worth), no careless honest answer loses points, tampering is flagged for the instructor, the victim's
grade and notebook are untouched, nothing outside the sandbox changed (package, lab sources,
site-packages), no process survives grading, grading time stays bounded, and feedback works
for everyone without showing hidden tests — nor hidden-test inputs a student's code recorded.
Cases marked ``BROWSER`` are loaded in headless Chromium, as feedback pages and as formgrader's
submission page served the way `make formgrader` serves it: no student script may run.

The limits are shortened so the suite stays fast (the limits' mechanism is what is under test;
the instructor workflow test runs the defaults): 10 s per cell instead of 60 s, 120 s per
submission instead of 300 s. A dozen cells run into a limit on purpose, most of them spinning a
core until it strikes, so the cell limit is most of the module's time (30 s per cell made it
~420 of the fixture's ~435 core-seconds of grading; 15 s, ~205 core-seconds of the limit alone,
stop 30). Honest cells have room: lab 00's take a second or two (2.5 s at most, its imports, with
the whole-course grading beside it), and lab 01's slowest cell apart from its training check
under two. That check (the ``train_matrix_factorization`` test cells) keeps the course's 60 s,
set per cell in the scratch course's copy of the lab (the grader's per-cell limit,
``"creative_ai": {"timeout": N}``): the honest lab-01 victim's training check takes 9-18 s on a
quiet core and more than 30 s under CI load.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import browser
import nbformat
import pytest
from course import CASES, REPO, hidden_test_lines, lab_notebook, read, wrong_answers
from course_layout import nbgrader_command
from submissions import scratch_course, strip_solution_markers, write_submission

sys.path.insert(0, str(REPO / "autograder" / "grader"))
import sandbox  # noqa: E402

# The module fixture grades ~35 submissions, a dozen of which run into cell or submission limits on
# purpose, then writes everyone's feedback: 9-19 minutes on 2 cores shared with the whole-course
# grading (measured), and pytest-timeout counts it in the first test. Give that room; a hang still
# ends there, and each grading step below has its own subprocess timeout.
HOSTILE_TIMEOUT = 2400
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("hostile"), pytest.mark.timeout(HOSTILE_TIMEOUT)]

HOSTILE = CASES / "hostile"
CELL_TIMEOUT, SUBMISSION_TIMEOUT = 10, 120
# lab -> (grade id prefix of its slow test cells, their limit): see above
SLOW_CELLS = {"lab01_recommendation": ("test_train_matrix_factorization", 60)}
if sandbox.mode() != "bwrap":  # a trial run of bwrap, once per process; skip before any case is read
    pytest.skip(f"hostile submissions are graded only in the bubblewrap sandbox: {sandbox.why_unsandboxed()}",
                allow_module_level=True)


def load_cases() -> dict[str, dict]:
    cases = {}
    for path in sorted(HOSTILE.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"hostile_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        case = {name: getattr(module, name) for name in dir(module) if name.isupper()}
        case["doc"] = (module.__doc__ or "").strip().splitlines()[0]
        cases[path.stem] = case
    return cases


CASE_DATA = load_cases()


def _solutions(lab: str) -> dict[str, str]:
    answers = {}
    for cell in read(lab_notebook(lab)).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            answers[meta["grade_id"]] = strip_solution_markers(cell.source)
    return answers


def build(release_nb, lab: str, case: dict):
    """The student's notebook for a case: release + base answers + the case's edits."""
    nb = copy.deepcopy(release_nb)
    base = case.get("BASE", "blank")
    answers = {} if base == "blank" else _solutions(lab)
    if base == "wrong":  # each function's first sample mistake that loses all its points, else blank
        chosen = {}
        for wrong in wrong_answers(lab):
            if wrong.function not in chosen and not re.search(r"^# loses:", wrong.source, flags=re.M):
                chosen[wrong.function] = wrong.source
        answers = {name: chosen[name] for name in answers if name in chosen}

    def cell_id(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id")

    for cell in nb.cells:
        name = cell_id(cell)
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "An honest attempt at the written answer."
        elif name in answers:
            cell.source = answers[name]
        if name in case.get("REPLACE", {}):
            cell.source = case["REPLACE"][name]
        if name in case.get("APPEND", {}):
            cell.source = cell.source + "\n" + case["APPEND"][name]
        if name in case.get("STRIP_METADATA", []):
            del cell.metadata["nbgrader"]
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        name = cell_id(cell)
        if name in case.get("DUPLICATE", []):
            cells.append(copy.deepcopy(cell))
        if name in case.get("INSERT_AFTER", {}):
            cells.append(nbformat.v4.new_code_cell(case["INSERT_AFTER"][name]))
    nb.cells = cells
    for index, cell in enumerate(nb.cells):  # copies need ids of their own, as JupyterLab gives them
        cell["id"] = f"c{index}"
    return nb


def _digest(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def _snapshot() -> dict[str, str]:
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    return {
        "package": _digest((REPO / "creative_ai").rglob("*.py")),
        "labs": _digest((REPO / "labs").rglob("*")),
        "datasets": _digest((REPO / "datasets").rglob("*.csv")),
        "pth files": " ".join(sorted(p.name for p in site.glob("*.pth"))),
    }


HOSTILE_UID_BASE = 40000  # its own range, so other tests' sandboxes running meanwhile do not count


def _sandbox_processes() -> list[str]:
    base = HOSTILE_UID_BASE
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        uid = int(next(line.split()[1] for line in text.splitlines() if line.startswith("Uid:")))
        if base <= uid < base + 64 * sandbox.UID_BLOCK:
            found.append(text.splitlines()[0])
    return found


def _own_copies_with_cell_limits(root: Path) -> None:
    """The scratch course reads labs/ through a link to the checkout's: give the labs in
    SLOW_CELLS copies of their own whose slow test cells carry that limit."""
    link = root / "labs"
    target = link.resolve()
    link.unlink()
    link.mkdir()
    for folder in target.iterdir():
        if folder.name not in SLOW_CELLS:
            (link / folder.name).symlink_to(folder)
            continue
        (link / folder.name).mkdir()
        for item in folder.iterdir():
            (link / folder.name / item.name).symlink_to(item)
        path = link / folder.name / f"{folder.name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        prefix, limit = SLOW_CELLS[folder.name]
        slow = [cell for cell in nb.cells if cell.cell_type == "code"
                and str(cell.metadata.get("nbgrader", {}).get("grade_id", "")).startswith(prefix)]
        assert slow, f"{folder.name}: no test cell {prefix}*"
        for cell in slow:
            cell.metadata.setdefault("creative_ai", {}).setdefault("timeout", limit)
        path.unlink()
        nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    course = scratch_course(root)
    _own_copies_with_cell_limits(root)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.SandboxedExecute.cell_timeout = {CELL_TIMEOUT}\n"
                     f"c.SandboxedExecute.submission_timeout = {SUBMISSION_TIMEOUT}\n")
    nbgrader = nbgrader_command()  # as the Makefile runs it
    labs = sorted({case["LAB"] for case in CASE_DATA.values()})
    releases = {}
    for lab in labs:
        subprocess.run([*nbgrader, "generate_assignment", lab, "--force"], cwd=course, check=True,
                       capture_output=True, timeout=300)
        releases[lab] = nbformat.read(course / "release" / lab / f"{lab}.ipynb", as_version=4)
        write_submission(build(releases[lab], lab, {"BASE": "solution"}), course, "victim", lab)
        write_submission(releases[lab], course, "untouched", lab)
    for name, case in CASE_DATA.items():
        path = write_submission(build(releases[case["LAB"]], case["LAB"], case), course, name, case["LAB"])
        for file_name, text in case.get("FILES", {}).items():  # other files of the submission folder
            (path.parent / file_name).write_text(text)
    victims = {lab: (course / "submitted" / "victim" / lab / f"{lab}.ipynb").read_bytes() for lab in labs}
    before = _snapshot()
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(REPO / "autograder" / "grader" / "cli.py"), "autograde", "--course", str(course),
         "--workers", "2", *labs], capture_output=True, text=True, timeout=1800,
        env={**os.environ, "CREATIVE_AI_SANDBOX_UID_BASE": str(HOSTILE_UID_BASE)})
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    leftovers = _sandbox_processes()
    feedback = [subprocess.run([*nbgrader, "generate_feedback", lab, "--force"], cwd=course, capture_output=True,
                               text=True, timeout=600) for lab in labs]
    from nbgrader.api import Gradebook

    scores, reports = {}, {}
    with Gradebook("sqlite:///" + str(course / "gradebook.db"), course_id="creative-ai") as gradebook:
        for lab in labs:
            for folder in (course / "submitted").glob(f"*/{lab}"):
                student = folder.parent.name
                submission = gradebook.find_submission_notebook(lab, lab, student)
                scores[(lab, student)] = {g.name: (float(g.score), float(g.max_score)) for g in submission.grades
                                   if g.name.startswith("test_")}
                run = course / "runs" / lab / student / f"{lab}.json"
                reports[(lab, student)] = json.loads(run.read_text())["report"]
    return {"course": course, "scores": scores, "reports": reports, "seconds": seconds, "log": result.stdout,
            "before": before, "after": _snapshot(), "victims": victims, "leftovers": leftovers,
            "feedback": feedback, "labs": labs}


def _feedback_pages(graded) -> list[Path]:
    """The feedback pages (nbgrader also copies a submission's other files next to them)."""
    return [page for lab in graded["labs"] for page in (graded["course"] / "feedback").glob(f"*/{lab}/{lab}.html")]


def _total(scores) -> float:
    return sum(score for score, _ in scores.values())


@pytest.mark.parametrize("name", sorted(CASE_DATA))
def test_hostile_submission_gets_its_honest_worth(name, graded):
    case = CASE_DATA[name]
    scores = graded["scores"][(case["LAB"], name)]
    got = _total(scores)
    detail = ", ".join(f"{k} {v[0]:g}/{v[1]:g}" for k, v in sorted(scores.items()))
    assert got == case["EXPECT"], f"{name} ({case['doc']}): expected {case['EXPECT']} points, got {got}: {detail}"
    report = graded["reports"][(case["LAB"], name)]
    if case.get("FLAGGED"):
        assert report["flags"] or report["repairs"], f"{name}: tampering was not flagged for the instructor"
    assert report["seconds"] <= SUBMISSION_TIMEOUT + 45, f"{name}: grading took {report['seconds']:.0f} s"


def test_victim_and_untouched_release(graded):
    for lab in graded["labs"]:
        victim = graded["scores"][(lab, "victim")]
        assert victim and all(score == best for score, best in victim.values()), f"victim lost points: {victim}"
        now = (graded["course"] / "submitted" / "victim" / lab / f"{lab}.ipynb").read_bytes()
        assert now == graded["victims"][lab], f"the victim's submitted {lab} notebook was changed"
        assert _total(graded["scores"][(lab, "untouched")]) == 0
        report = graded["reports"][(lab, "victim")]
        assert not report["flags"] and not report["repairs"], (report["flags"], report["repairs"])


def test_nothing_outside_the_sandbox_changed(graded):
    assert graded["after"] == graded["before"], "files outside the sandbox changed during grading"
    assert not graded["leftovers"], f"processes outlived grading: {graded['leftovers']}"
    assert "PWNED" not in os.environ


def test_grading_time_is_bounded(graded):
    count = len(graded["reports"])
    # two workers; a runaway submission stops at its limit, an honest one takes seconds
    assert graded["seconds"] < count * SUBMISSION_TIMEOUT / 2 + 120, f"{graded['seconds']:.0f} s for {count}"
    worst = max(report["seconds"] for report in graded["reports"].values())
    assert worst <= SUBMISSION_TIMEOUT + 45


def test_feedback_works_for_everyone_and_hides_the_tests(graded):
    for result in graded["feedback"]:
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    hidden = set().union(*(hidden_test_lines(read(lab_notebook(lab))) for lab in graded["labs"]))
    pages = _feedback_pages(graded)
    assert len(pages) == len(graded["reports"])
    for page in pages:
        html = page.read_text()
        shown = [line for line in hidden if line in html]
        assert not shown, f"{page}: shows hidden test lines {shown[:3]}"
    flood = graded["course"] / "autograded" / "output_flood" / "lab00_orientation" / "lab00_orientation.ipynb"
    assert flood.stat().st_size < 5_000_000, f"{flood.stat().st_size:,} bytes of output were kept"


def test_untouched_and_honest_submissions_log_no_checksum_warnings(graded):
    course = graded["course"]
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for lab in graded["labs"]:
        result = subprocess.run([nbgrader, "autograde", lab, "--force", "--student", "victim"], cwd=course,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0
        log = result.stdout + result.stderr
        assert "checksum" not in log.lower(), log[-3000:]


# --------------------------------------------------------------------------- issue 17: what reaches people


def _pages(graded, name):
    case = CASE_DATA[name]
    lab = case["LAB"]
    autograded = graded["course"] / "autograded" / name / lab / f"{lab}.ipynb"
    feedback = graded["course"] / "feedback" / name / lab / f"{lab}.html"
    return autograded.read_text(), feedback.read_text()


@pytest.mark.parametrize("name", sorted(n for n, c in CASE_DATA.items() if c.get("FEEDBACK_HIDES")))
def test_hidden_inputs_recorded_by_student_code_never_reach_feedback(name, graded):
    case = CASE_DATA[name]
    autograded, feedback = _pages(graded, name)
    for text in case.get("AUTOGRADED_SHOWS", []):  # the attack did capture something
        assert text in autograded, f"{name}: {text!r} was expected in the instructor's autograded notebook"
    for text in case["FEEDBACK_HIDES"]:
        assert text not in feedback, f"{name}: the feedback returned to the student shows {text!r}"


def test_every_feedback_page_carries_a_content_security_policy(graded):
    for page in _feedback_pages(graded):
        head = page.read_text()[:3000]
        assert '<meta http-equiv="Content-Security-Policy"' in head, f"{page}: no CSP"


BROWSER_CASES = sorted(n for n, c in CASE_DATA.items() if c.get("BROWSER"))
needs_chromium = pytest.mark.skipif(not browser.have_chromium(), reason="needs chromium (apt-get install chromium)")


@needs_chromium
def test_the_payloads_run_in_a_browser_when_nothing_stops_them(tmp_path):
    """The detector works: the same payloads, rendered as plain markdown, do run in Chromium."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for name in BROWSER_CASES:
        answer = next(iter(CASE_DATA[name]["REPLACE"].values()))
        page = tmp_path / f"{name}.html"
        page.write_text(f"<html><head><title>control</title></head><body>{markdown2html_mistune(answer)}</body></html>")
        assert browser.script_ran(browser.dump_dom(page.as_uri())), f"{name}: the payload did not run unprotected"


@needs_chromium
@pytest.mark.parametrize("name", BROWSER_CASES)
def test_no_student_script_runs_in_the_feedback_page(name, graded):
    case = CASE_DATA[name]
    page = graded["course"] / "feedback" / name / case["LAB"] / f"{case['LAB']}.html"
    dom = browser.dump_dom(page.as_uri())
    assert "Creative research is more likely" in dom, "not the student's feedback page"
    assert not browser.script_ran(dom), f"student script ran in the feedback page: {browser.script_ran(dom)}"
    assert 'href="javascript:' not in page.read_text(), "a javascript: link survived"


@needs_chromium
@pytest.mark.parametrize("name", BROWSER_CASES)
def test_no_student_script_runs_in_formgrader(name, graded):
    """The formgrader, served as `make formgrader` serves it, on the graded hostile course."""
    case = CASE_DATA[name]
    lab, course = case["LAB"], graded["course"]
    marker = Path(case.get("RCE_MARKER", "/nonexistent/marker"))
    marker.unlink(missing_ok=True)
    port, token = browser.free_port(), "hostile-formgrader"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(course), os.environ.get("PYTHONPATH", "")]),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    server = browser.Server(browser.jupyter_command(port, token), course, port, token, env=env)
    try:
        status, _, body = server.get(f"/formgrader/api/submitted_notebooks/{lab}/{lab}")
        assert status == 200, body[:2000]
        submission = next(s["id"] for s in json.loads(body) if s["student"] == name)
        status, headers, _ = server.get(f"/formgrader/submissions/{submission}/")
        assert status == 200 and "script-src" in headers.get("Content-Security-Policy", "")
        dom = browser.dump_dom(server.url(f"/formgrader/submissions/{submission}/"), budget_ms=5000)
        assert "Creative research is more likely" in dom and 'class="score' in dom, "not the submission page"
        assert not browser.script_ran(dom), f"student script ran in formgrader: {browser.script_ran(dom)}"
        for file_name in case.get("FILES", {}):  # the submission's own files, on the server's origin
            status, headers, _ = server.get(f"/formgrader/submissions/{submission}/{file_name}")
            if status == 200:
                assert headers["Content-Type"].startswith("text/plain"), headers["Content-Type"]
                assert headers["Content-Security-Policy"].startswith("sandbox")
                assert not browser.script_ran(browser.dump_dom(server.url(f"/formgrader/submissions/{submission}/"
                                                                          f"{file_name}")))
        # nbgrader writes URL parts into its pages' scripts unescaped: such URLs are refused
        status, _, _ = server.get("/formgrader/manage_students/%22%3Bdocument.title%3D%22PWNED%22%3B%2F%2F")
        assert status == 404
        # ...and runs DIR/nbgrader_config.py on GET /formgrader/?path=DIR: refused
        status, _, _ = server.get(f"/formgrader/?path=submitted/{name}/{lab}")
        assert status == 403 and not marker.exists(), "formgrader ran the student's nbgrader_config.py"
    finally:
        log = server.output()
        server.stop()
    assert "formgrader_security" in log, log[-3000:]
