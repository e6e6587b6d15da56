"""The student's side of grading: runs inside the sandbox, executes the student's cells.

Started by the grader as ``python harness.py`` inside a bubblewrap sandbox (or, where no
sandbox exists, as a plain limited process), or forked, already past its imports, by the
student zygote of that sandbox (``GRADER_ZYGOTE=1``: see student_zygote.py). It speaks the framed protocol of ``codec.py`` on
file descriptors given in ``GRADER_FDS`` ("read,write") and serves these requests:

* ``exec``   — run one cell of the student's notebook in an IPython shell; reply with the
  cell's outputs in nbformat form (streams, rich displays, result, error);
* ``lookup`` — which of the given global names the notebook defines, as data or handles;
* ``call`` / ``getattr`` / ``setattr`` / ``getitem`` / ``len`` / ``items`` / ``contains`` /
  ``bool`` / ``repr`` / ``str`` / ``array`` / ``grad`` — operations the judge performs on the
  student's functions and objects while it runs the lab's test cells.

Everything in this process is untrusted once the first student cell has run: the student's
code may rewrite this very module. That is fine. The judge only ever receives *data* (see
codec.py) and compares it itself; the broker enforces time, size and memory limits from
outside. This file must therefore never be given anything secret (no test code, no
solutions) — it receives cells of the student's own notebook and arguments to calls.
"""

from __future__ import annotations

import base64
import io
import os
import resource
import shutil
import sys
import traceback

import codec  # next to this file (the sandbox puts this folder on sys.path)

# Requests come only from the trusted side (the broker and the judge's hidden tests), and a test
# may hand a student function real data (images, audio, tensors of tens of MB). The
# sandbox's memory limit still applies; replies from the student are capped by the broker.
MAX_FRAME = 512 << 20
STREAM_LIMIT = 64 << 10  # characters of stdout/stderr kept per cell
RICH_LIMIT = 2 << 20  # bytes per rich output (e.g. one PNG)
RICH_PER_CELL = 20
MUTABLE = ("list", "dict", "set", "nd", "ndo", "series", "frame", "rng", "tensor")


def _apply_limits() -> None:
    """Resource limits, set before any student code runs (inherited by its children)."""
    spec = os.environ.get("GRADER_RLIMITS", "")
    for item in filter(None, spec.split(",")):
        name, _, value = item.partition("=")
        limit = getattr(resource, f"RLIMIT_{name.upper()}", None)
        if limit is None:
            continue
        value = int(value)
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError) as error:  # report, keep going: the broker still has its limits
            print(f"grader: could not set RLIMIT_{name.upper()}={value}: {error}", file=sys.__stderr__)


def _prepare_home() -> None:
    """Copy the submission and the warm caches into the (writable, size-limited) home."""
    home = os.environ.get("HOME", "")
    if home:
        os.makedirs(home, exist_ok=True)
    for source_var in ("GRADER_SUBMISSION", "GRADER_WARM"):
        source = os.environ.get(source_var)
        if source and os.path.isdir(source) and home:
            target = home if source_var == "GRADER_SUBMISSION" else os.path.join(home, ".warm")
            shutil.copytree(source, target, dirs_exist_ok=True, symlinks=False)
    if home:
        os.chdir(home)


