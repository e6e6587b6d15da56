"""`make autograde`: grade every lab's submissions on all cores, resumably, then record them.

    python autograder/grader/cli.py autograde [--workers N] [--course DIR] [--shard K/N] [LAB ...]

1. For each lab with submissions in ``<course>/submitted/<student>/<lab>/``, each notebook is
   repaired and sanitised exactly as ``nbgrader autograde`` does it, then graded by the
   sandboxed grader (student cells in a sandbox, tests in the trusted judge) — several at once,
   one per worker. Each result is stored in ``<course>/runs/<lab>/<student>/`` under a key made
   of the notebook's content, the lab source and the limits, the moment it is done.
2. nbgrader's ``autograde --force`` step (its converter, run in a thread of this process) records
   each submission in the gradebook as soon as it is graded (``--student``, one at a time). It
   finds the stored results (same key) and runs nothing again; only a submission without a
   stored result would be graded there, sequentially.

Interrupt it at any time and run it again: finished submissions are not graded again, and the
gradebook is written from stored results only, so nothing is lost or counted twice. The
summary table and ``<course>/reports/<lab>.csv`` list per-submission scores, time-outs, crashes,
repairs and flags.

**Sharding** (``--shard K/N``, ``make autograde SHARD=K/N``): several machines (or the pods of a
Kubernetes Indexed Job) split the submissions. Shard K grades only the submissions whose
``lab/student`` hashes to K (see :func:`shard_of`: the same answer on every machine, whatever
else each one sees) and stores their results in ``<course>/runs/``; it does not touch the
gradebook. Once every shard is done and their ``runs/`` folders are in one course folder (a
shared volume, or copied), a plain ``make autograde`` there finds every result stored, grades
nothing again (a submission no shard graded is graded then) and records them all.
"""

from __future__ import annotations

import argparse
import glob
import os
import signal
import sys
import threading
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent / "insight"))   # csv_cells: the one CSV writer for what instructors open
# jsonschema (under nbformat) imports rfc3987_syntax when it is installed, and that compiles 39
# grammars on import: about 3 s of CPU. Its IRI formats are never checked here (nbformat validates
# without a format checker), so this process goes without it.
sys.modules.setdefault("rfc3987_syntax", None)

if __name__ == "__main__":
    # The judges boot (about a core-second of imports each) while this process imports nbgrader
    # (about a second of one core) instead of after it: see early_judges.py.
    import early_judges

    early_judges.start(sys.argv[1:])

import nbformat  # noqa: E402
import preprocessors as pp  # noqa: E402
import runner  # noqa: E402
import sandbox  # noqa: E402
from csv_cells import csv_line, formula_like  # noqa: E402
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from nbgrader.coursedir import CourseDirectory  # noqa: E402
from shards import parse_shard, shard_of  # noqa: E402
from sqlalchemy.exc import SAWarning  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402
from traitlets.utils.importstring import import_item  # noqa: E402

# nbgrader's gradebook (its api.py, with SQLAlchemy 2) warns "Object of type <SubmittedAssignment> not
# in session, add operation along ... will not proceed" while it records a submission: nbgrader's own
# ORM usage, harmless (the rows are written; tests/grading checks the scores), and noise in the
# instructor's terminal once per submission since recording runs in this process.
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session", category=SAWarning)


@dataclass
class Job:
    lab: str
    student: str
    notebook: str
    path: Path
    key: str = ""
    sanitised: object = None
    state: str = "pending"      # pending, done-before, graded, failed
    error: str = ""
    seconds: float = 0.0
    report: dict = field(default_factory=dict)
    answer_size: int = 0        # characters in the answer cells: bigger ones go first (see run_parallel)


