"""Grade one submission: the broker between the student's sandbox and the judge.

:func:`execute` walks the (sanitised) notebook. Every code cell that is not a test runs in the
student's sandboxed process (the *harness*); every test cell runs in the *judge*, which calls
the student's code through this broker. The broker owns all the limits:

* wall-clock time per cell (``"creative_ai": {"timeout": N}`` in the lab source, else the
  default) and per submission;
* the size of every message and of every cell's output;
* crashes: when the student's process dies or overruns (an infinite loop that swallows
  interrupts, ``os._exit``, a memory bomb), it is killed with everything it started, the cell
  gets an error, and a fresh process replays the cells that had worked, so one runaway cell
  costs at most that cell's points.

It returns the notebook with outputs — test cells carry the judge's outputs, so nbgrader's
``SaveAutoGrades`` scores exactly what the judge decided — and a report for the instructor.
"""

from __future__ import annotations

import copy
import json
import os
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import codec
import plan as lab_plans
import safe_html
import sandbox

HARNESS_FRAME = 256 << 20   # largest reply accepted from the student's process (arrays a test asked for)
EXEC_FRAME = codec.MAX_HEADER + 8  # a cell's reply: outputs only, no arrays
CONTROL_FRAME = 4096  # a message of the student zygote (student_zygote.py)
# What every student zygote imports, whatever the lab (see StudentZygote.preload_for)
STUDENT_PRELOAD = ("numpy", "pandas", "matplotlib.pyplot", "IPython.core.interactiveshell", "creative_ai")
JUDGE_FRAME = 512 << 20
CELL_OUTPUT_BYTES = 4 << 20
NOTEBOOK_OUTPUT_BYTES = 8 << 20
STDIO_KEEP = 64 << 10
# Rich outputs kept from a student's cell. HTML is cleaned by safe_html before it is stored (so
# the autograded notebook is safe in any viewer); SVG is not kept (it can carry script, and
# figures reach the notebook as PNG).
ALLOWED_MIME = {"text/plain", "text/html", "text/markdown", "image/png", "image/jpeg"}


@dataclass
class Settings:
    cell_timeout: float = 60.0          # seconds per cell unless the lab source says otherwise
    submission_timeout: float = 300.0   # seconds for the whole submission
    startup_timeout: float = 60.0       # starting a sandbox and its Python
    max_restarts: int = 6               # fresh student processes per submission
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    judge_limits: sandbox.Limits = field(default_factory=lambda: sandbox.Limits(memory_mb=6144, processes=256,
                                                                                 tmp_mb=256))
    preload: tuple[str, ...] = ("numpy", "pandas", "matplotlib.pyplot", "IPython", "creative_ai", "creative_ai.checks",
                                "creative_ai.data")
    warm: Path | None = None
    # Fork the student's process from a zygote that has imported the labs' libraries (bubblewrap
    # sandbox only; CREATIVE_AI_STUDENT_ZYGOTE=0 starts a sandbox per process instead).
    student_zygote: bool = True


class Overrun(Exception):
    """The peer did not answer within its time limit."""


class Cancelled(Exception):
    """Grading was interrupted (Ctrl-C): nothing of this submission may be stored."""


CANCEL = threading.Event()
_LIVE: set = set()
_LIVE_LOCK = threading.Lock()


def cancel_all() -> None:
    """Stop every grading in this process now (kills all sandboxes); used on Ctrl-C."""
    CANCEL.set()
    with _LIVE_LOCK:
        processes = list(_LIVE)
    for process in processes:
        process.kill()