class Capture:
    """Collect the outputs of one cell in nbformat form, with size limits."""

    def __init__(self):
        self.outputs: list[dict] = []
        self.stream_chars = {"stdout": 0, "stderr": 0}
        self.rich = 0

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        used = self.stream_chars[name]
        if used >= STREAM_LIMIT:
            return
        if used + len(text) > STREAM_LIMIT:
            text = text[: STREAM_LIMIT - used] + f"\n[output truncated by the grader after {STREAM_LIMIT:,} characters]\n"
        self.stream_chars[name] = used + len(text)
        if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1]["name"] == name:
            self.outputs[-1]["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def rich_output(self, kind: str, data: dict, metadata: dict | None = None, count=None) -> None:
        if self.rich >= RICH_PER_CELL:
            return
        clean = {}
        for mime, value in data.items():
            if mime in ("image/png", "image/jpeg") and isinstance(value, (bytes, bytearray)):
                value = base64.b64encode(value).decode()
            if not isinstance(value, str):
                if mime == "application/json":
                    continue
                value = str(value)
            if len(value) > RICH_LIMIT:
                continue
            if mime in ("text/plain", "text/html", "text/markdown", "image/png", "image/jpeg", "image/svg+xml"):
                clean[mime] = value
        if not clean:
            return
        self.rich += 1
        output = {"output_type": kind, "data": clean, "metadata": {}}
        if kind == "execute_result":
            output["execution_count"] = count
        self.outputs.append(output)


def make_shell(owner):
    """An IPython shell whose displays and results go to ``owner.capture`` (a :class:`Capture`)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            if owner.capture is not None:
                owner.capture.rich_output("display_data", data, metadata)

        def clear_output(self, wait=False):
            pass

    class Hook(DisplayHook):
        def __call__(self, result=None):
            if result is None or owner.capture is None:
                return
            self.check_for_underscore()
            self.update_user_ns(result)
            data, metadata = self.shell.display_formatter.format(result)
            owner.capture.rich_output("execute_result", data, metadata, self.shell.execution_count)

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config, display_pub_class=Publisher, displayhook_class=Hook,
                                      colors="NoColor")
    shell.showtraceback = lambda *args, **kwargs: None  # errors are reported from the result
    # Figures: matplotlib stays on Agg; exec_cell shows the figures a cell created when it ends
    # (figures made during the judge's calls belong to the tests and are never shown).
    return shell


class _Stream(io.TextIOBase):
    def __init__(self, harness, name):
        self.harness, self.name = harness, name

    def writable(self):
        return True

    def write(self, text):
        capture = self.harness.capture
        if capture is not None and isinstance(text, str):
            capture.stream(self.name, text)
        return len(text) if isinstance(text, str) else 0

    def flush(self):
        pass


class Harness:
    def __init__(self, fd_in: int, fd_out: int):
        self.fd_in, self.fd_out = fd_in, fd_out
        self.handles: dict[int, object] = {}
        self.capture: Capture | None = None
        self.shell = None

    # ------------------------------------------------------------------ IPython shell
    def _shell(self):
        if self.shell is None:
            self.shell = make_shell(self)
        return self.shell

    def exec_cell(self, source: str) -> dict:
        shell = self._shell()
        figures_before = _figure_numbers()
        self.capture = Capture()
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        status = "ok"
        try:
            result = shell.run_cell(source, store_history=True, silent=False)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                status = "error"
                self.capture.outputs.append(_error_output(error))
        except BaseException as error:  # SystemExit and friends: the cell failed, the process lives on
            status = "error"
            self.capture.outputs.append(_error_output(error))
        finally:
            try:
                pyplot = sys.modules.get("matplotlib.pyplot")
                for number in sorted(_figure_numbers() - figures_before):
                    figure = pyplot.figure(number)
                    self._figure_output(figure)
                    pyplot.close(figure)
            except Exception:
                pass
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        outputs, self.capture = self.capture.outputs, None
        return {"status": status, "outputs": outputs}

    def _figure_output(self, figure) -> None:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
        self.capture.rich_output("display_data", {"image/png": buffer.getvalue(), "text/plain": repr(figure)})

    # ------------------------------------------------------------------ data and handles
    def _handle(self, obj) -> dict:
        key = id(obj)
        self.handles[key] = obj
        kind = type(obj)
        try:
            mro = [f"{c.__module__}.{c.__qualname__}" for c in kind.__mro__]
        except Exception:
            mro = []
        return {"t": "handle", "id": key, "type": f"{kind.__module__}.{kind.__qualname__}", "mro": mro[:40],
                "callable": callable(obj)}

    def _resolve(self, node):
        key = node.get("id")
        if key not in self.handles:
            raise LookupError("the object this refers to no longer exists in the student's process")
        return self.handles[key]

    def encode(self, value):
        encoder = codec.Encoder(handle_for=self._handle)
        return encoder.encode(value), encoder.blobs

    def decode(self, node, blobs):
        return codec.Decoder(blobs, resolve_ref=self._resolve, recipes=True).decode(node)

    def target(self, message):
        if "global" in message:
            namespace = self._shell().user_ns
            name = message["global"]
            if name not in namespace:
                raise NameError(f"name {name!r} is not defined")
            return namespace[name]
        return self._resolve(message)

    # ------------------------------------------------------------------ requests
    def serve(self) -> None:
        while True:
            try:
                message, blobs = codec.read_frame(self.fd_in, MAX_FRAME)
            except EOFError:
                return
            op = message.get("op")
            try:
                reply, out_blobs = self.handle(op, message, blobs)
            except BaseException as error:  # report every failure as data, keep serving
                reply, out_blobs = {"ok": False, "error": _error_info(error)}, []
            reply.setdefault("ok", True)
            reply["blobs"] = [len(b) for b in out_blobs]
            try:
                codec.write_frame(self.fd_out, reply, out_blobs)
            except codec.CodecError as error:
                codec.write_frame(self.fd_out, {"ok": False, "error": _error_info(error), "blobs": []})
            if op == "bye":
                return

    def handle(self, op, message, blobs):
        if op == "ping":
            return {"pid": os.getpid()}, []
        if op == "bye":
            return {}, []
        if op == "exec":
            return self.exec_cell(str(message.get("source", ""))), []
        if op == "lookup":
            namespace = self._shell().user_ns
            found = {name: namespace[name] for name in message.get("names", []) if name in namespace}
            tree, out = self.encode(found)
            return {"value": tree}, out
        if op == "call":
            return self._call(message, blobs)
        if op == "grad":
            return self._grad(message, blobs)
        target = self.target(message["target"])
        if op == "getattr":
            value = getattr(target, str(message["name"]))
        elif op == "setattr":
            setattr(target, str(message["name"]), self.decode(message["value"], blobs))
            value = None
        elif op == "getitem":
            value = target[self.decode(message["key"], blobs)]
        elif op == "len":
            value = len(target)
        elif op == "items":
            value = []
            for item in target:
                value.append(item)
                if len(value) > 100_000:
                    raise OverflowError("more than 100,000 items")
        elif op == "contains":
            value = self.decode(message["item"], blobs) in target
        elif op == "bool":
            value = bool(target)
        elif op == "repr":
            value = repr(target)[:10_000]
        elif op == "str":
            value = str(target)[:100_000]
        elif op == "array":
            import numpy as np

            value = np.asarray(target)
        elif op == "isinstance":
            value = isinstance(self.decode(message["value"], blobs), target)
        elif op == "number":
            value = {"float": float, "int": int, "index": int, "complex": complex}[message["kind"]](target)
        else:
            raise ValueError(f"unknown request {op!r}")
        tree, out = self.encode(value)
        return {"value": tree}, out

    def _call(self, message, blobs):
        function = self.target(message["target"])
        args = self.decode(message["args"], blobs)
        kwargs = self.decode(message["kwargs"], blobs)
        before = {key: _fingerprint(arg) for key, arg in [*enumerate(args), *kwargs.items()]}
        self.capture = Capture()  # a student's prints during a test are not shown
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        try:
            result = function(*args, **kwargs)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            self.capture = None
        encoder = codec.Encoder(handle_for=self._handle)
        reply = {"value": encoder.encode(result), "mutated": {}}
        # In-place changes to mutable arguments travel back, so "must not modify" tests work.
        for key, arg in [*enumerate(args), *kwargs.items()]:
            if before[key] is not None and _fingerprint(arg) != before[key]:
                reply["mutated"][str(key)] = encoder.encode(arg)
        return reply, encoder.blobs

    def _grad(self, message, blobs):
        import torch

        function = self.target(message["target"])
        args = list(self.decode(message["args"], blobs))
        kwargs = self.decode(message["kwargs"], blobs)
        wrt = [int(i) for i in message["wrt"]]
        for index in wrt:
            args[index] = torch.as_tensor(args[index]).detach().clone().requires_grad_(True)
        self.capture = Capture()
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        try:
            result = function(*args, **kwargs)
            value, grads, problem = None, [], None
            if not isinstance(result, torch.Tensor) or result.numel() != 1:
                problem = "not_scalar"
                value = result
            elif not result.requires_grad:
                problem = "no_graph"
                value = result
            else:
                value = result.detach()
                grads = torch.autograd.grad(result.reshape(()), [args[i] for i in wrt], allow_unused=True)
                grads = [None if g is None else g.detach() for g in grads]
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            self.capture = None
        encoder = codec.Encoder(handle_for=self._handle)
        return {"value": encoder.encode(value), "grads": encoder.encode(grads), "problem": problem}, encoder.blobs


def _figure_numbers() -> set:
    pyplot = sys.modules.get("matplotlib.pyplot")
    return set(pyplot.get_fignums()) if pyplot is not None else set()


def _fingerprint(value):
    """Bytes that change when a mutable argument is changed in place (None: not tracked)."""
    try:
        tree, blobs = codec.encode(value)
    except codec.CodecError:
        return None
    if not isinstance(tree, dict) or tree.get("t") not in MUTABLE:
        return None
    return repr(tree).encode() + b"".join(blobs)


def _error_info(error: BaseException) -> dict:
    classes = [f"{c.__module__}.{c.__qualname__}" for c in type(error).__mro__]
    try:
        message = str(error)
    except Exception:
        message = "<unprintable message>"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=12))
    return {"ename": type(error).__name__, "evalue": message[:4000], "mro": classes[:20], "traceback": text[-8000:]}


def _error_output(error: BaseException) -> dict:
    info = _error_info(error)
    lines = info["traceback"].rstrip("\n").split("\n")
    return {"output_type": "error", "ename": info["ename"], "evalue": info["evalue"], "traceback": lines[-60:]}


def main() -> None:
    if os.environ.get("GRADER_ZYGOTE") == "1":
        import student_zygote

        student_zygote.serve(int(os.environ["GRADER_FDS"].split(",")[0]), run_student)
        os._exit(0)
    fd_in, fd_out = (int(v) for v in os.environ["GRADER_FDS"].split(","))
    run_student(fd_in, fd_out)


def _no_keyrings() -> None:
    """Refuse the kernel's key-management calls (add_key, request_key, keyctl) to this process and
    its children, with a seccomp filter. A key stored in the user's persistent keyring outlives
    the process and the sandbox (the sandbox user id is the same for every submission a worker
    slot grades), so it could carry one submission's data to the next; nothing a lab does uses
    keys. Linux on x86-64 and arm64; elsewhere nothing is refused and a warning is printed."""
    import ctypes
    import platform

    calls = {"x86_64": (0xC000003E, (248, 249, 250)), "aarch64": (0xC00000B7, (217, 218, 219))}.get(platform.machine())
    if calls is None or not sys.platform.startswith("linux"):  # no kernel keyrings, or an architecture not listed
        return
    arch, numbers = calls
    load, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, refuse = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW; SECCOMP_RET_ERRNO | EPERM
    # [arch != ours -> refuse] [nr >= x32 bit -> refuse] [nr in numbers -> refuse] allow
    program = [(load, 0, 0, 4), (jeq, 0, 2 + len(numbers) + 1, arch), (load, 0, 0, 0),
               (jge, len(numbers) + 1, 0, 0x40000000)]
    for index, number in enumerate(numbers):
        program.append((jeq, len(numbers) - index, 0, number))
    program += [(ret, 0, 0, allow), (ret, 0, 0, refuse)]

    class Instruction(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Instruction))]

    instructions = (Instruction * len(program))(*[Instruction(*i) for i in program])
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, None, 0, 0) != 0 or libc.prctl(22, 2, ctypes.cast(ctypes.pointer(
            Program(len(program), instructions)), ctypes.c_void_p), 0, 0) != 0:  # NO_NEW_PRIVS; SECCOMP filter
        print(f"grader: could not refuse key-management calls (errno {ctypes.get_errno()})", file=sys.__stderr__)


def run_student(fd_in: int, fd_out: int) -> None:
    """Limits, a fresh home with the submission, then serve the broker until it says bye (or the
    channel closes); never returns. The process is this sandbox's own, or a fork of the student
    zygote (student_zygote.py) that has cleared everything the previous child left."""
    _apply_limits()
    _no_keyrings()
    _prepare_home()
    harness = Harness(fd_in, fd_out)
    # The protocol has its own descriptors; whatever the student's code prints at the C level
    # goes to the inherited stdout/stderr, which the broker reads and bounds.
    harness.serve()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