class Course:
    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        os.chdir(self.folder)
        self.config = PyFileConfigLoader("nbgrader_config.py", path=str(self.folder)).load_config()
        self.coursedir = CourseDirectory(config=self.config)
        self.execute = pp.SandboxedExecute(config=self.config)
        self.settings = self.execute.settings()

    def submitted(self) -> Path:
        return Path(self.coursedir.root) / self.coursedir.submitted_directory

    def labs_with_submissions(self, wanted: list[str]) -> list[str]:
        found = sorted({p.name for p in self.submitted().glob("*/*") if p.is_dir()})
        return [lab for lab in (wanted or found) if lab in found]

    def notebooks(self, lab: str) -> list[str]:
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                return [nb.name for nb in gradebook.find_assignment(lab).notebooks]
            except MissingEntry:
                raise SystemExit(f"{lab} is not in the gradebook: run `make release` first "
                                 "(it records each lab's tests in the gradebook)") from None

    def jobs(self, labs: list[str]) -> list[Job]:
        jobs = []
        for lab in labs:
            for notebook in self.notebooks(lab):
                for folder in sorted(self.submitted().glob(f"*/{lab}")):
                    path = folder / f"{notebook}.ipynb"
                    if path.is_file():
                        jobs.append(Job(lab, folder.parent.name, notebook, path))
        return jobs

    def sanitise(self, job: Job) -> None:
        """The notebook as nbgrader's sanitising step leaves it, and its result key."""
        nb = nbformat.read(job.path, as_version=4)
        resources = {"nbgrader": {"student": job.student, "assignment": job.lab, "notebook": job.notebook,
                                  "db_url": self.coursedir.db_url}, "unique_key": job.notebook}
        names = self.config.Autograde.sanitize_preprocessors
        for name in names:
            cls = import_item(name) if isinstance(name, str) else name
            nb, resources = cls(config=self.config)(nb, resources)
        source = pp.lab_source(self.coursedir, job.lab, job.notebook).read_bytes()
        job.sanitised = nb
        job.key = pp.notebook_key(nb, source, self.settings)
        job.answer_size = sum(len(cell.source) for cell in nb.cells if cell.cell_type == "code"
                              and (cell.metadata.get("nbgrader") or {}).get("solution"))

    def run_path(self, job: Job) -> Path:
        return pp.run_path(self.coursedir, job.lab, job.student, job.notebook)

    def grade(self, job: Job, slot: int) -> None:
        source = pp.lab_source(self.coursedir, job.lab, job.notebook).read_bytes()
        start = time.monotonic()
        result, report = pp.grade_sanitised(job.sanitised, job.lab, source, job.path.parent, self.settings, slot,
                                            job.sanitised.metadata.get("creative_ai_repairs", []))
        pp.store_run(self.run_path(job), job.key, result, report)
        job.seconds = time.monotonic() - start
        job.report = report


def _progress(total: int):
    try:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc="grading", unit="submission", dynamic_ncols=True, file=sys.stderr)
    except ImportError:  # pragma: no cover
        return None


class Recorder:
    """Records submissions in the gradebook one at a time, in the background, each as soon as all
    its notebooks are graded (nbgrader is the only writer of the gradebook). Recording a whole lab
    at the end left one core idle while the last submissions ran, and then kept the other waiting
    for nbgrader; one submission at a time, recording fills the idle core and only the last
    submission is recorded after grading."""

    def __init__(self, course: Course, jobs: list[Job], slot: int):
        self.course = course
        self.slot = slot  # judge slot for a submission nbgrader must grade itself (none of the workers')
        self.results: dict[str, list[tuple[int, str]]] = {}
        self.recorded: set[tuple[str, str]] = set()
        self.left: dict[tuple[str, str], int] = {}
        for job in jobs:
            self.left[(job.lab, job.student)] = self.left.get((job.lab, job.student), 0) + 1
        self.queue: list[tuple[str, str]] = []
        self.condition = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def done(self, job: Job) -> None:
        """One notebook is graded (or was before, or failed): record its submission once all are."""
        key = (job.lab, job.student)
        with self.condition:
            self.left[key] -= 1
            if self.left[key] == 0:
                self.queue.append(key)
                self.condition.notify()

    def _loop(self):
        while True:
            with self.condition:
                while not self.queue and not self.closed:
                    self.condition.wait()
                if not self.queue:
                    return
                lab, student = self.queue.pop(0)
            self.results.setdefault(lab, []).append(record(self.course, lab, slot=self.slot, student=student))
            self.recorded.add((lab, student))

    def finish(self) -> dict[str, tuple[int, str]]:
        """Wait for the queue to empty; per lab, nbgrader's exit code (0) and its log. A lab not
        recorded cleanly here, one submission at a time, is left out: the caller records it whole,
        as nbgrader alone would (whatever went wrong is then reported from that run)."""
        with self.condition:
            self.closed = True
            self.condition.notify()
        self.thread.join()
        merged = {}
        for lab, outcomes in self.results.items():
            everyone = all((lab, student) in self.recorded for (other, student) in self.left if other == lab)
            if everyone and all(code == 0 for code, _ in outcomes):
                merged[lab] = (0, "".join(log for _, log in outcomes))
        return merged