class Process:
    """A sandboxed child speaking the framed protocol on two pipes."""

    def __init__(self, spec: sandbox.SandboxSpec, script: str, scratch: Path | None, channel: int | None = None):
        """Start ``script`` in a sandbox for ``spec``, speaking the protocol on two new pipes, or
        (``channel``: the child's end of a socket) on that socket alone (the student zygote)."""
        if channel is not None:
            self.popen = sandbox.launch(spec, script, (channel, channel), scratch)
            self._attach(-1, -1, self.popen.stdout, self.popen.stderr)
            return
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        self.popen = sandbox.launch(spec, script, (child_read, child_write), scratch)
        os.close(child_read)
        os.close(child_write)
        self._attach(parent_write, parent_read, self.popen.stdout, self.popen.stderr)

    def _attach(self, fd_out: int, fd_in: int, stdout, stderr) -> None:
        self.fd_out, self.fd_in = fd_out, fd_in
        with _LIVE_LOCK:
            _LIVE.add(self)
        if self.fd_out >= 0:
            os.set_blocking(self.fd_out, False)
        self.stdio = {"stdout": bytearray(), "stderr": bytearray()}
        self._drainers = [threading.Thread(target=self._drain, args=(name, stream), daemon=True)
                          for name, stream in (("stdout", stdout), ("stderr", stderr))]
        for thread in self._drainers:
            thread.start()

    def _drain(self, name, stream):
        keep = self.stdio[name]
        try:
            while True:
                try:
                    chunk = stream.read1(1 << 16)
                except (OSError, ValueError):
                    return
                if not chunk:
                    return
                if len(keep) < STDIO_KEEP:
                    keep.extend(chunk[: STDIO_KEEP - len(keep)])
        finally:
            try:
                stream.close()
            except OSError:
                pass

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send(self, message: dict, blobs=(), deadline: float | None = None) -> None:
        message = dict(message)
        message["blobs"] = [len(b) for b in blobs]
        for part in codec.frame_parts(message, blobs):  # written piece by piece: no joined copy
            view = memoryview(part).cast("B")
            while view:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise Overrun("timed out sending")
                _, ready, _ = select.select([], [self.fd_out], [], remaining)
                if not ready:
                    raise Overrun("timed out sending")
                try:
                    written = os.write(self.fd_out, view[: 1 << 20])
                except BlockingIOError:
                    continue
                except (BrokenPipeError, OSError) as error:
                    raise EOFError("the process closed its channel") from error
                view = view[written:]

    def receive(self, deadline: float | None, max_bytes: int):
        """One frame from the process (bounded: see codec.read_frame), or Overrun at ``deadline``."""

        def wait(fd):
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise Overrun("timed out")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise Overrun("timed out")

        return codec.read_frame(self.fd_in, max_bytes, wait=wait)

    def kill(self) -> None:
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self.alive():
            try:
                self.popen.kill()
            except OSError:
                pass
        try:
            self.popen.wait(timeout=10)
        except Exception:
            pass
        self._close_channel()

    def _close_channel(self) -> None:
        for fd in (self.fd_in, self.fd_out):
            if fd < 0:
                continue
            try:
                os.close(fd)
            except OSError:
                pass
        self.fd_in = self.fd_out = -1


class ChildProcess(Process):
    """A student process forked by a :class:`StudentZygote`: the same protocol and output
    capture as a :class:`Process`, on pipes of its own; killing it kills everything it started
    and clears the zygote's sandbox for the next child."""

    def __init__(self, zygote: StudentZygote, fd_out: int, fd_in: int, stdout, stderr):
        self.zygote, self.ended = zygote, False
        self._attach(fd_out, fd_in, stdout, stderr)

    def alive(self) -> bool:
        if not self.ended and not self.zygote.child_alive(self):
            self.ended = True
        return not self.ended

    def kill(self) -> None:
        with _LIVE_LOCK:
            _LIVE.discard(self)
        self.ended = True
        if CANCEL.is_set():  # Ctrl-C (maybe from another thread): the whole sandbox goes
            self.zygote.close(hard=True)
        else:
            self.zygote.end_child(self)
        self._close_channel()


