"""The student zygote: one sandbox that imports a lab's libraries once and forks a fresh student
process (harness.py's :func:`run_student`) per submission and per restart.

Started by the broker (runner.StudentZygote) as ``harness.py`` with ``GRADER_ZYGOTE=1`` inside the
same bubblewrap sandbox a student process gets (never without one: outside a PID namespace the
clean-up below would reach the grading user's own processes). Importing torch, pandas,
matplotlib and IPython takes 1-3.5 s of CPU, which every submission paid again in a sandbox of its
own; a fork costs milliseconds.

What the children of one zygote share is what one sandbox holds, so before each fork nothing of
the previous child may be left that the next could read or that could change how it runs:

* **processes**: when a child ends or the broker asks (``kill``), every process of the sandbox but
  bubblewrap's init and this one gets SIGKILL, repeatedly, until ``/proc`` lists no other (a
  process with a fatal signal pending cannot fork, so none escapes the sweep);
* **files**: ``/tmp`` (the sandbox's only writable place: the home, its warm caches, the copy of
  the submission) is emptied, but for what bubblewrap put there before the zygote ran (folders
  leading to paths bound below /tmp, as when the course is checked out in /tmp), which is checked
  unchanged and given back its modes; the child copies the warm caches and its submission (a
  read-only inbox the broker fills per submission) into a fresh home;
* **System V IPC** objects are removed (``/proc/sysvipc``); POSIX message queues, which cannot be
  listed without privileges, cannot be created (``RLIMIT_MSGQUEUE`` 0, see sandbox.Limits);
* **keys**: the student's process may not use the kernel's keyrings at all (a seccomp filter,
  harness.py); each child also joins a session keyring of its own and the user's are cleared;
* **shared memory with the zygote**: there is none to write; the zygote refuses to fork if its
  imports left a writable shared mapping;
* **this process**: it is not dumpable, so a child (same user id, no capabilities) cannot ptrace it
  or read or write its memory through ``/proc``; it imports nothing after the first fork, and
  ``/tmp`` is not on its module path. A child can still signal it (stop or kill it): the broker
  then finds it unresponsive or dead, kills the whole sandbox and starts a new one.

If any step fails, the zygote exits; the broker never forks from a sandbox it could not clean.

The protocol, on one AF_UNIX SOCK_SEQPACKET socket (``GRADER_FDS``), a JSON object per packet:
``ready`` (zygote → broker, once the imports are done); ``fork`` with four descriptors (the
child's request pipe, reply pipe, stdout, stderr) → ``forked``; ``kill`` → ``killed`` (the child
and everything it started are gone, the sandbox is clean); ``exited`` (zygote → broker, unasked:
the child ended and the sandbox is clean); ``quit``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import json
import os
import platform
import select
import shutil
import signal
import socket
import stat
import sys
import time

CONTROL_MAX = 4096
PR_SET_DUMPABLE = 4
# keyctl(2): the syscall's number per architecture (no libkeyutils needed)
_KEYCTL = {"x86_64": 250, "aarch64": 219}.get(platform.machine())
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR = 1, 7
KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -4, -5
IPC_RMID = 0

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


class NotClean(Exception):
    """Something of the previous child could not be removed."""


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


def _preload(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # only slower: the child imports it itself
            print(f"student zygote: could not preload {name}: {error}", file=sys.stderr)
    try:
        import matplotlib

        matplotlib.use("Agg")
    except Exception:
        pass
    if "librosa" in sys.modules:  # load librosa's compiled code (warm numba cache) once, here
        try:
            from creative_ai.audio import exercise_librosa

            exercise_librosa()
        except Exception as error:
            print(f"student zygote: could not load librosa's compiled code: {error}", file=sys.stderr)


def _copy_warm() -> None:
    source, home = os.environ.get("GRADER_WARM"), os.environ.get("HOME")
    if source and home and os.path.isdir(source):
        shutil.copytree(source, os.path.join(home, ".warm"), dirs_exist_ok=True, symlinks=False)


def _others() -> list[int]:
    me = os.getpid()
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, me)]


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_all(timeout: float = 5.0) -> None:
    """SIGKILL every process of the sandbox but init and this one, until none is left."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _reap()
        if not _others():
            return
        if time.monotonic() > deadline:
            raise NotClean(f"processes still running after SIGKILL: {_others()[:10]}")
        time.sleep(0.005)


# What bubblewrap itself put in /tmp before the zygote ran (see snapshot): the folders leading to
# paths bound below /tmp (a checkout or environment in /tmp), symbolic links, mount points.
SKELETON: dict[str, tuple] = {}


def snapshot() -> None:
    """Record /tmp as bubblewrap left it; :func:`wipe` restores exactly that."""
    SKELETON.clear()
    device = os.stat("/tmp").st_dev

    def walk(path: str) -> None:
        for entry in os.scandir(path):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                SKELETON[entry.path] = ("link", os.readlink(entry.path))
            elif info.st_dev != device:
                SKELETON[entry.path] = ("mount", info.st_dev, info.st_ino)
            elif stat.S_ISDIR(info.st_mode):
                SKELETON[entry.path] = ("dir", stat.S_IMODE(info.st_mode))
                walk(entry.path)
            else:  # nothing else is expected: a file here could carry data from one child to the next
                raise NotClean(f"unexpected file in the sandbox's /tmp before any child ran: {entry.path}")

    walk("/tmp")