def run_parallel(course: Course, jobs: list[Job], workers: int, on_done=None) -> None:
    """Grade the pending jobs, ``workers`` at a time; ``on_done(job)`` is called for every job, at
    once for those not pending (graded before, or unreadable) and for the others as they finish.

    Lab by lab (a judge sets a lab up once), and within a lab the submissions with the most answer
    code first: blank and unfinished ones fail their tests quickly, so they fill the last gaps
    instead of leaving a core idle while a long one runs at the end."""
    order = {lab: index for index, lab in enumerate(dict.fromkeys(job.lab for job in jobs))}
    pending = sorted((job for job in jobs if job.state == "pending"), key=lambda job: (order[job.lab], -job.answer_size))
    if on_done is not None:
        for job in jobs:
            if job.state != "pending":
                on_done(job)
    bar = _progress(len(jobs))
    if bar is not None:
        bar.update(len(jobs) - len(pending))
    free = list(range(workers))
    lock = threading.Lock()

    def work(job: Job):
        with lock:
            slot = free.pop()
        try:
            course.grade(job, slot)
            job.state = "graded"
        except Exception as error:  # one broken submission must not stop the others
            job.state, job.error = "failed", f"{type(error).__name__}: {error}"
        finally:
            with lock:
                free.append(slot)
        return job

    executor = ThreadPoolExecutor(max_workers=workers)
    futures = set()
    queue = list(pending)
    try:
        while queue or futures:
            while queue and len(futures) < workers:
                futures.add(executor.submit(work, queue.pop(0)))
            done, futures = wait(futures, return_when=FIRST_COMPLETED)
            if bar is not None:
                bar.update(len(done))
            for future in done:
                if on_done is not None:
                    on_done(future.result())
    except KeyboardInterrupt:
        runner.cancel_all()  # running submissions stop at once and store nothing
        executor.shutdown(wait=True, cancel_futures=True)
        pp.JUDGES.close()
        print("\nInterrupted: finished submissions are saved; run the same command again to continue.",
              file=sys.stderr)
        raise
    finally:
        if bar is not None:
            bar.close()
    executor.shutdown(wait=True)


_NOISE = ("Removing existing assignment", "SAWarning", "No submitted file")


def record(course: Course, lab: str, slot: int = 0, student: str | None = None) -> tuple[int, str]:
    """Let nbgrader write the gradebook from the stored results (runs nothing again): every
    submission of ``lab``, or only ``student``'s (nbgrader's ``--student``).

    This is nbgrader's own ``autograde --force`` step (its Autograde converter, with the course's
    preprocessors), run in this process rather than as ``nbgrader autograde LAB --force`` in a
    new one: the same gradebook rows, without starting Python and importing nbgrader once per lab.
    Should a submission have no stored result, nbgrader grades it here on judge slot ``slot``
    (one no worker uses, as the recorder runs while workers grade other labs).
    """
    import io
    import logging

    from nbgrader.converters import Autograde

    buffer = io.StringIO()
    log = logging.getLogger(f"creative_ai.record.{lab}")
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[AutogradeApp | %(levelname)s] %(message)s"))
    log.addHandler(handler)
    coursedir = CourseDirectory(config=course.config)
    coursedir.assignment_id = lab
    if student is not None:  # nbgrader's student_id is a file name pattern: match this name only
        coursedir.student_id = glob.escape(student)
    pp.RECORD_SLOT.value = slot
    try:
        converter = Autograde(coursedir=coursedir, config=course.config, log=log)
        converter.force = True
        converter.start()
        code = 0
    except Exception as error:  # nbgrader reports problems per submission and raises at the end
        import traceback

        log.error("%s", "".join(traceback.format_exception(error))[-3000:])
        code = 1
    finally:
        log.removeHandler(handler)
    return code, buffer.getvalue()


def scores(course: Course, lab: str, students: list[str]) -> dict[str, tuple[float, float]]:
    found = {}
    with Gradebook(course.coursedir.db_url, course.coursedir.course_id) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(lab, student)
            except MissingEntry:
                continue
            found[student] = (float(submission.code_score), float(submission.max_code_score))
    return found


def report_row(job: Job, report: dict, got: dict[str, tuple[float, float]]) -> list:
    """One row of reports/<lab>.csv: numbers as numbers (NaN: not in the gradebook), text as text."""
    score, best = got.get(job.student, (float("nan"), float("nan")))
    return [job.student, score, best,
            " ".join(str(k) for k, v in report.get("tests", {}).items() if v != "passed"),
            len(report.get("timed_out", [])), len(report.get("crashed", [])),
            report.get("restarts", 0), round(float(report.get("seconds", 0)), 1), report.get("sandbox", ""),
            " | ".join(map(str, report.get("flags", []))), " | ".join(map(str, report.get("repairs", []))),
            " | ".join(map(str, report.get("notes", []))) or job.error]