class StudentZygote:
    """A worker slot's student zygote (student_zygote.py): one sandbox that imports the labs'
    libraries once and forks the student's process for each submission and restart, clearing the
    sandbox (processes, /tmp, IPC objects, keys) between children. Used only with the bubblewrap
    sandbox; unsandboxed, every student process is started as a :class:`Process` of its own.

    The submission reaches the sandbox through an inbox (a folder bound read-only) that this
    object fills, from outside, while no child runs."""

    def __init__(self, slot: int, workdir: Path):
        self.slot, self.workdir = slot, workdir
        self.process: Process | None = None
        self.sock: socket.socket | None = None
        self.key: tuple | None = None
        self.inbox: Path | None = None
        self.inbox_of: object = None
        self.child: ChildProcess | None = None
        self.booting = False  # started, "ready" not read yet
        self.disabled = False  # it failed: this slot starts a sandbox per student process instead

    @staticmethod
    def wanted(settings: Settings) -> bool:
        return (settings.student_zygote and sandbox.mode() == "bwrap"
                and os.environ.get("CREATIVE_AI_STUDENT_ZYGOTE", "1") != "0")

    # ------------------------------------------------------------------ control channel
    def _receive(self, deadline: float) -> dict:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Overrun("the student zygote did not answer")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            data = self.sock.recv(CONTROL_FRAME)
            if not data:
                raise EOFError("the student zygote ended")
            message = json.loads(data)
            if not isinstance(message, dict):
                raise EOFError("the student zygote is out of step")
            return message

    def _expect(self, op: str, deadline: float) -> dict:
        while True:  # an "exited" about a child already dealt with may come first
            message = self._receive(deadline)
            if message.get("op") == op:
                return message
            if message.get("op") != "exited":
                raise EOFError(f"the student zygote is out of step: {message}")

    # ------------------------------------------------------------------ life
    @staticmethod
    def preload_for(plan: lab_plans.LabPlan) -> tuple[str, ...]:
        """What a zygote for ``plan``'s lab imports: the modules every lab uses and this lab's own
        (its set-up and tests import), not other labs': the child inherits the zygote's memory,
        and its memory limit must leave it what a process of its own would have (torch alone
        takes 690 MB of the 2 GB)."""
        return tuple(dict.fromkeys([*STUDENT_PRELOAD, *sorted(plan.modules)]))

    def start(self, settings: Settings, plan: lab_plans.LabPlan) -> None:
        """Start a zygote for ``plan``'s lab, without waiting for it (`make autograde` starts them
        while it reads the submissions). Call it from a thread that lives as long as the zygote:
        bwrap's --die-with-parent follows the thread that started it."""
        preload = self.preload_for(plan)
        self.close()
        self.inbox = Path(tempfile.mkdtemp(prefix=f"inbox{self.slot}-", dir=self.workdir))
        self.inbox.chmod(0o755)
        self.inbox_of = None
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        spec = sandbox.SandboxSpec("harness", limits=settings.limits, submission=self.inbox, warm=settings.warm,
                                   slot=self.slot, extra_env={"GRADER_ZYGOTE": "1", "GRADER_PRELOAD": ",".join(preload)})
        try:
            self.process = Process(spec, "harness.py", None, channel=child.fileno())
        except Exception:
            parent.close()
            self.close(hard=True)
            raise
        finally:
            child.close()
        self.sock, self.key, self.booting = parent, preload, True

    def _ready(self, deadline: float) -> None:
        if not self.booting:
            return
        try:
            self._expect("ready", deadline)
        except Exception:
            tail = _stderr_tail(self.process)
            self.close(hard=True)
            raise EOFError(f"the student zygote did not start. {tail}") from None
        self.booting = False

    def fork(self, settings: Settings, plan: lab_plans.LabPlan, submission: Path | None, owner: object,
             deadline: float) -> ChildProcess:
        """A fresh student process for ``submission`` (a folder, or None) of ``plan``'s lab,
        forked from a clean zygote for that lab (started, or restarted, if needed). ``owner`` is
        the grading of that submission: the inbox is filled again for every new one (a folder may
        be graded again after it changed), not for its restarts."""
        if self.child is not None:
            self.end_child(self.child)
        if self.process is None or not self.process.alive() or self.key != self.preload_for(plan):
            self.start(settings, plan)
        self._ready(deadline)
        self._fill_inbox(submission, owner)
        ends = [os.pipe() for _ in range(4)]  # requests, replies, stdout, stderr
        theirs = [ends[0][0], ends[1][1], ends[2][1], ends[3][1]]
        try:
            socket.send_fds(self.sock, [b'{"op": "fork"}'], theirs)
            self._expect("forked", deadline)
        except Exception:
            for read, write in ends:
                os.close(read)
                os.close(write)
            self.close(hard=True)
            raise
        for fd in theirs:
            os.close(fd)
        self.child = ChildProcess(self, ends[0][1], ends[1][0], open(ends[2][0], "rb"), open(ends[3][0], "rb"))
        return self.child

    def child_alive(self, child: ChildProcess) -> bool:
        if child is not self.child or self.process is None or not self.process.alive():
            return False
        try:
            while select.select([self.sock], [], [], 0)[0]:
                data = self.sock.recv(CONTROL_FRAME)
                if not data or json.loads(data).get("op") == "exited":
                    self.child = None
                    if not data:
                        self.close(hard=True)
                    return False
        except (OSError, ValueError, AttributeError):
            self.close(hard=True)
            return False
        return True

    def end_child(self, child: ChildProcess) -> None:
        """Kill ``child`` and everything it started; the zygote clears its sandbox. A zygote that
        does not confirm in time is killed with its sandbox (the next fork starts a new one)."""
        if child is not self.child:
            return
        self.child = None
        try:
            self.sock.send(b'{"op": "kill"}')
            self._expect("killed", time.monotonic() + 5)  # milliseconds normally; else restart
        except Exception:
            self.close(hard=True)

    def _fill_inbox(self, submission: Path | None, owner: object) -> None:
        if self.inbox_of is owner:
            return
        for entry in os.scandir(self.inbox):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        if submission is not None:
            _copy_submission(Path(submission), self.inbox)
        self.inbox_of = owner

    def close(self, hard: bool = False) -> None:
        if self.sock is not None and not hard:
            try:
                self.sock.send(b'{"op": "quit"}')
            except OSError:
                pass
        if self.process is not None:
            self.process.kill()
        if self.sock is not None:
            self.sock.close()
        if self.inbox is not None:
            shutil.rmtree(self.inbox, ignore_errors=True)
        self.process = self.sock = self.key = self.inbox = self.child = None
        self.inbox_of, self.booting = None, False


