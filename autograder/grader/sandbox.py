"""Start the student's process and the judge in isolated, limited sandboxes.

Isolation uses bubblewrap (``bwrap``, Debian/Ubuntu package ``bubblewrap``), the sandbox
Flatpak uses. Each process gets:

* a new mount namespace that shows only what it needs, **read-only**: the system's
  libraries, the Python installation and virtual environment, the ``creative_ai`` package,
  ``datasets/`` and this grader's own code. Not ``labs/`` (solutions, hidden tests), not
  ``autograder/`` (gradebook, other submissions), not ``tests/``;
* one writable place, a size-limited in-memory ``/tmp`` holding the student's own copy of
  the submission folder (``HOME``): nothing the student's code writes outlives the process
  (with the student zygote, the sandbox outlives it, and the zygote empties ``/tmp`` and kills
  what the process left before it forks the next: see student_zygote.py);
* no network (new network namespace with loopback only), new PID/IPC/UTS namespaces, a new
  session; when the process is killed, every process it started dies with it;
* a non-root user id (when the grader runs as root) and resource limits set before any
  student code runs: memory (address space for data), processes, open files, file size,
  CPU seconds; the broker adds wall-clock limits per cell and per submission and caps output.

Whether the sandbox works is found by trying it: one trial ``bwrap ... /bin/true`` with the
same namespaces and user switch as a real sandbox, once per process (cached), not by looking for
the program — bwrap may be installed where namespaces are forbidden (some containers, kernels
that restrict unprivileged user namespaces).

Where bwrap is missing or its trial fails (macOS, some containers), processes run unsandboxed
with the resource limits the OS supports, and the grader says so loudly in its output and
report. That fallback still cuts the network where Linux lets an ordinary process do it cheaply:
each process starts through ``unshare`` in a new, empty network namespace (tried the same way,
once). It protects nothing else: the student's code can read and change the grading user's
files and leave processes behind. Set ``CREATIVE_AI_SANDBOX=none`` to force that mode (tests).
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

GRADER_DIR = Path(__file__).resolve().parent
REPO = GRADER_DIR.parents[1]
INSIDE_GRADER = "/opt/grader"
INSIDE_SUBMISSION = "/opt/submission"
INSIDE_WARM = "/opt/warm"
INSIDE_HOME = "/tmp/home"


# Student code runs single-threaded: one submission per core is how grading uses the machine, and
# threads would only oversubscribe it (tools/benchmark.py measures its limit the same way).
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "NUMBA_NUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}


@dataclass
class Limits:
    """Per-process resource limits (see autograder/nbgrader_config.py for the course's values)."""

    memory_mb: int = 2048          # RLIMIT_DATA: heap and anonymous mappings
    processes: int = 64            # RLIMIT_NPROC: processes and threads of the sandbox's user
    open_files: int = 256          # RLIMIT_NOFILE
    file_mb: int = 256             # RLIMIT_FSIZE: largest file the process may write
    cpu_seconds: int = 900         # RLIMIT_CPU: a backstop behind the wall-clock limits
    tmp_mb: int = 512              # size of the writable in-memory /tmp

    def rlimits(self, sandboxed: bool = True) -> str:
        limits = [f"data={self.memory_mb << 20}", f"nofile={self.open_files}", f"fsize={self.file_mb << 20}",
                  f"cpu={self.cpu_seconds}", "core=0"]
        if sandboxed:  # outside a sandbox the count would include every process of the user
            limits.append(f"nproc={self.processes}")
            # no POSIX message queues: they outlive their process and cannot be listed without
            # privileges, so the student zygote could not clear them between children
            limits.append("msgqueue=0")
        return ",".join(limits)


@dataclass
class SandboxSpec:
    role: str                                  # "harness" or "judge"
    limits: Limits = field(default_factory=Limits)
    submission: Path | None = None             # read-only copy source for the student's HOME
    warm: Path | None = None                   # read-only warm caches (matplotlib, numba)
    slot: int = 0                              # worker slot: picks a distinct user id
    extra_env: dict[str, str] = field(default_factory=dict)


@functools.cache
def course_paths() -> tuple[Path, ...]:
    """The folders of the ``creative_ai`` package and of ``datasets/`` this Python uses.

    Found without importing the package: ``creative_ai.data`` imports pandas and every loader
    (0.4 s), which the grader's own process never needs, and this is on the path of every
    `make autograde` before its judges can start. The datasets folder comes from the package's
    own ``registry.datasets_root`` (one rule, ``CREATIVE_AI_DATA`` included), loaded on its own."""
    import importlib.util

    spec = importlib.util.find_spec("creative_ai")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the creative_ai package is not installed in this Python: run `make setup`")
    package = Path(next(iter(spec.submodule_search_locations))).resolve()
    loaded = sys.modules.get("creative_ai.data.registry")
    if loaded is None:
        registry_spec = importlib.util.spec_from_file_location("_grader_creative_ai_registry",
                                                               package / "data" / "registry.py")
        loaded = importlib.util.module_from_spec(registry_spec)
        registry_spec.loader.exec_module(loaded)
    return (package, loaded.datasets_root().resolve())


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


_FORCED_OFF = ("none", "off", "0")
_reason = ""


def _first_line(data: bytes) -> str:
    text = data.decode(errors="replace").strip()
    return text.splitlines()[0][:200].rstrip(".") if text else "no message"


@functools.cache
def mode() -> str:
    """"bwrap" when a trial bubblewrap sandbox starts here, else "none" (why: ``why_unsandboxed``)."""
    global _reason
    _reason = ""
    if os.environ.get("CREATIVE_AI_SANDBOX", "").strip().lower() in _FORCED_OFF:
        _reason = "CREATIVE_AI_SANDBOX=none is set"
    elif sys.platform != "linux":
        _reason = f"bubblewrap needs Linux (this is {sys.platform})"
    elif bwrap_path() is None:
        _reason = ("bubblewrap (bwrap) is not installed: on Debian/Ubuntu run `sudo apt-get install bubblewrap`, "
                   "on Fedora `sudo dnf install bubblewrap`")
    else:
        try:
            probe = subprocess.run([*_bwrap_prefix(SandboxSpec("probe"), probe=True), "/bin/true"],
                                   capture_output=True, timeout=20)
            failure = "" if probe.returncode == 0 else _first_line(probe.stderr)
        except (OSError, subprocess.SubprocessError) as error:
            failure = str(error)
        if failure:
            _reason = (f"bubblewrap ({bwrap_path()}) cannot create a sandbox here (container or kernel "
                       f"settings): {failure}")
    return "none" if _reason else "bwrap"


def why_unsandboxed() -> str:
    """One line: why grading here is not sandboxed ("" when it is)."""
    mode()
    return _reason


# Ways to start a process in a new, empty network namespace without bubblewrap, best first:
# an unprivileged user namespace keeping the user's own id, or mapping it to root inside
# (older util-linux), or, for root where user namespaces are forbidden, a plain one.
_UNSHARE_FLAGS = (("--user", "--map-current-user", "--net"), ("--user", "--map-root-user", "--net"), ("--net",))


_no_network_cut = ""


@functools.cache
def fallback_prefix() -> tuple[str, ...]:
    """Command prefix that cuts an unsandboxed process off the network, or () where Linux won't.

    Tried, not assumed: the first ``unshare`` variant whose trial run of ``/bin/true`` works.
    """
    global _no_network_cut
    unshare = shutil.which("unshare") if sys.platform == "linux" else None
    if sys.platform != "linux":
        _no_network_cut = f"cutting it needs Linux network namespaces (this is {sys.platform})"
    elif unshare is None:
        _no_network_cut = "cutting it needs util-linux's `unshare`, which is not installed"
    else:
        failure = "no variant tried"
        for flags in _UNSHARE_FLAGS:
            try:
                trial = subprocess.run([unshare, *flags, "--", "/bin/true"], capture_output=True, timeout=20)
            except (OSError, subprocess.SubprocessError) as error:
                failure = str(error)
                break
            if trial.returncode == 0:
                _no_network_cut = ""
                return (unshare, *flags, "--")
            failure = _first_line(trial.stderr)
        _no_network_cut = f"this system does not let `unshare --user --net` create a network namespace: {failure}"
    return ()


def fallback_network() -> str:
    """What the unsandboxed fallback does about the network here (one sentence, no full stop)."""
    prefix = fallback_prefix()
    if prefix:
        how = " ".join([Path(prefix[0]).name, *prefix[1:-1]])
        return f"student code has no network (each process starts in its own empty network namespace: {how})"
    return f"student code CAN reach the network ({_no_network_cut})"


def fallback_warning() -> str:
    """The warning an unsandboxed grading run prints once, for the instructor."""
    bar = "!" * 78
    return "\n".join([
        "", bar,
        "!! GRADING IS NOT SANDBOXED: " + why_unsandboxed(),
        "!! Student code runs with your user's rights (root's, if you grade as root): it can read",
        "!! and change your files and leave processes running.",
        "!! Network: " + fallback_network() + ".",
        "!! Tests still run in a separate process, so scores cannot be faked by patching,",
        "!! but only grade submissions you trust, or grade on Linux with bubblewrap.",
        bar, ""])


UID_BLOCK = 32  # user ids per grading process: 16 worker slots x (student, judge)


@functools.cache
def _uid_block() -> int:
    """A block of user ids no other grading process on this machine is using.

    Each sandboxed process runs as its own unprivileged user, so the process limit counts only
    its processes; concurrent graders (several courses, or the test suite) claim distinct
    blocks with a lock file held for the life of the process.
    """
    import fcntl
    import tempfile

    folder = Path(tempfile.gettempdir()) / "creative-ai-grader-uids"
    folder.mkdir(mode=0o700, exist_ok=True)
    for block in range(64):
        handle = open(folder / f"{block}.lock", "w")  # noqa: SIM115 (held open: it is the claim)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _held.append(handle)
        return block
    raise RuntimeError("no free block of sandbox user ids (64 grading processes at once?)")


_held: list = []


def uid_range() -> tuple[int, int]:
    """The user ids this process's sandboxes use: [first, last)."""
    base = int(os.environ.get("CREATIVE_AI_SANDBOX_UID_BASE", "61000")) + UID_BLOCK * _uid_block()
    return base, base + UID_BLOCK


def _uid(spec: SandboxSpec) -> int:
    first, _ = uid_range()
    return first + 2 * (spec.slot % (UID_BLOCK // 2)) + (1 if spec.role == "judge" else 0)


def _ro(path: str | Path) -> list[str]:
    path = str(path)
    if os.path.islink(path):
        return ["--symlink", os.readlink(path), path]
    return ["--ro-bind", path, path] if os.path.exists(path) else []


def _dirs_for(path: Path) -> list[str]:
    """bwrap creates missing parents mode 0700 as root; make them traversable."""
    args, parts = [], Path(path).parts
    for i in range(2, len(parts)):
        args += ["--perms", "0755", "--dir", str(Path(*parts[:i]))]
    return args


def _bwrap_prefix(spec: SandboxSpec, probe: bool = False) -> list[str]:
    """bwrap's arguments for ``spec``, up to the command; ``probe``: only what a trial run needs
    (the same namespaces, system folders and user switch, none of the course's folders)."""
    args = [bwrap_path() or "bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    root = os.geteuid() == 0
    if not root:
        args += ["--unshare-user", "--disable-userns"]
    for system in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"):
        args += _ro(system)
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(spec.limits.tmp_mb << 20), "--tmpfs", "/tmp"]
    if probe:
        return args + ["--chdir", "/tmp", *_user_switch(spec, root)]
    # Python: the base installation and the virtual environment, read-only, at their own paths.
    for path in sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}):
        args += _dirs_for(path) + ["--ro-bind", str(path), str(path)]
    if Path(sys.prefix) != Path(sys.prefix).resolve():
        args += _dirs_for(Path(sys.prefix)) + ["--symlink", str(Path(sys.prefix).resolve()), str(sys.prefix)]
    # The course package and its data, where this environment finds them (editable install).
    for path in course_paths():
        args += _dirs_for(path) + ["--ro-bind", str(path), str(path)]
    args += ["--perms", "0755", "--dir", "/opt", "--ro-bind", str(GRADER_DIR), INSIDE_GRADER]
    if spec.submission is not None:
        args += ["--ro-bind", str(spec.submission), INSIDE_SUBMISSION]
    if spec.warm is not None and Path(spec.warm).is_dir():
        args += ["--ro-bind", str(spec.warm), INSIDE_WARM]
    args += ["--chdir", "/tmp"]
    return args + _user_switch(spec, root)


def _user_switch(spec: SandboxSpec, root: bool) -> list[str]:
    """The end of bwrap's arguments: as root, run the command through setpriv as spec's own user."""
    if not root:
        return ["--"]
    uid = _uid(spec)
    return ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
            shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}",
            "--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]


