"""The classroom hub end to end, on loopback (issue 21): real JupyterHub, real Unix users.

An instructor, a TA and three students. Release → students fetch, answer (one complete, one
blank, one with a mistake) and submit through their servers' Assignments API → the instructor
collects and runs ``make autograde`` (sandboxed) → formgrader's pages load for the instructor,
hardened → instructor and TA grade written answers at the same time (PostgreSQL gradebook) →
feedback generated, released and fetched by each student → grades exported. Each isolation
rule of docs/classroom.md is tried by a student and must fail.
"""

from __future__ import annotations

import csv
import grp
import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from hubtools import RUNUSER, Classroom, why_not

LAB = "lab00_orientation"
INSTRUCTOR, TA = "cait-inst", "cait-ta"
COMPLETE, BLANK, MISTAKE = "cait-s1", "cait-s2", "cait-s3"
pytestmark = [pytest.mark.skipif(bool(why_not()), reason=why_not() or "ok"), pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def hub():
    keep = os.environ.get("CLASSROOM_KEEP")  # developers: reuse one hub between runs
    if keep and Path(keep).exists():
        room = Classroom.attach(Path(keep))
    else:
        room = Classroom(Path("/srv") / f"cait-{uuid.uuid4().hex[:8]}", [COMPLETE, BLANK, MISTAKE],
                         {INSTRUCTOR: "instructor", TA: "ta"})
    try:
        if room.hub is None and not keep or not Path(keep or "/nonexistent").exists():
            room.start()
            if keep:
                room.save(Path(keep))
        room.clients = {name: room.client(name) for name in [INSTRUCTOR, TA, COMPLETE, BLANK, MISTAKE]}
        for client in room.clients.values():
            client.login()
        with ThreadPoolExecutor(5) as pool:  # servers start at once, as in a class
            list(pool.map(lambda client: client.start_server(), room.clients.values()))
        yield room
    finally:
        if not keep:
            room.stop()


def as_user(hub, user, code: str) -> subprocess.CompletedProcess:
    """Run Python as ``user`` (their own server's environment), outside any sandbox."""
    env = hub.env_for(user)
    return subprocess.run([RUNUSER, "-u", user, "--", str(hub.course / ".venv/bin/python"), "-c", code],
                          capture_output=True, text=True, env=env, cwd="/tmp", timeout=120)


def inbound(hub) -> Path:
    return hub.exchange / "creative-ai" / "inbound"


def test_release_fetch_submit(hub):
    autograder = hub.course / "autograder"
    hub.make("release", f"LABS={LAB}", user=INSTRUCTOR)
    hub.run([str(hub.course / ".venv/bin/nbgrader"), "release_assignment", LAB], user=INSTRUCTOR, cwd=autograder)
    from submissions import submission_from_release

    release_nb = nbformat.read(autograder / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    source_nb = nbformat.read(hub.course / "labs" / LAB / f"{LAB}.ipynb", as_version=4)
    wrong = sorted((hub.course / "tests" / "grading" / LAB / "wrong_answers").glob("*.py"))[0]
    answers = {COMPLETE: submission_from_release(release_nb, source_nb), BLANK: release_nb,
               MISTAKE: submission_from_release(release_nb, source_nb,
                                                replace={wrong.stem.split("__")[0]: wrong.read_text()})}
    for student, nb in answers.items():
        client = hub.clients[student]
        listed = client.server("GET", "assignments", params={"course_id": "creative-ai"}).json()
        assert listed["success"], listed
        assert [a["assignment_id"] for a in listed["value"]] == [LAB], listed
        fetched = client.server("POST", "assignments/fetch", data={"course_id": "creative-ai", "assignment_id": LAB})
        assert fetched.json()["success"], fetched.text[:2000]
        path = f"{LAB}/{LAB}.ipynb"
        saved = client.server("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json",
                                                                    "content": json.loads(nbformat.writes(nb))})
        assert saved.status_code in (200, 201), saved.text[:500]
        submitted = client.server("POST", "assignments/submit", data={"course_id": "creative-ai", "assignment_id": LAB})
        assert submitted.json()["success"], submitted.text[:2000]
    entries = list(inbound(hub).iterdir())
    assert len(entries) == 3
    graders = grp.getgrnam(hub.groups[1]).gr_gid
    for entry in entries:  # closed to everyone but its student and the graders' group
        for path in [entry, *entry.iterdir()]:
            assert path.stat().st_mode & 0o007 == 0 and path.stat().st_gid == graders, (path, oct(path.stat().st_mode))


# ---- isolation: every attempt by a student fails ----

def test_student_cannot_list_submissions(hub):
    done = as_user(hub, BLANK, f"import os; os.listdir({str(inbound(hub))!r})")
    assert "PermissionError" in done.stderr, done


def test_student_cannot_read_another_submission(hub):
    theirs = next(p for p in inbound(hub).iterdir() if p.name.startswith(COMPLETE + "+"))
    done = as_user(hub, BLANK, f"open({str(theirs / (LAB + '.ipynb'))!r}).read()")
    assert "PermissionError" in done.stderr, done
    done = as_user(hub, BLANK, f"import os; os.listdir({str(theirs)!r})")
    assert "PermissionError" in done.stderr, done


def test_student_cannot_overwrite_or_replace_a_release(hub):
    release = hub.exchange / "creative-ai" / "outbound" / LAB / f"{LAB}.ipynb"
    done = as_user(hub, BLANK, f"open({str(release)!r}, 'w').write('{{}}')")
    assert "PermissionError" in done.stderr, done
    done = as_user(hub, BLANK, f"import os; os.rename({str(release.parent)!r}, {str(release.parent)!r} + '.old')")
    assert "PermissionError" in done.stderr, done
    course = hub.exchange / "creative-ai"
    done = as_user(hub, BLANK, f"import os; os.rename({str(course)!r}, {str(course)!r} + '.old')")
    assert "PermissionError" in done.stderr, done


def test_student_cannot_read_solutions_gradebook_or_homes(hub):
    for path in [hub.course / "labs" / LAB / f"{LAB}.ipynb", hub.course / "classroom/state/gradebook-password",
                 Path(f"/home/{COMPLETE}/{LAB}/{LAB}.ipynb")]:
        done = as_user(hub, BLANK, f"open({str(path)!r}).read()")
        assert "PermissionError" in done.stderr, (path, done)


def test_student_cannot_delete_another_submission(hub):
    theirs = next(p for p in inbound(hub).iterdir() if p.name.startswith(COMPLETE + "+"))
    done = as_user(hub, BLANK, f"import os; os.rename({str(theirs)!r}, {str(theirs)!r} + 'x')")
    assert "PermissionError" in done.stderr, done


def test_forged_submission_is_dropped_at_collect(hub):
    """The blank student submits a complete notebook *as* the complete student, later in time."""
    forged = inbound(hub) / f"{COMPLETE}+{LAB}+2099-01-01 00:00:00.000000 UTC+forged"
    code = (f"import os, shutil; os.mkdir({str(forged)!r}); "
            f"open({str(forged / (LAB + '.ipynb'))!r}, 'w').write(open('/home/{BLANK}/{LAB}/{LAB}.ipynb').read()); "
            f"open({str(forged / 'timestamp.txt')!r}, 'w').write('2099-01-01 00:00:00.000000 UTC')")
    done = as_user(hub, BLANK, code)
    assert done.returncode == 0, done.stderr  # creating it works (inbound is writable)...
    log = hub.run([str(hub.course / ".venv/bin/nbgrader"), "collect", LAB], user=INSTRUCTOR,
                  cwd=hub.course / "autograder")
    assert "Dropped submission" in log and "submitting as someone else" in log, log
    submitted = hub.course / "autograder" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted([COMPLETE, BLANK, MISTAKE])
    stamp = (submitted / COMPLETE / LAB / "timestamp.txt").read_text()
    assert not stamp.startswith("2099"), "...but the forged one is not what was collected"


@pytest.mark.timeout(3600)  # the first grading builds the grader's warm caches (numba: minutes on a busy machine)
def test_autograde_sandboxed(hub):
    log = hub.make("autograde", f"LABS={LAB}", user=INSTRUCTOR, timeout=3600)
    assert "bwrap sandbox" in log, log[-3000:]
    import csv as _csv

    rows = {r["student"]: r for r in _csv.DictReader(open(hub.course / "autograder/reports" / f"{LAB}.csv"))}
    full = float(rows[COMPLETE]["max_autograded"])
    assert float(rows[COMPLETE]["autograded_score"]) == full
    assert float(rows[BLANK]["autograded_score"]) == 0
    assert 0 < float(rows[MISTAKE]["autograded_score"]) < full
    assert all(r["sandbox"] == "bwrap" for r in rows.values()), rows


def test_formgrader_pages_for_the_instructor_hardened(hub):
    client = hub.clients[INSTRUCTOR]
    page = client.server("GET", "formgrader/manage_assignments")
    assert page.status_code == 200 and "Manage Assignments" in page.text, page.text[:500]
    subs = client.server("GET", f"formgrader/api/submitted_notebooks/{LAB}/{LAB}").json()
    assert len(subs) == 3
    names = {s["student"]: (s["last_name"], s["first_name"]) for s in subs}
    assert None not in names[COMPLETE], names  # real names from the accounts, not "None, None"
    sub = client.server("GET", f"formgrader/submissions/{subs[0]['id']}/")
    assert sub.status_code == 200 and 'id="notebook-container"' in sub.text
    policy = sub.headers.get("Content-Security-Policy", "")
    assert "script-src" in policy and "object-src 'none'" in policy, policy  # formgrader_security is loaded
    # The plain ?path= request that would run a student's nbgrader_config.py is refused.
    assert client.server("GET", "formgrader/", params={"path": "submitted"}).status_code == 403
    # Students have no formgrader.
    assert hub.clients[BLANK].server("GET", "formgrader/manage_assignments").status_code == 404


def test_formgrader_renders_in_chromium(hub):
    sys.path.insert(0, str(hub.course / "tests"))
    from browser import have_chromium

    if not have_chromium():
        pytest.skip("chromium is not installed")
    from cdp import page_text

    client = hub.clients[INSTRUCTOR]
    text = page_text(f"{hub.url}/user/{INSTRUCTOR}/formgrader/manage_assignments", client.browser_cookies())
    assert LAB in text, text[:2000]  # not blank: the assignment table was drawn by formgrader's script


def test_instructor_and_ta_grade_at_the_same_time(hub):
    graders = [hub.clients[INSTRUCTOR], hub.clients[TA]]
    subs = graders[0].server("GET", f"formgrader/api/submitted_notebooks/{LAB}/{LAB}").json()
    work = []
    for index, sub in enumerate(subs):
        grades = graders[0].server("GET", "formgrader/api/grades", params={"submission_id": sub["id"]}).json()
        comments = graders[0].server("GET", "formgrader/api/comments", params={"submission_id": sub["id"]}).json()
        written = [g for g in grades if g["name"].startswith("written")]  # the lab's written answers
        assert written, grades
        for grade in written:
            work.append((graders[index % 2], "grade", grade["id"], {"manual_score": 1}))
        for comment in comments:
            work.append((graders[(index + 1) % 2], "comment", comment["id"],
                         {"manual_comment": f"checked by {graders[(index + 1) % 2].name}"}))

    def put(item):
        client, kind, ident, body = item
        reply = client.server("PUT", f"formgrader/api/{kind}/{ident}", json=body)
        return reply.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(put, work * 3))  # every change three times, concurrently
    assert set(codes) == {200}, codes
    for _client, kind, ident, body in work:
        found = graders[0].server("GET", f"formgrader/api/{kind}/{ident}").json()
        key = next(iter(body))
        assert found[key] == body[key], (kind, found)