def _copy_submission(source: Path, target: Path) -> None:
    """Copy a submission folder into the inbox as the sandbox would have shown it: folders and
    regular files; a symbolic link stays a link (resolved inside the sandbox, never here, by the
    trusted side); anything else (a FIFO, a device) is left out."""
    for entry in os.scandir(source):
        destination = target / entry.name
        try:
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
            elif entry.is_dir(follow_symlinks=False):
                destination.mkdir(mode=0o755)
                destination.chmod(0o755)
                _copy_submission(Path(entry.path), destination)
            elif entry.is_file(follow_symlinks=False):
                shutil.copyfile(entry.path, destination, follow_symlinks=False)
                destination.chmod(0o644)
        except OSError:  # what cannot be read here could not have been read in the sandbox either
            continue


class JudgeSlot:
    """One judge zygote (imports done once) per worker slot. Per lab it holds a lab zygote (the
    lab's set-up cells run once) that forks a fresh judge per submission."""

    def __init__(self, settings: Settings, slot: int, workdir: Path):
        self.settings, self.slot, self.workdir = settings, slot, workdir
        self.process: Process | None = None
        self.lab: tuple | None = None       # (set-up cells, student names) the lab zygote ran
        self.problems: list = []            # what the lab's set-up cells reported
        self._booting = False               # started, "zygote-ready" not read yet
        self._entering: tuple | None = None  # lab asked for early, "lab-ready" not read yet
        self._preloaded: tuple[str, ...] = ()  # the modules the zygote imports (GRADER_PRELOAD, "preload")
        self.student = StudentZygote(slot, workdir)  # the slot's student zygote (started on first use)

    @staticmethod
    def _lab_key(plan: lab_plans.LabPlan) -> tuple:
        return (tuple(plan.context), tuple(sorted(plan.student_names)))

    def start(self, plan: lab_plans.LabPlan | None = None) -> None:
        """Start the zygote without waiting for it, and ask it to run ``plan``'s set-up cells once
        it has its imports: `make autograde` starts its judges this way before it reads and
        sanitises the submissions, so they boot on the cores that work leaves idle. Call it from a
        thread that lives as long as the judge: bwrap's --die-with-parent follows the thread that
        started it."""
        spec = sandbox.SandboxSpec("judge", limits=self.settings.judge_limits, slot=self.slot,
                                   warm=self.settings.warm,
                                   extra_env={"GRADER_PRELOAD": ",".join(self.settings.preload)})
        scratch = Path(tempfile.mkdtemp(prefix=f"judge{self.slot}-", dir=self.workdir))
        self.process = Process(spec, "judge.py", scratch)
        self.lab, self._booting, self._entering = None, True, None
        self._preloaded = tuple(self.settings.preload)
        if plan is not None:  # read by the zygote after its imports; the pipe holds it until then
            self._request_lab(self._lab_key(plan))

    def adopt(self, settings: Settings, plan: lab_plans.LabPlan | None = None) -> None:
        """Take over a zygote started (by early_judges) before the course was read: from now on
        ``settings``; the zygote also imports the modules of ``settings.preload`` it was not
        started with (the labs' own), then runs ``plan``'s set-up cells. A slot without a freshly
        started zygote starts one with ``settings`` (:meth:`start`). Without waiting."""
        self.settings = settings
        if self.process is None or not self.process.alive() or self._entering is not None or self.lab is not None:
            self.reset()  # no zygote, or not a fresh one: start one the usual way
            self.start(plan)
            return
        extra = [name for name in settings.preload if name not in self._preloaded]
        if extra:
            self.process.send({"op": "preload", "modules": extra}, deadline=time.monotonic() + 30)
            self._preloaded += tuple(extra)
        if plan is not None:
            self._request_lab(self._lab_key(plan))

    def _request_lab(self, lab: tuple) -> None:
        self.process.send({"op": "lab", "context": list(lab[0]), "student_names": list(lab[1])},
                          deadline=time.monotonic() + 30)
        self._entering = lab

    def _await_lab(self) -> None:
        message, _ = self.process.receive(time.monotonic() + 300, JUDGE_FRAME)
        if message.get("op") != "lab-ready":
            raise RuntimeError(f"the judge could not run the lab's set-up cells: {message}")
        self.lab, self.problems, self._entering = self._entering, list(message.get("problems") or []), None

    def _start(self):
        self.start()
        self._ready()

    def _ready(self) -> None:
        if not self._booting:
            return
        message, _ = self.process.receive(time.monotonic() + 180, JUDGE_FRAME)
        if message.get("op") != "zygote-ready":
            raise RuntimeError(f"the judge did not start: {message}")
        self._booting = False

    def _enter_lab(self, plan: lab_plans.LabPlan) -> None:
        lab = self._lab_key(plan)
        self._ready()
        if self._entering is not None:  # asked for at start: take its answer first
            self._await_lab()
        if self.lab == lab:
            return
        if self.lab is not None:  # another lab's zygote: end it
            self.process.send({"op": "end-lab"}, deadline=time.monotonic() + 30)
            message, _ = self.process.receive(time.monotonic() + 60, JUDGE_FRAME)
            if message.get("op") != "lab-exited":
                raise RuntimeError(f"judge protocol out of step: {message}")
            self.lab = None
        self._request_lab(lab)
        self._await_lab()

    def prepare(self, plan: lab_plans.LabPlan) -> None:
        """Start the zygote (imports) and run the lab's set-up cells, unless done already."""
        if self.process is None or not self.process.alive():
            self._start()
        self._enter_lab(plan)

    def fork(self, plan: lab_plans.LabPlan) -> Process:
        self.prepare(plan)
        self.process.send({"op": "fork"}, deadline=time.monotonic() + 30)
        message, _ = self.process.receive(time.monotonic() + 30, JUDGE_FRAME)
        if message.get("op") != "forked":
            raise RuntimeError(f"the judge could not fork: {message}")
        return self.process

    def finish(self) -> None:
        """End the current child; the zygote stays for the next submission."""
        process = self.process
        if process is None or not process.alive():
            return
        try:
            process.send({"op": "bye"}, deadline=time.monotonic() + 10)
            message, _ = process.receive(time.monotonic() + 30, JUDGE_FRAME)
            if message.get("op") != "child-exited":
                raise RuntimeError("judge protocol out of step")
        except Exception:
            self.reset()

    def reset(self) -> None:
        if self.process is not None:
            self.process.kill()
        self.process = None
        self.lab, self._booting, self._entering = None, False, None

    def close(self) -> None:
        if self.process is not None and self.process.alive():
            try:
                self.process.send({"op": "quit"}, deadline=time.monotonic() + 5)
            except Exception:
                pass
        self.reset()
        self.student.close()