def environment(spec: SandboxSpec, fds: tuple[int, int], sandboxed: bool) -> dict[str, str]:
    home = INSIDE_HOME if sandboxed else str(Path(spec.extra_env.get("GRADER_SCRATCH", "/tmp")) / "home")
    grader_dir = INSIDE_GRADER if sandboxed else str(GRADER_DIR)
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": grader_dir,
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "GRADER_FDS": f"{fds[0]},{fds[1]}",
        "GRADER_RLIMITS": spec.limits.rlimits(sandboxed),
        "NBGRADER_EXECUTION": "autograde",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{home}/.warm/matplotlib",
        "NUMBA_CACHE_DIR": f"{home}/.warm/numba",
        "IPYTHONDIR": f"{home}/.ipython",
        "XDG_CACHE_HOME": f"{home}/.cache",
        "TMPDIR": "/tmp" if sandboxed else str(Path(home).parent),
        **ONE_THREAD,
    }
    for name in ("CREATIVE_AI_FAST", "CREATIVE_AI_DATA"):
        if name in os.environ:
            env[name] = os.environ[name]
    if not sandboxed:
        # Unsandboxed (fallback or tests): keep the test suite's network guard if it is active.
        for name in ("CREATIVE_AI_NETGUARD", "CREATIVE_AI_NETLOG"):
            if name in os.environ:
                env[name] = os.environ[name]
        extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and "netguard" in p]
        env["PYTHONPATH"] = os.pathsep.join([grader_dir, *extra])
    if spec.submission is not None:
        env["GRADER_SUBMISSION"] = INSIDE_SUBMISSION if sandboxed else str(spec.submission)
    if spec.warm is not None:
        env["GRADER_WARM"] = INSIDE_WARM if sandboxed else str(spec.warm)
    env.update({k: v for k, v in spec.extra_env.items() if not k.startswith("GRADER_SCRATCH")})
    return env


