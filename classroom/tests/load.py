"""N simulated students on a real classroom hub: log in, start servers, fetch, submit — all at once.

    python classroom/tests/load.py --students 30 [--out result.json]   (as root; minutes)

Builds a classroom as :class:`hubtools.Classroom` does (the guide's commands), releases lab 00,
then every student, in its own thread at the same moment: logs in through the login form,
starts its server, fetches the lab, saves a complete answer through the contents API, submits.
Then the instructor collects and runs ``make autograde``. Reports latency percentiles of each
step, the wave's wall time, memory per idle server (proportional set size of the user's
processes), and checks that every submission was collected and graded with full marks.
``test_load.py`` runs it with 5 students.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import nbformat  # noqa: E402
from hubtools import Classroom  # noqa: E402

LAB = "lab00_orientation"


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def pick(q):
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    return {"p50": round(pick(0.5), 2), "p95": round(pick(0.95), 2), "max": round(ordered[-1], 2),
            "n": len(ordered)}


def pss_mb(uid: int) -> float:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run(students: int, root: Path | None = None, keep: bool = False) -> dict:
    import pwd

    names = [f"cail-s{i:03d}" for i in range(1, students + 1)]
    room = Classroom(root or Path("/srv") / f"cail-{uuid.uuid4().hex[:8]}", names, {"cail-inst": "instructor"},
                     prefix="cail")
    result: dict = {"students": students, "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    try:
        start = time.monotonic()
        room.start()
        result["setup_s"] = round(time.monotonic() - start, 1)
        autograder = room.course / "autograder"
        room.make("release", f"LABS={LAB}", user="cail-inst")
        room.run([str(room.course / ".venv/bin/nbgrader"), "release_assignment", LAB], user="cail-inst",
                 cwd=autograder)
        from submissions import submission_from_release

        release_nb = nbformat.read(autograder / "release" / LAB / f"{LAB}.ipynb", as_version=4)
        source_nb = nbformat.read(room.course / "labs" / LAB / f"{LAB}.ipynb", as_version=4)
        answer = json.loads(nbformat.writes(submission_from_release(release_nb, source_nb)))
        times: dict[str, list[float]] = {k: [] for k in ("login", "server_start", "fetch", "save", "submit",
                                                         "hub_api")}
        errors: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(students)

        def student(name: str):
            client = room.client(name)
            barrier.wait()
            try:
                took = {"login": client.login(), "server_start": client.start_server(timeout=900)}
                for step, method, path, kw in [
                    ("fetch", "POST", "assignments/fetch", {"data": {"course_id": "creative-ai", "assignment_id": LAB}}),
                    ("save", "PUT", f"api/contents/{LAB}/{LAB}.ipynb",
                     {"json": {"type": "notebook", "format": "json", "content": answer}}),
                    ("submit", "POST", "assignments/submit", {"data": {"course_id": "creative-ai", "assignment_id": LAB}}),
                ]:
                    t0 = time.monotonic()
                    reply = client.server(method, path, **kw)
                    took[step] = time.monotonic() - t0
                    assert reply.status_code in (200, 201), f"{step}: {reply.status_code} {reply.text[:300]}"
                    if step != "save":
                        assert reply.json()["success"], f"{step}: {reply.text[:500]}"
                t0 = time.monotonic()
                client.session.get(f"{room.url}/hub/api/users/{name}", headers=client.headers(), timeout=60)
                took["hub_api"] = time.monotonic() - t0
                with lock:
                    for key, value in took.items():
                        times[key].append(value)
            except Exception as error:  # noqa: BLE001 - reported, and fails the run
                with lock:
                    errors.append(f"{name}: {type(error).__name__}: {error}")

        wave = time.monotonic()
        with ThreadPoolExecutor(students) as pool:
            list(pool.map(student, names))
        result["wave_s"] = round(time.monotonic() - wave, 1)
        result["errors"] = errors
        result["latency_s"] = {k: percentiles(v) for k, v in times.items() if v}
        time.sleep(10)  # let the servers settle to idle
        memory = [pss_mb(pwd.getpwnam(n).pw_uid) for n in names]
        result["idle_server_pss_mb"] = {"mean": round(statistics.mean(memory), 1),
                                        "max": round(max(memory), 1), "total": round(sum(memory), 1)}
        hub_pids = [int(p) for p in (room.course / "classroom/state/jupyterhub.pid").read_text().split()]
        result["hub_pss_mb"] = round(sum(_pss_pid(p) for p in hub_pids), 1)
        t0 = time.monotonic()
        room.run([str(room.course / ".venv/bin/nbgrader"), "collect", LAB], user="cail-inst", cwd=autograder)
        result["collect_s"] = round(time.monotonic() - t0, 1)
        t0 = time.monotonic()
        room.make("autograde", f"LABS={LAB}", user="cail-inst", timeout=7200)
        result["autograde_s"] = round(time.monotonic() - t0, 1)
        rows = list(csv.DictReader(open(autograder / "reports" / f"{LAB}.csv")))
        result["collected"] = len(list((autograder / "submitted").iterdir()))
        result["graded_full_marks"] = sum(float(r["autograded_score"]) == float(r["max_autograded"]) for r in rows)
        result["load_after"] = os.getloadavg()
        return result
    finally:
        if not keep:
            room.stop()


def _pss_pid(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = run(args.students)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    ok = not result["errors"] and result["collected"] == result["graded_full_marks"] == args.students
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