@dataclass
class Report:
    seconds: float = 0.0
    cells_run: int = 0
    tests: dict = field(default_factory=dict)          # grade_id -> "passed"/"failed"/"timed out"
    timed_out: list = field(default_factory=list)      # cells stopped by a time limit
    crashed: list = field(default_factory=list)        # cells whose process died
    restarts: int = 0
    notes: list = field(default_factory=list)
    sandbox: str = ""
    submission_time_exceeded: bool = False
    slowest: list = field(default_factory=list)        # [seconds, cell index, grade id] of the slowest cells
    # Code cells whose outputs feedback must not return: everything the student's process produced
    # once a test with hidden parts had passed data into it (see Submission.tainted).
    withheld: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class Submission:
    """Runs one notebook: student cells in a sandbox, test cells in the judge."""

    def __init__(self, nb, plan: lab_plans.LabPlan, submission_dir: Path | None, settings: Settings,
                 judge: JudgeSlot, slot: int, workdir: Path):
        self.nb = nb
        self.plan = plan
        self.submission_dir = submission_dir
        self.settings = settings
        self.judge_slot = judge
        self.slot = slot
        self.workdir = workdir
        self.harness: Process | None = None
        self.judge: Process | None = None
        self.last_stderr = ""
        self.cannot_start = False
        self.replay: list[tuple[str, float]] = []   # cells that ran cleanly, for a restart
        self.report = Report(sandbox=sandbox.mode())
        self.deadline = 0.0
        self.scratch = Path(tempfile.mkdtemp(prefix=f"sub{slot}-", dir=workdir))
        # True once a test cell with hidden tests has sent data (arguments, keys, values) into the
        # student's process. From then on the process may hold the hidden tests' inputs — no
        # in-process isolation can stop student code from keeping them (a fork or snapshot runs
        # the student's own code, which can undo it or pass data on through /tmp) — so nothing it
        # produces afterwards is returned to the student (Report.withheld; feedback drops it).
        self.tainted = False
        self._data_sent = False

    # ------------------------------------------------------------------ student process
    def _start_harness(self) -> bool:
        """Start a fresh student process and replay the cells that had run; False if impossible."""
        while True:
            if self.harness is not None:
                self.harness.kill()
                self.harness = None
                self.report.restarts += 1
            if self.report.restarts > self.settings.max_restarts:
                self.report.notes.append("the student's process was restarted too often; later cells were not run")
                return False
            deadline = min(time.monotonic() + self.settings.startup_timeout, self.deadline)
            student = self.judge_slot.student
            if StudentZygote.wanted(self.settings) and not student.disabled:
                try:
                    self.harness = student.fork(self.settings, self.plan, self.submission_dir, self, deadline)
                except (Overrun, EOFError, OSError, ValueError) as error:
                    # the grader's fault, not the student's: this slot starts a sandbox per process from now on
                    student.disabled = True
                    print(f"grader: the student zygote of slot {self.slot} failed ({error}); starting a "
                          "sandbox per student process instead", file=sys.stderr)
            if self.harness is None:
                spec = sandbox.SandboxSpec("harness", limits=self.settings.limits, submission=self.submission_dir,
                                           warm=self.settings.warm, slot=self.slot)
                self.harness = Process(spec, "harness.py", self.scratch / f"run{self.report.restarts}")
            try:
                self.harness.send({"op": "ping"}, deadline=deadline)
                reply, _ = self.harness.receive(deadline, HARNESS_FRAME)
                if not reply.get("ok"):
                    raise EOFError("no answer")
            except (Overrun, EOFError, codec.CodecError) as error:
                self.report.notes.append(f"the student's process did not start: {error}. {_stderr_tail(self.harness)}")
                self.harness.kill()
                self.harness = None
                return False
            # Replaying counts against the submission's time like everything else: a cell that was
            # quick the first time and is slow now (or a pile of replays) cannot outlast the limit.
            for source, limit in list(self.replay):
                outcome = self._exec(source, limit)
                if time.monotonic() >= self.deadline:
                    self.report.submission_time_exceeded = True
                    self.report.notes.append("the submission's time ran out while its cells were replayed "
                                             "in a fresh process")
                    if self.harness is not None:
                        self.harness.kill()
                        self.harness = None
                    return False
                if "killed" in outcome:  # it worked the first time, not now: leave it out and restart
                    self.replay.remove((source, limit))
                    break
            else:
                return True

    def _ensure_harness(self) -> bool:
        if self.harness is not None and self.harness.alive():
            return True
        if self.cannot_start:
            return False
        started = self._start_harness()
        self.cannot_start = not started
        return started

    def _kill_harness(self) -> None:
        if self.harness is not None:
            self.last_stderr = _stderr_tail(self.harness)
            self.harness.kill()
            self.report.restarts += 1
        self.harness = None

    def _exec(self, source: str, limit: float):
        """Run one student cell; return its reply, or {"killed": why} when the process had to be killed."""
        deadline = min(time.monotonic() + limit, self.deadline)
        try:
            self.harness.send({"op": "exec", "source": source}, deadline=deadline)
            reply, _ = self.harness.receive(deadline, EXEC_FRAME)
        except Overrun:
            self._kill_harness()
            return {"killed": "timeout"}
        except codec.CodecError as error:  # a forged or oversized reply: the protocol is out of step
            self._kill_harness()
            return {"killed": "protocol", "why": str(error)}
        except EOFError as error:
            self._kill_harness()
            return {"killed": "crash", "why": str(error)}
        if not isinstance(reply, dict):
            self._kill_harness()
            return {"killed": "crash", "why": "malformed reply"}
        return reply

    def run_student_cell(self, cell, index: int) -> None:
        meta = lab_plans.nbgrader_meta(cell)
        limit = self.plan.timeout_for(meta.get("grade_id"), self.settings.cell_timeout, cell["source"])
        if time.monotonic() >= self.deadline:
            cell["outputs"] = [_grader_error("SubmissionTimeLimit", "not run: the submission used up its time "
                                             f"limit of {self.settings.submission_timeout:.0f} s")]
            self.report.submission_time_exceeded = True
            return
        if not self._ensure_harness():
            if time.monotonic() >= self.deadline:
                cell["outputs"] = [_grader_error("SubmissionTimeLimit", "not run: the submission used up its time "
                                                 f"limit of {self.settings.submission_timeout:.0f} s")]
                self.report.submission_time_exceeded = True
                return
            cell["outputs"] = [_grader_error("GraderError", "not run: the student's process could not be "
                                             "(re)started")]
            return
        reply = self._exec(cell["source"], limit)
        self.report.cells_run += 1
        if "killed" in reply:
            if reply["killed"] == "timeout" and time.monotonic() >= self.deadline:
                self.report.timed_out.append(index)
                self.report.submission_time_exceeded = True
                cell["outputs"] = [_grader_error(
                    "SubmissionTimeLimit", f"this cell was stopped: the submission used up its time limit of "
                    f"{self.settings.submission_timeout:.0f} s")]
            elif reply["killed"] == "timeout":
                self.report.timed_out.append(index)
                cell["outputs"] = [_grader_error(
                    "CellTimeoutError",
                    f"this cell did not finish within its time limit ({limit:.0f} s) and was stopped. "
                    "Later cells run without its effects.")]
            elif reply["killed"] == "protocol":
                self.report.crashed.append(index)
                cell["outputs"] = [_grader_error(
                    "ProtocolError", "the process running this notebook sent the grader a malformed or "
                    f"oversized message ({reply.get('why', '')[:200]}) and was stopped. Later cells run "
                    "without this cell's effects.")]
            else:
                self.report.crashed.append(index)
                cell["outputs"] = [_grader_error(
                    "StudentProcessDied",
                    "the Python process running this notebook died in this cell (it may have exited, "
                    "run out of memory, or broken a process or file limit). Later cells run without its "
                    f"effects. {self.last_stderr}")]
            return
        cell["outputs"] = clean_outputs(reply.get("outputs"))
        if reply.get("status") in ("ok", "error"):
            self.replay.append((cell["source"], limit))

    # ------------------------------------------------------------------ judge
    def _start_judge(self) -> None:
        self.judge = self.judge_slot.fork(self.plan)
        self.judge.send({"op": "begin"}, deadline=time.monotonic() + 30)
        message, _ = self.judge.receive(time.monotonic() + 30, JUDGE_FRAME)
        if message.get("op") != "ready":
            raise RuntimeError(f"judge did not get ready: {message}")
        if message.get("problems"):
            self.report.notes.append(f"GRADER PROBLEM: the lab's set-up cells failed in the judge: {message['problems']}")

    def run_test_cell(self, cell, index: int) -> None:
        try:
            self._run_test_cell(cell, index)
        finally:
            source = self.plan.tests.get(lab_plans.nbgrader_meta(cell).get("grade_id"), cell["source"])
            if self._data_sent and HIDDEN_MARK in source:
                self.tainted = True
            self._data_sent = False

    def _run_test_cell(self, cell, index: int) -> None:
        grade_id = lab_plans.nbgrader_meta(cell).get("grade_id")
        limit = self.plan.timeout_for(grade_id, self.settings.cell_timeout)
        source = self.plan.tests.get(grade_id, cell["source"])
        if source != cell["source"]:
            self.report.notes.append(f"GRADER PROBLEM: test cell {grade_id} of labs/ differs from the released one "
                                     "(graded with the labs/ version): run `make release` after editing a lab")
        if time.monotonic() >= self.deadline:
            cell["outputs"] = [_grader_error("SubmissionTimeLimit", "not run: the submission used up its time "
                                             f"limit of {self.settings.submission_timeout:.0f} s")]
            self.report.tests[grade_id] = "not run"
            self.report.submission_time_exceeded = True
            return
        harness_ok = self._ensure_harness()
        if self.judge is None:
            try:
                self._start_judge()
            except Exception as error:
                self.judge_slot.reset()
                self.judge = None
                self.report.tests[grade_id] = "not run"
                self.report.notes.append(f"GRADER PROBLEM: the judge failed to start: {error}")
                cell["outputs"] = [_grader_error("GraderError", f"the test could not run: {error}")]
                return
        cell_deadline = min(time.monotonic() + limit, self.deadline)
        judge_deadline = cell_deadline + 30
        self._data_sent = False
        try:
            self.judge.send({"op": "test", "source": source}, deadline=judge_deadline)
            while True:
                message, blobs = self.judge.receive(judge_deadline, JUDGE_FRAME)
                op = message.get("op")
                if op == "done":
                    break
                reply, reply_blobs = self._forward(message, blobs, cell_deadline, harness_ok)
                self.judge.send(reply, reply_blobs, deadline=judge_deadline)
        except (Overrun, EOFError, codec.CodecError, RuntimeError) as error:
            self.judge_slot.reset()
            self.judge = None
            self.report.tests[grade_id] = "timed out"
            self.report.timed_out.append(index)
            cell["outputs"] = [_grader_error("TestTimeoutError", f"the test did not finish within {limit:.0f} s "
                                             f"({type(error).__name__})")]
            return
        outputs = clean_outputs(message.get("outputs"))
        cell["outputs"] = outputs
        failed = message.get("status") != "ok"
        self.report.tests[grade_id] = "failed" if failed else "passed"

    def _forward(self, message, blobs, deadline, harness_ok):
        """Pass one request from the judge to the student's process; return the reply."""
        if message.get("op") not in _STUDENT_OPS:
            return {"ok": False, "error": {"grader": True, "evalue": "unknown request"}}, []
        if not harness_ok or not self._ensure_harness():
            return {"ok": False, "error": {"grader": True,
                                           "evalue": "the student's process is not running"}}, []
        if message.get("op") != "lookup":  # every other request may carry the test's data
            self._data_sent = True
        try:
            self.harness.send(message, blobs, deadline=deadline)
            reply, reply_blobs = self.harness.receive(deadline, HARNESS_FRAME)
        except Overrun:
            self._kill_harness()
            return {"ok": False, "error": {"grader": True, "evalue": (
                "the student's code did not return within this test's time limit and was stopped")}}, []
        except codec.FrameTooLarge as error:
            self._kill_harness()
            return {"ok": False, "error": {"grader": True, "evalue": f"the student's code returned too much data: {error}"}}, []
        except codec.CodecError as error:
            self._kill_harness()
            return {"ok": False, "error": {"grader": True, "evalue": (
                f"the student's process sent a malformed reply ({error}) and was stopped")}}, []
        except EOFError as error:
            self._kill_harness()
            return {"ok": False, "error": {"grader": True, "evalue": (
                f"the student's process died during this test ({error}). {self.last_stderr}")}}, []
        if not isinstance(reply, dict):
            return {"ok": False, "error": {"grader": True, "evalue": "malformed reply"}}, []
        reply["ok"] = bool(reply.get("ok"))
        return reply, reply_blobs

    # ------------------------------------------------------------------ the notebook
    def run(self):
        # The judge's own start-up (its imports, and the lab's set-up cells once per lab and slot)
        # is the grader's work, not the student's: it happens before the submission's clock
        # starts, so the first submission of a lab on a slot gets the same time as the others.
        # If it fails, the first test cell tries again and reports the problem.
        if not CANCEL.is_set() and any(lab_plans.is_test_cell(cell) for cell in self.nb["cells"]):
            try:
                self.judge_slot.prepare(self.plan)
            except Exception:
                self.judge_slot.reset()
        start = time.monotonic()
        self.deadline = start + self.settings.submission_timeout
        nb = self.nb
        timings: list = []
        try:
            for index, cell in enumerate(nb["cells"]):
                if CANCEL.is_set():
                    raise Cancelled()
                if cell.get("cell_type") != "code":
                    continue
                cell["execution_count"] = None
                started = time.monotonic()
                if lab_plans.is_test_cell(cell):
                    self.run_test_cell(cell, index)
                    if self.tainted:
                        self.report.withheld.append(index)
                else:
                    if self.tainted:
                        self.report.withheld.append(index)
                    self.run_student_cell(cell, index)
                timings.append([round(time.monotonic() - started, 2), index,
                                lab_plans.nbgrader_meta(cell).get("grade_id", "")])
            _cap_notebook(nb)
            if CANCEL.is_set():
                raise Cancelled()
        finally:
            if self.harness is not None:
                self.harness.kill()
                self.harness = None
            if self.judge is not None:
                self.judge_slot.finish()
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.report.seconds = time.monotonic() - start
            self.report.slowest = sorted(timings, reverse=True)[:5]
        return nb, self.report