def _clear(folder: int, path: str, depth: int = 0) -> None:
    """Remove everything in the open folder ``folder`` (``path``) that is not in the skeleton,
    whatever modes the child left (it owns all of it), following no link; relative to
    descriptors, so no path grows too long. Skeleton entries must be as recorded."""
    if depth > 64:
        raise NotClean("folders nested too deeply to clear")
    for entry in list(os.scandir(folder)):
        name, full = entry.name, os.path.join(path, entry.name)
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        kept = SKELETON.get(full)
        if kept is not None:
            if kept[0] == "link":
                if not stat.S_ISLNK(info.st_mode) or os.readlink(name, dir_fd=folder) != kept[1]:
                    raise NotClean(f"{full} was changed")
                continue
            if kept[0] == "mount":
                if (info.st_dev, info.st_ino) != kept[1:]:
                    raise NotClean(f"{full} was changed")
                continue
            if not stat.S_ISDIR(info.st_mode):
                raise NotClean(f"{full} was changed")
            if stat.S_IMODE(info.st_mode) != kept[1]:
                os.chmod(name, kept[1], dir_fd=folder)
        elif stat.S_ISDIR(info.st_mode):
            os.chmod(name, 0o700, dir_fd=folder)
        else:
            os.unlink(name, dir_fd=folder)
            continue
        inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
        try:
            _clear(inner, full, depth + 1)
        finally:
            os.close(inner)
        if kept is None:
            os.rmdir(name, dir_fd=folder)


def _remove_ipc() -> None:
    for kind, control in (("shm", _libc.shmctl), ("msg", _libc.msgctl), ("sem", _libc.semctl)):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) < 2:
                continue
            ident = int(fields[1])
            result = control(ident, 0, IPC_RMID, None) if kind == "sem" else control(ident, IPC_RMID, None)
            if result != 0:
                raise NotClean(f"could not remove System V {kind} object {ident}: errno {ctypes.get_errno()}")


def _keyctl(*args) -> int:
    if _KEYCTL is None:
        return -1
    return _libc.syscall(_KEYCTL, *[ctypes.c_long(a) for a in args])


def wipe() -> None:
    """Empty /tmp and remove what the previous child left in the IPC namespace and keyrings."""
    os.chdir("/")
    tmp = os.open("/tmp", os.O_RDONLY | os.O_DIRECTORY)
    try:
        _clear(tmp, "/tmp")
    finally:
        os.close(tmp)
    missing = [path for path in SKELETON if not os.path.lexists(path)]
    if missing:
        raise NotClean(f"{missing[0]} is missing")
    _remove_ipc()
    for keyring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
        _keyctl(KEYCTL_CLEAR, keyring)


def _cleared() -> bool:
    """Kill every other process and wipe; False (said on stderr) if the sandbox could not be
    cleared: the zygote then ends, and the broker starts a new sandbox."""
    try:
        kill_all()
        wipe()
    except (NotClean, OSError) as error:
        print(f"student zygote: {error}", file=sys.stderr)
        return False
    return True


def _become_child(sock: socket.socket, fds: list[int], run_student) -> None:
    """In the fork: the student's process. Never returns."""
    try:
        sock.close()  # the control channel is never the student's
        fd_in, fd_out, out, err = fds
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.close(out)
        os.close(err)
        os.setsid()
        _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a process of its own sandbox would be
        _keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0)   # a session keyring of its own
        os.environ["GRADER_FDS"] = f"{fd_in},{fd_out}"
        run_student(fd_in, fd_out)
    finally:
        os._exit(1)


def serve(control_fd: int, run_student) -> None:
    """The zygote's life: imports, ``ready``, then forks on request until ``quit`` or EOF."""
    sock = socket.socket(fileno=control_fd)
    if _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        print("student zygote: could not make itself non-dumpable", file=sys.stderr)
        return
    try:
        snapshot()
    except (NotClean, OSError) as error:
        print(f"student zygote: {error}", file=sys.stderr)
        return
    try:
        _copy_warm()  # matplotlib's font list and numba's cache, for the imports below
    except OSError as error:
        print(f"student zygote: could not copy the warm caches: {error}", file=sys.stderr)
    _preload([name for name in os.environ.get("GRADER_PRELOAD", "").split(",") if name])
    with open("/proc/self/maps") as maps:  # memory a child could write and the zygote would see
        shared = [line.strip() for line in maps if len(line.split()) > 1 and line.split()[1][1::2] == "ws"]
    if shared:
        print(f"student zygote: not forking, the imports left writable shared memory: {shared[:3]}", file=sys.stderr)
        return
    if not _cleared():
        return
    _send(sock, {"op": "ready", "pid": os.getpid()})
    child = None
    while True:
        ready, _, _ = select.select([sock], [], [], 0.1 if child else None)
        if child is not None:
            try:
                pid, _ = os.waitpid(child, os.WNOHANG)
            except ChildProcessError:
                pid = child
            if pid:
                child = None
                if not _cleared():
                    return
                _send(sock, {"op": "exited"})
        if not ready:
            continue
        data, fds, _, _ = socket.recv_fds(sock, CONTROL_MAX, 4)
        if not data:
            return  # the broker closed the channel
        try:
            op = json.loads(data).get("op")
        except (ValueError, AttributeError):
            op = None
        if op == "fork" and child is None and len(fds) == 4:
            pid = os.fork()
            if pid == 0:
                _become_child(sock, fds, run_student)
            for fd in fds:
                os.close(fd)
            child = pid
            _send(sock, {"op": "forked"})
            continue
        for fd in fds:
            os.close(fd)
        if op == "kill":
            child = None
            if not _cleared():
                return
            _send(sock, {"op": "killed"})
        elif op == "quit":
            return
        else:
            print(f"student zygote: unexpected request {data[:100]!r}", file=sys.stderr)
            return
