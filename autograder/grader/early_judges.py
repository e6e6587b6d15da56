"""Judges that boot while `cli.py autograde` is still starting.

The command's own start (importing nbgrader, its gradebook and converters) takes about a second
of one core, and until now the judges (about a core-second of imports each) were started only
after it, so one core idled while the other imported. ``cli.py`` calls :func:`start` first, before
those imports, when it runs as ``python cli.py autograde ...``: one judge zygote per worker, with
the default settings (judge limits are not configurable) and the default modules. Once the command
has read the course, it takes them over with :func:`take` and :meth:`runner.JudgeSlot.adopt`,
which adds the modules the labs import and asks for the first lab's set-up cells. Judges it does
not need are closed. Nothing here reads a submission: the judges are started exactly as the
command would start them a second later.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import runner
import warm

_started: dict[int, runner.JudgeSlot] = {}
_workdir: Path | None = None


def start(argv: list[str]) -> None:
    """Start one judge per worker for ``cli.py`` arguments ``argv``, if they ask for grading."""
    global _workdir
    if not argv or argv[0] != "autograde" or {"-h", "--help"} & set(argv):
        return
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    try:
        workers = max(1, parser.parse_known_args(argv[1:])[0].workers)
    except SystemExit:  # a malformed value: the command's own parser says what is wrong
        return
    try:
        settings = runner.Settings(warm=warm.ensure_warm())
        _workdir = Path(tempfile.mkdtemp(prefix="creative-ai-grader-early-"))
        for slot in range(workers):
            judge = runner.JudgeSlot(settings, slot, _workdir)
            judge.start()
            _started[slot] = judge
    except Exception as error:  # the command starts its judges itself, as before
        print(f"grader: could not start the judges early: {error}", file=sys.stderr)
        close()


def take() -> tuple[dict[int, runner.JudgeSlot], Path | None]:
    """The judges started early, by slot, and their scratch folder; the caller owns them now."""
    global _workdir
    judges, workdir = dict(_started), _workdir
    _started.clear()
    _workdir = None
    return judges, workdir


def close() -> None:
    """Close judges nobody took (the command failed before grading)."""
    global _workdir
    for judge in _started.values():
        judge.close()
    _started.clear()
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)
        _workdir = None


atexit.register(close)