def test_feedback_returns_to_each_student_and_grades_export(hub):
    hub.make("feedback", f"LABS={LAB}", user=INSTRUCTOR)
    hub.run([str(hub.course / ".venv/bin/nbgrader"), "release_feedback", LAB], user=INSTRUCTOR,
            cwd=hub.course / "autograder")
    for student in (COMPLETE, BLANK, MISTAKE):
        client = hub.clients[student]
        got = client.server("POST", "assignments/fetch_feedback", data={"course_id": "creative-ai",
                                                                         "assignment_id": LAB})
        assert got.json()["success"], got.text[:2000]
        listing = client.server("GET", f"api/contents/{LAB}/feedback").json()
        stamps = [e["name"] for e in listing["content"]]
        html = client.server("GET", f"api/contents/{LAB}/feedback/{stamps[0]}/{LAB}.html",
                             params={"content": 1}).json()["content"]
        assert student in html or "Score" in html or "score" in html
        assert "BEGIN HIDDEN TESTS" not in html
    done = as_user(hub, BLANK, f"import os; os.listdir({str(hub.exchange / 'creative-ai' / 'feedback')!r})")
    assert "PermissionError" in done.stderr, done
    hub.make("grades", user=INSTRUCTOR)
    rows = list(csv.DictReader(open(hub.course / "autograder" / "grades.csv")))
    assert sorted(r["student_id"] for r in rows if r["assignment"] == LAB) == sorted([COMPLETE, BLANK, MISTAKE])
    assert all(r["last_name"] not in ("", "None") for r in rows), rows