def _unsandboxed_limits(spec: SandboxSpec):
    def apply():  # in the child, before exec: what we can do without a sandbox
        os.setsid()
        for name, value in (("RLIMIT_CORE", 0), ("RLIMIT_CPU", spec.limits.cpu_seconds)):
            limit = getattr(resource, name, None)
            if limit is not None:
                try:
                    resource.setrlimit(limit, (value, value))
                except (ValueError, OSError):
                    pass
    return apply


def launch(spec: SandboxSpec, script: str, fds: tuple[int, int], scratch: Path | None = None) -> subprocess.Popen:
    """Start ``python <grader>/<script>`` for ``spec`` with the protocol on ``fds`` (child's ends).

    stdout and stderr of the process are pipes the caller must drain (C-level output of student
    code lands there). Returns the Popen of the outermost process; killing it kills the sandbox.
    """
    sandboxed = mode() == "bwrap"
    if not sandboxed:
        if scratch is None:
            raise ValueError("an unsandboxed process needs a scratch folder")
        spec.extra_env.setdefault("GRADER_SCRATCH", str(scratch))
        (scratch / "home").mkdir(parents=True, exist_ok=True)
    env = environment(spec, fds, sandboxed)
    if sandboxed:
        command = [*_bwrap_prefix(spec), sys.executable, f"{INSIDE_GRADER}/{script}"]
        preexec = None
    else:  # no sandbox: at least no network, where Linux allows it (see fallback_prefix)
        command = [*fallback_prefix(), sys.executable, str(GRADER_DIR / script)]
        preexec = _unsandboxed_limits(spec)
    return subprocess.Popen(command, env=env, pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=preexec,
                            start_new_session=False if preexec else True)


if __name__ == "__main__":  # `python autograder/grader/sandbox.py [--only-if-unsandboxed]` (make setup)
    if mode() == "bwrap":
        if "--only-if-unsandboxed" not in sys.argv:
            print(f"Autograding sandbox: bubblewrap works here ({bwrap_path()}).")
    else:
        print("Note for instructors: autograding here will NOT be sandboxed: " + why_unsandboxed() + ".\n"
              "  Without the sandbox, " + fallback_network() + ",\n"
              "  but it can read and change your files (autograder/README.md, 'What the sandbox does').\n"
              "  `make test` skips the hostile-submission tests here.")
