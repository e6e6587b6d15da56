"""Benchmark the course on this machine: `make benchmark`.

Prints one table: wall-clock time and peak memory of every lesson and lab source notebook in
fast and in full mode, and the autograding time per submission of every lab. Each notebook
runs in its own process so its kernel's peak memory is measured alone. Budgets (course design
§5): fast mode ≤ 90 s, a full lesson ≤ 5 min and ≤ 2 GB, autograding ≤ 60 s per submission.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tools"))


def run_one(path: Path, fast: bool) -> dict:
    """Execute one notebook in a temp folder; return seconds, peak kernel MB, and status."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["CREATIVE_AI_FAST"] = "1" if fast else "0"
    os.environ.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name="python3", timeout=1800, resources={"metadata": {"path": tmp}})
        start = time.perf_counter()
        status = "ok"
        try:
            client.execute()
        except Exception as error:  # report, do not stop the benchmark
            status = f"failed: {type(error).__name__}"
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "status": status}


def measure(path: Path, fast: bool) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--one", str(path), "--mode", "fast" if fast else "full"],
        capture_output=True, text=True, env=os.environ.copy(),
    )
    if result.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "status": "crashed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def autograde_seconds(lab_id: str) -> tuple[float, int]:
    """Seconds per submission when autograding the sample submissions of one lab."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    from submissions import scratch_course

    with tempfile.TemporaryDirectory() as tmp:
        course = scratch_course(Path(tmp))
        nbgrader = str(Path(sys.executable).parent / "nbgrader")
        subprocess.run([nbgrader, "generate_assignment", lab_id, "--force"], cwd=course, env=env,
                       check=True, capture_output=True)
        subprocess.run([sys.executable, str(REPO / "tools" / "submissions.py"), lab_id, "--course", str(course)],
                       env=env, check=True, capture_output=True)
        count = len(list((course / "submitted").iterdir()))
        start = time.perf_counter()
        subprocess.run([nbgrader, "autograde", lab_id, "--force"], cwd=course, env=env, check=True,
                       capture_output=True)
        return (time.perf_counter() - start) / count, count


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every notebook and autograding.")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["fast", "full"], default="fast", help=argparse.SUPPRESS)
    parser.add_argument("--fast-only", action="store_true", help="skip the (slow) full-mode runs")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.mode == "fast")))
        return

    from course import all_notebooks, lab_ids

    rows = []
    for path in all_notebooks():
        fast = measure(path, fast=True)
        full = None if args.fast_only else measure(path, fast=False)
        rows.append((str(path.relative_to(REPO)), fast, full))
        print(f"  measured {rows[-1][0]}", file=sys.stderr)
    grading = {lab: autograde_seconds(lab) for lab in lab_ids()}

    def cell(result):
        if result is None:
            return "—", "—"
        note = "" if result["status"] == "ok" else f" ({result['status']})"
        return f"{result['seconds']:.1f}{note}", f"{result['peak_mb']:.0f}"

    print(f"\nBenchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| notebook | fast s | fast peak MB | full s | full peak MB | autograde s/submission |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, fast, full in rows:
        lab = Path(name).parent.name if name.startswith("labs/") else None
        grade = f"{grading[lab][0]:.1f} (n={grading[lab][1]})" if lab in grading else ""
        print(f"| {name} | {' | '.join(cell(fast))} | {' | '.join(cell(full))} | {grade} |")


if __name__ == "__main__":
    main()