HIDDEN_MARK = "BEGIN HIDDEN TESTS"
_STUDENT_OPS = {"lookup", "call", "getattr", "setattr", "getitem", "len", "items", "contains", "bool",
                "repr", "str", "array", "number", "grad", "isinstance"}


def _stderr_tail(process) -> str:
    if process is None:
        return ""
    tail = bytes(process.stdio["stderr"][-600:]).decode(errors="replace").strip()
    return f"Last lines it printed: {tail}" if tail else ""


def _grader_error(name: str, message: str) -> dict:
    return {"output_type": "error", "ename": name, "evalue": message, "traceback": [f"{name}: {message}"]}


def clean_outputs(outputs) -> list[dict]:
    """Keep only well-formed outputs of allowed kinds, within the per-cell size limit."""
    if not isinstance(outputs, list):
        return []
    cleaned, used = [], 0
    for output in outputs[:64]:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") in ("stdout", "stderr") and isinstance(output.get("text"), str):
            item = {"output_type": "stream", "name": output["name"], "text": output["text"][:200_000]}
        elif kind in ("display_data", "execute_result") and isinstance(output.get("data"), dict):
            data = {k: v for k, v in output["data"].items() if k in ALLOWED_MIME and isinstance(v, str)}
            if "text/html" in data:
                data["text/html"] = safe_html.clean_html(data["text/html"])
            if not data:
                continue
            item = {"output_type": kind, "data": data, "metadata": {}}
            if kind == "execute_result":
                count = output.get("execution_count")
                item["execution_count"] = count if isinstance(count, int) else None
        elif kind == "error":
            traceback = output.get("traceback")
            item = {"output_type": "error", "ename": str(output.get("ename", "Error"))[:200],
                    "evalue": str(output.get("evalue", ""))[:4000],
                    "traceback": [str(line)[:2000] for line in traceback[:80]] if isinstance(traceback, list) else []}
        else:
            continue
        size = len(repr(item))
        if used + size > CELL_OUTPUT_BYTES:
            cleaned.append({"output_type": "stream", "name": "stdout",
                            "text": "[further output of this cell was dropped by the grader: too large]\n"})
            break
        used += size
        cleaned.append(item)
    return cleaned


def _cap_notebook(nb) -> None:
    total = 0
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        size = len(repr(cell.get("outputs", [])))
        if total + size > NOTEBOOK_OUTPUT_BYTES and not lab_plans.is_test_cell(cell):
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": "[output dropped by the grader: the notebook's outputs are too large]\n"}]
            size = len(repr(cell["outputs"]))
        total += size


def execute(nb, plan: lab_plans.LabPlan, submission_dir: Path | None, settings: Settings, judge: JudgeSlot,
            slot: int = 0, workdir: Path | None = None):
    """Run a sanitised notebook; return (notebook with outputs, Report)."""
    nb = copy.deepcopy(nb)
    workdir = Path(workdir or tempfile.gettempdir())
    return Submission(nb, plan, submission_dir, settings, judge, slot, workdir).run()
