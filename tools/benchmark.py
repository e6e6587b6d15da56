"""Benchmark the course on this machine: `make benchmark`.

Prints two tables. First, wall-clock time and peak memory of every lesson and lab source notebook
in fast and in full mode (each notebook in its own process, so its kernel's peak memory is
measured alone). Second, autograding throughput per lab on copies of its sample submissions:
`make autograde` (sandboxed, one worker per core) against plain sequential `nbgrader autograde`
(nbgrader's own pipeline, no sandbox) and against the limit — the pure execution time of the same
autograded notebooks, run one by one with nbclient single-threaded (as the grader runs student
code: the limit counts core-seconds), divided by the cores. Budgets (course design
§5): fast mode ≤ 90 s, a full lesson ≤ 5 min and ≤ 2 GB, autograding ≤ 60 s per submission.
`--grading-only` skips the notebook table; `--fast-only` skips full mode; `--labs` grades only some
labs; `--no-baseline` skips plain nbgrader (at many `--copies` the slowest column to measure). The
grader's warm caches are built before anything is timed (once per environment).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "autograder" / "grader"))


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


VANILLA_NBGRADER = """
# Benchmark baseline: nbgrader's own pipeline (student code in nbgrader's kernel, no sandbox).
c.Autograde.sanitize_preprocessors = ["nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata"]
c.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.Execute", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]
c.Execute.timeout = 120
c.Execute.kernel_name = "python3"
c.OverwriteCells.add_missing_cells = True
"""


def _prepare(root: Path, labs: list[str], copies: int, vanilla: bool = False) -> Path:
    """A scratch course with every lab released and ``copies`` x the sample submissions."""
    from submissions import scratch_course

    course = scratch_course(root)
    if vanilla:
        with open(course / "nbgrader_config.py", "a") as config:
            config.write(VANILLA_NBGRADER)
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for lab in labs:
        subprocess.run([nbgrader, "generate_assignment", lab, "--force"], cwd=course, check=True, capture_output=True)
    subprocess.run([sys.executable, str(REPO / "tools" / "submissions.py"), *labs, "--course", str(course)],
                   check=True, capture_output=True)
    submitted = course / "submitted"
    for student in sorted(p.name for p in submitted.iterdir()):
        for copy in range(1, copies):
            shutil.copytree(submitted / student, submitted / f"{student}-copy{copy}")
    return course


def best_schedule_seconds(durations: list[float], cores: int) -> float:
    """The shortest time in which ``cores`` processes could run these jobs, each on one core from
    start to end: what a grader that runs every submission as one single-threaded process (as
    this one does) can at best reach. The plain limit (sum / cores) assumes the work divides
    evenly; three equal submissions on two cores cannot beat two of them back to back. Exact for
    two cores (a subset sum over hundredths of a second); longest-first for more (an estimate)."""
    if not durations:
        return 0.0
    if cores == 2:
        ticks = [max(0, round(100 * d)) for d in durations]
        total = sum(ticks)
        reachable = 1  # bit k set: some subset of the jobs sums to k ticks
        for tick in ticks:
            reachable |= reachable << tick
        half = max(k for k in range(total // 2 + 1) if reachable >> k & 1)
        return (total - half) / 100
    loads = [0.0] * max(1, cores)
    for duration in sorted(durations, reverse=True):
        loads[loads.index(min(loads))] += duration
    return max(loads)


def _pure_execution_seconds(course: Path) -> list[float]:
    """Run every autograded notebook (hidden tests included) top to bottom with nbclient, one by one,
    single-threaded as the grader runs student code (sandbox.ONE_THREAD): the limit is core-seconds
    divided by cores, and a kernel whose torch or BLAS used both cores would count half its cost."""
    import nbformat
    import sandbox
    from nbclient import NotebookClient

    seconds = []
    # the same fast mode grading uses, and its thread settings; the previous environment comes back after
    with mock.patch.dict(os.environ, {**sandbox.ONE_THREAD, "NBGRADER_EXECUTION": "autograde"}):
        for path in sorted((course / "autograded").glob("*/*/*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            with tempfile.TemporaryDirectory() as tmp:
                client = NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=True,
                                        resources={"metadata": {"path": tmp}})
                start = time.perf_counter()
                client.execute()
                seconds.append(time.perf_counter() - start)
    return seconds


def grading_throughput(labs: list[str], copies: int, baseline: bool = True) -> dict:
    """Submissions per minute: sandboxed and parallel (make autograde), plain sequential nbgrader
    (unless ``baseline`` is false), and the limit (pure execution time of the same notebooks
    divided by the cores)."""
    cores = os.cpu_count() or 1
    # nbgrader runs helpers (alembic) and kernels from this environment
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    with tempfile.TemporaryDirectory() as tmp:
        ours = _prepare(Path(tmp) / "ours", labs, copies)
        count = len(list((ours / "submitted").glob("*/*/*.ipynb")))
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(REPO / "autograder" / "grader" / "cli.py"), "autograde",
                                 "--course", str(ours), "--workers", str(cores), *labs], capture_output=True, text=True)
        parallel = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
        each = _pure_execution_seconds(ours)
        pure = sum(each)
        sequential = float("nan")
        if baseline:
            vanilla = _prepare(Path(tmp) / "vanilla", labs, copies, vanilla=True)
            start = time.perf_counter()
            for lab in labs:
                subprocess.run([nbgrader, "autograde", lab, "--force"], cwd=vanilla, check=True, capture_output=True)
            sequential = time.perf_counter() - start
    return {"submissions": count, "cores": cores, "parallel_s": parallel, "nbgrader_s": sequential,
            "pure_s": pure, "limit_s": pure / cores, "schedule_s": best_schedule_seconds(each, cores)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every notebook and autograding.")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["fast", "full"], default="fast", help=argparse.SUPPRESS)
    parser.add_argument("--fast-only", action="store_true", help="skip the (slow) full-mode runs")
    parser.add_argument("--grading-only", action="store_true", help="only the autograding throughput")
    parser.add_argument("--copies", type=int, default=2, help="copies of each lab's 4 sample submissions")
    parser.add_argument("--labs", nargs="+", metavar="LAB", help="grade only these labs (default: every lab)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip plain sequential nbgrader (the slowest column to measure at many copies)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.mode == "fast")))
        return

    from course import all_notebooks, lab_ids

    rows = []
    for path in [] if args.grading_only else all_notebooks():
        fast = measure(path, fast=True)
        full = None if args.fast_only else measure(path, fast=False)
        rows.append((str(path.relative_to(REPO)), fast, full))
        print(f"  measured {rows[-1][0]}", file=sys.stderr)
    labs = args.labs or lab_ids()
    unknown = sorted(set(labs) - set(lab_ids()))
    if unknown:
        parser.error(f"no such lab {unknown}; labs are {lab_ids()}")
    # The grader's warm caches (matplotlib's fonts, librosa's compiled code) are built once per
    # environment, by the first grading run after `make setup`; build them first so that the first
    # lab measured is not charged for them (about 45 s on a fresh environment).
    import warm

    start = time.perf_counter()
    warm.ensure_warm()
    print(f"  the grader's warm caches ready in {time.perf_counter() - start:.0f} s (once per environment; "
          "not counted below)", file=sys.stderr)
    print("  measuring autograding throughput (the labs' sample submissions)...", file=sys.stderr)
    per_lab = {lab: grading_throughput([lab], args.copies, baseline=not args.no_baseline) for lab in labs}

    def cell(result):
        if result is None:
            return "—", "—"
        note = "" if result["status"] == "ok" else f" ({result['status']})"
        return f"{result['seconds']:.1f}{note}", f"{result['peak_mb']:.0f}"

    print(f"\nBenchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    if rows:
        print("| notebook | fast s | fast peak MB | full s | full peak MB |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, fast, full in rows:
            print(f"| {name} | {' | '.join(cell(fast))} | {' | '.join(cell(full))} |")
    import sandbox

    print(f"\nAutograding throughput ({sandbox.mode()} sandbox, submissions per minute; limit = pure "
          "execution time of the same notebooks, single-threaded, / cores; best schedule = the same "
          "notebooks packed on the cores as well as whole notebooks can be, see best_schedule_seconds)\n")
    print("| lab | submissions | make autograde (parallel) | nbgrader autograde (sequential) | limit | "
          "parallel / limit time | parallel / best schedule | s per submission (parallel) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lab, t in per_lab.items():
        rate = {name: 60 * t["submissions"] / t[name] for name in ("parallel_s", "nbgrader_s", "limit_s")}
        sequential = "not measured" if math.isnan(t["nbgrader_s"]) else f"{rate['nbgrader_s']:.1f}"
        print(f"| {lab} | {t['submissions']} | {rate['parallel_s']:.1f} | {sequential} | "
              f"{rate['limit_s']:.1f} | {t['parallel_s'] / t['limit_s']:.2f}x | "
              f"{t['parallel_s'] / t['schedule_s']:.2f}x | {t['parallel_s'] / t['submissions']:.1f} |")


if __name__ == "__main__":
    main()