def summarise(course: Course, jobs: list[Job], labs: list[str], wall: dict[str, float], failures: list[str]) -> str:
    lines = [f"\nAutograding summary ({sandbox.mode()} sandbox, {course.settings.limits.memory_mb} MB, "
             f"{course.settings.cell_timeout:.0f} s per cell, {course.settings.submission_timeout:.0f} s per "
             "submission)\n",
             "| lab | submissions | graded | failed | timed out | flagged | mean score | time (s) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    reports = Path(course.coursedir.root) / "reports"
    reports.mkdir(exist_ok=True)
    for lab in labs:
        mine = [job for job in jobs if job.lab == lab]
        got = scores(course, lab, [job.student for job in mine])
        stored = {}
        for job in mine:
            payload = pp.load_run(course.run_path(job), job.key) if job.key else None
            stored[job.student] = (payload or {}).get("report", job.report or {})
        timed = [s for s, r in stored.items() if r.get("timed_out") or r.get("crashed") or r.get("submission_time_exceeded")]
        flagged = [s for s, r in stored.items() if r.get("flags")]
        failed = [job for job in mine if job.state == "failed" or job.student not in got]
        mean = (sum(g for g, _ in got.values()) / len(got), next(iter(got.values()))[1]) if got else (0.0, 0.0)
        lines.append(f"| {lab} | {len(mine)} | {len(got)} | {len(failed)} | {len(timed)} | {len(flagged)} | "
                     f"{mean[0]:.2f} / {mean[1]:g} | {wall.get(lab, 0.0):.0f} |")
        # Student ids (folder names), test names, flags, repairs and notes are text a student can
        # shape: csv_line writes them so a spreadsheet shows them and never runs them (csv_cells).
        with open(reports / f"{lab}.csv", "w", newline="", encoding="utf-8") as handle:
            handle.write(csv_line(["student", "autograded_score", "max_autograded", "tests_failed", "timed_out_cells",
                                   "crashed_cells", "restarts", "seconds", "sandbox", "flags", "repairs", "notes"]))
            for job in mine:
                handle.write(csv_line(report_row(job, stored.get(job.student, {}), got)))
        formulas = [job.student for job in mine if formula_like(job.student)]
        if formulas:
            failures.append(f"{lab}: student id(s) starting like a spreadsheet formula, written with a leading ' in "
                            f"reports/{lab}.csv: " + ", ".join(repr(s) for s in formulas[:12]))
        for student, report in stored.items():
            for note in report.get("notes", []):
                if note.startswith("GRADER PROBLEM"):
                    failures.append(f"{lab}/{student}: {note[:600]}")
        for student in flagged:
            failures.append(f"FLAGGED {lab}/{student}: " + "; ".join(stored[student]["flags"][:4]))
    if failures:
        lines.append("\nTo look at:")
        lines += [f"  {line}" for line in failures]
    lines.append(f"\nPer-submission details: {reports}/<lab>.csv")
    return "\n".join(lines)


def autograde(course_dir: Path, labs: list[str], workers: int, shard: tuple[int, int] | None = None) -> int:
    pp.remember_source_cells()  # the released cells, read from the gradebook once per notebook and run
    try:
        return _autograde(course_dir, labs, workers, shard)
    finally:
        pp.remember_source_cells(False)


def _autograde(course_dir: Path, labs: list[str], workers: int, shard: tuple[int, int] | None) -> int:
    course = Course(course_dir)
    pp.warn_if_unsandboxed()
    labs = course.labs_with_submissions(labs)
    if not labs:
        print(f"No submissions found in {course.submitted()} (expected <student>/<lab>/<lab>.ipynb).")
        return 0
    jobs = course.jobs(labs)
    if shard is not None:
        everyone = len(jobs)
        jobs = [job for job in jobs if shard_of(job.lab, job.student, shard[1]) == shard[0]]
        print(f"Shard {shard[0]}/{shard[1]}: {len(jobs)} of {everyone} submissions.", flush=True)
    # Each judge imports, once, every module the labs' set-up and tests import (then forks per submission).
    plans, modules = {}, set()
    for lab in labs:
        for notebook in course.notebooks(lab):
            source = nbformat.read(pp.lab_source(course.coursedir, lab, notebook), as_version=4)
            plans[(lab, notebook)] = pp.lab_plans.lab_plan(lab, source, course.settings.cell_timeout)
            modules |= plans[(lab, notebook)].modules
    course.settings.preload = tuple(dict.fromkeys([*course.settings.preload, *sorted(modules)]))
    # The judges boot (imports, the first lab's set-up cells) while this thread reads and sanitises
    # the submissions; not when every submission has a stored result (a resumed run: likely nothing to do).
    fresh = [job for job in jobs if not course.run_path(job).exists()]
    early = sys.modules.get("early_judges")  # judges `python cli.py autograde` started before its imports
    if early is not None:
        pp.JUDGES.take_over(*early.take())
    for slot in range(workers):
        if slot >= len(fresh):  # a judge started early that no submission needs
            pp.JUDGES.discard(slot)
            continue
        plan = plans[(fresh[slot].lab, fresh[slot].notebook)]
        try:  # the judge started early, or a new one; and the slot's student zygote
            judge = pp.JUDGES.get(course.settings, slot)
            judge.adopt(course.settings, plan)
            if runner.StudentZygote.wanted(course.settings):
                judge.student.start(course.settings, plan)
        except Exception as error:  # grading starts it again, and reports what goes wrong then
            print(f"grader: could not start judge {slot} early: {error}", file=sys.stderr)
    failures: list[str] = []
    for job in jobs:
        try:
            course.sanitise(job)
        except Exception as error:
            job.state, job.error = "failed", f"could not be read or repaired: {type(error).__name__}: {error}"
            failures.append(f"FAILED {job.lab}/{job.student}: {job.error}")
            continue
        if pp.load_run(course.run_path(job), job.key) is not None:
            job.state = "done-before"
    todo = sum(job.state == "pending" for job in jobs)
    print(f"{len(jobs)} submissions in {len(labs)} lab(s); {len(jobs) - todo} already graded; "
          f"grading {todo} on {workers} worker(s).", flush=True)
    start = time.monotonic()
    if shard is not None:
        run_parallel(course, jobs, workers)
        pp.JUDGES.close()
        failed = [job for job in jobs if job.state == "failed"]
        for job in failed:
            print(f"FAILED {job.lab}/{job.student}: {job.error}")
        print(f"Shard {shard[0]}/{shard[1]}: {sum(j.state == 'graded' for j in jobs)} graded now, "
              f"{sum(j.state == 'done-before' for j in jobs)} before, {len(failed)} failed, in "
              f"{time.monotonic() - start:.0f} s. Results are in {course.folder / 'runs'}; when every shard "
              "is done (and their runs/ folders are in this course folder), run `make autograde` without "
              "SHARD to record them all in the gradebook.")
        return 1 if failed else 0
    recorder = Recorder(course, jobs, slot=workers)
    run_parallel(course, jobs, workers, on_done=recorder.done)
    recorded = recorder.finish()
    wall = {}
    for lab in labs:
        wall[lab] = sum(job.seconds for job in jobs if job.lab == lab) / max(1, workers)
    for job in jobs:
        if job.state == "failed" and not job.error.startswith("could not"):
            failures.append(f"FAILED {job.lab}/{job.student}: {job.error}")
    for lab in labs:
        code, log = recorded.get(lab) or record(course, lab, slot=workers)
        if code != 0:
            failures.append(f"FAILED to record {lab} in the gradebook (nbgrader exit {code}):\n{log[-2000:]}")
        for line in log.splitlines():
            if "WARNING" in line and not any(noise in line for noise in _NOISE):
                failures.append(f"nbgrader ({lab}): {line.split('WARNING]', 1)[-1].strip()}")
    pp.JUDGES.close()
    print(summarise(course, jobs, labs, wall, failures))
    print(f"\nGraded in {time.monotonic() - start:.0f} s.")
    return 1 if any(line.startswith("FAILED to record") for line in failures) else 0


def main(argv=None) -> int:
    # Ctrl-C (SIGINT) stops grading, keeping finished submissions for the next run. A process
    # started in the background by a non-interactive shell (`make autograde &` in a script, CI)
    # inherits SIGINT *ignored*, and Python then never raises KeyboardInterrupt: restore it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


def _main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Autograde every lab's submissions, sandboxed and in parallel.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("autograde", help="grade submissions (resumable)")
    grade.add_argument("labs", nargs="*", help="lab ids (default: every lab with submissions)")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel submissions (default: cores)")
    grade.add_argument("--course", type=Path, default=HERE.parent, help="the nbgrader course folder (autograder/)")
    grade.add_argument("--shard", default="",
                       help="K/N: grade only shard K of N, store the results, leave the gradebook alone")
    args = parser.parse_args(argv)
    return autograde(args.course, args.labs, max(1, args.workers), parse_shard(args.shard))


if __name__ == "__main__":
    sys.exit(main())
