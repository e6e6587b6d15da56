"""The trusted side of grading: runs a lab's test cells against the student's code.

The judge never executes student code. It runs the lab source's own set-up cells (imports,
parameters, data loading) and then each test cell, in an IPython shell whose namespace holds
the lab's trusted objects. The names the student's answer cells define (the graded functions
and classes, and variables such as a trained model) are bound to :class:`Remote` proxies or to
plain data fetched from the student's process. So a student's code can change nothing the
tests rely on: not ``check_close``, not NumPy, not IPython's hooks, not the comparison of a
result with its expected value — it can only return answers.

Process model: the grader starts one judge *zygote* per worker slot, which imports the heavy
libraries once. For each lab it forks a *lab zygote* that runs the lab's set-up cells once, and
that forks a fresh child for every submission of the lab (copy-on-write, so no state leaks from
one student to the next, and every submission's tests start from the same trusted state). The child speaks the framed protocol of ``codec.py`` with
the broker on the descriptors in ``GRADER_FDS``; requests for the student's process go through
the broker, which enforces the time limits.
"""

from __future__ import annotations

import ast
import builtins
import copy
import importlib
import os
import shutil
import sys
import time

import codec
from harness import Capture, make_shell

MAX_REPLY = 512 << 20
STUDENT_OPS = {"lookup", "call", "getattr", "setattr", "getitem", "len", "items", "contains", "bool",
               "repr", "str", "array", "number", "grad", "isinstance"}


class StudentCodeError(Exception):
    """An exception raised by the student's code (carries the student's message)."""


class StudentProcessError(RuntimeError):
    """The student's process timed out, crashed or broke a limit during a call."""


_error_classes: dict[tuple[str, str], type] = {}


def _student_exception(info: dict) -> BaseException:
    """Build an exception the test can catch as the student's built-in exception class."""
    ename = str(info.get("ename", "Error"))[:100]
    message = str(info.get("evalue", ""))
    if info.get("grader"):
        return StudentProcessError(message)
    base = Exception
    for name in info.get("mro", []):
        module, _, qualname = str(name).rpartition(".")
        if module == "builtins" and isinstance(getattr(builtins, qualname, None), type) and issubclass(
            getattr(builtins, qualname), Exception
        ):
            base = getattr(builtins, qualname)
            break
    key = (ename, base.__name__)
    cls = _error_classes.get(key)
    if cls is None:
        try:
            cls = type(ename, (StudentCodeError, base), {"__module__": "student"})
        except TypeError:
            cls = type(ename, (StudentCodeError,), {"__module__": "student"})
        _error_classes[key] = cls
    try:
        error = cls(f"{message}" if message else ename)
    except Exception:
        error = StudentCodeError(f"{ename}: {message}")
    return error


class Channel:
    """The judge's end of the protocol with the broker."""

    def __init__(self, fd_in: int, fd_out: int):
        self.fd_in, self.fd_out = fd_in, fd_out

    def send(self, message: dict, blobs=()) -> None:
        message["blobs"] = [len(b) for b in blobs]
        codec.write_frame(self.fd_out, message, list(blobs))

    def receive(self):
        return codec.read_frame(self.fd_in, MAX_REPLY)

    def student(self, message: dict, blobs=()):
        """Send a request to the student's process; return (reply, blobs) or raise its error."""
        self.send(message, blobs)
        reply, reply_blobs = self.receive()
        if not reply.get("ok"):
            raise _student_exception(reply.get("error") or {})
        return reply, reply_blobs


class Judge:
    def __init__(self, channel: Channel):
        self.channel = channel
        self.capture: Capture | None = None
        self.shell = make_shell(self)
        self.proxies: dict[int, Remote] = {}
        self.student_names: set[str] = set()
        self.bound: set[str] = set()
        # Arguments a student's function changed in place: (object, its state before), restored
        # when the test cell ends (see Remote.__call__).
        self.rollbacks: dict[int, tuple] = {}

    # ------------------------------------------------------------------ encoding
    def encode_args(self, *values):
        encoder = codec.Encoder(ref_for=self._ref_for, recipes=True)
        return [encoder.encode(v) for v in values], encoder.blobs

    def _ref_for(self, value):
        if isinstance(value, Remote):
            return {"t": "ref", "id": object.__getattribute__(value, "_id")}
        return None

    def decode(self, node, blobs):
        return codec.Decoder(blobs, make_handle=self._proxy).decode(node)

    def _proxy(self, node) -> Remote:
        key = node.get("id")
        if not isinstance(key, int):
            raise codec.CodecError("malformed handle")
        proxy = self.proxies.get(key)
        if proxy is None:
            proxy = Remote(self, key, node)
            self.proxies[key] = proxy
        return proxy

    def request(self, message: dict, blobs=()):
        reply, reply_blobs = self.channel.student(message, blobs)
        return reply, reply_blobs

    def value(self, message: dict, blobs=()):
        reply, reply_blobs = self.request(message, blobs)
        return self.decode(reply.get("value"), reply_blobs)

    # ------------------------------------------------------------------ cells
    def run_context(self, cells: list[str]) -> list[dict]:
        """Run the lab source's set-up cells; return their errors (there should be none)."""
        problems = []
        for index, source in enumerate(cells):
            outcome = self.run_cell(source)
            if outcome["status"] != "ok":
                problems.append({"cell": index, "outputs": outcome["outputs"]})
        return problems

    def bind_student_names(self, source: str) -> None:
        """Bind the student-defined names a test cell reads to the student's current values."""
        namespace = self.shell.user_ns
        for name in self.bound:
            namespace.pop(name, None)
        self.bound = set()
        wanted = sorted(free_names(source) & self.student_names)
        if not wanted:
            return
        found = self.value({"op": "lookup", "names": wanted})
        if not isinstance(found, dict):
            raise StudentProcessError("malformed reply from the student's process")
        for name, value in found.items():
            if name not in wanted:
                continue
            if isinstance(value, Remote) and object.__getattribute__(value, "_node").get("type") == "builtins.module":
                continue  # a module of the student's process is never a test's module
            namespace[name] = value
            self.bound.add(name)

    def run_test(self, source: str) -> dict:
        try:
            self.bind_student_names(source)
        except Exception as error:  # the student's process is gone: the test fails cleanly
            return {"status": "error", "outputs": [_error_output(error)]}
        try:
            return self.run_cell(source)
        finally:
            self.roll_back()

    def remember(self, original) -> None:
        """Keep ``original``'s state before a student's function changes it (once per test cell)."""
        if id(original) not in self.rollbacks:
            try:
                self.rollbacks[id(original)] = (original, copy.deepcopy(original))
            except Exception:
                pass

    def roll_back(self) -> None:
        """Undo, when a test cell ends, every in-place change a student's function made to the
        judge's data: the cell's own checks saw the change ("must not modify"), later cells do not
        (a student's function cannot rewrite data that later tests compute their answers from)."""
        rollbacks, self.rollbacks = self.rollbacks, {}
        for original, before in rollbacks.values():
            _write_back(original, before)

    def run_cell(self, source: str) -> dict:
        self.capture = Capture()
        real = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = _Text(self)  # judge output is one stdout stream (stderr is not a failure)
        status = "ok"
        outputs: list[dict] = []
        try:
            result = self.shell.run_cell(source, store_history=False, silent=False)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                status = "error"
                outputs.append(_error_output(error))
        finally:
            sys.stdout, sys.stderr = real
            try:
                from matplotlib import pyplot

                pyplot.close("all")
            except Exception:
                pass
        kept = [o for o in self.capture.outputs if o["output_type"] == "stream"]
        self.capture = None
        return {"status": status, "outputs": kept + outputs}


class _Text:
    def __init__(self, judge):
        self.judge = judge

    def write(self, text):
        if self.judge.capture is not None and isinstance(text, str):
            self.judge.capture.stream("stdout", text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _error_output(error: BaseException) -> dict:
    name = type(error).__name__
    message = str(error)
    return {"output_type": "error", "ename": name, "evalue": message, "traceback": [f"{name}: {message}"]}


def free_names(source: str) -> set[str]:
    """Every bare name a cell reads (IPython syntax is transformed first)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


class Remote:
    """A proxy for an object living in the student's process.

    Attribute access, calls, ``len``, iteration, indexing, ``in``, ``bool``, numbers and
    ``np.asarray`` are forwarded; results come back as plain data or further proxies. Identity
    and equality are the proxy's own (the student's ``__eq__`` never runs here), and
    ``isinstance`` sees the nearest class of the remote object's MRO that the judge itself has
    imported (so ``isinstance(model, torch.nn.Module)`` works).
    """

    __slots__ = ("_judge", "_id", "_node")

    def __init__(self, judge, key, node):
        object.__setattr__(self, "_judge", judge)
        object.__setattr__(self, "_id", key)
        object.__setattr__(self, "_node", node)

    def _op(self, op, data: dict | None = None, **fields):
        """Send ``op`` about this object; ``data`` holds fields whose values must be encoded."""
        judge = object.__getattribute__(self, "_judge")
        names = list(data or {})
        nodes, blobs = judge.encode_args(*[(data or {})[name] for name in names])
        message = {"op": op, "target": {"id": object.__getattribute__(self, "_id")}, **fields}
        message.update(zip(names, nodes, strict=True))
        return judge.value(message, blobs)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._op("getattr", name=name)

    def __setattr__(self, name, value):
        judge = object.__getattribute__(self, "_judge")
        (node,), blobs = judge.encode_args(value)
        judge.value({"op": "setattr", "target": {"id": object.__getattribute__(self, "_id")}, "name": name,
                     "value": node}, blobs)

    def __call__(self, *args, **kwargs):
        judge = object.__getattribute__(self, "_judge")
        (args_node, kwargs_node), blobs = judge.encode_args(tuple(args), dict(kwargs))
        reply, reply_blobs = judge.request({"op": "call", "target": {"id": object.__getattribute__(self, "_id")},
                                            "args": args_node, "kwargs": kwargs_node}, blobs)
        result = judge.decode(reply.get("value"), reply_blobs)
        mutated = reply.get("mutated") or {}
        for key, node in (mutated.items() if isinstance(mutated, dict) else []):
            key = str(key)
            if key.isdigit() and int(key) < len(args):
                original = args[int(key)]
            elif key in kwargs:
                original = kwargs[key]
            else:
                continue
            judge.remember(original)
            _write_back(original, judge.decode(node, reply_blobs))
        return result

    def __value_and_grad__(self, args, wrt, kwargs):
        from creative_ai.checks import CheckFailed

        judge = object.__getattribute__(self, "_judge")
        (args_node, kwargs_node), blobs = judge.encode_args(tuple(args), dict(kwargs))
        reply, reply_blobs = judge.request({"op": "grad", "target": {"id": object.__getattribute__(self, "_id")},
                                            "args": args_node, "kwargs": kwargs_node, "wrt": list(wrt)}, blobs)
        value = judge.decode(reply.get("value"), reply_blobs)
        name = object.__getattribute__(self, "_node").get("type", "the function").rsplit(".", 1)[-1]
        problem = reply.get("problem")
        if problem == "not_scalar":
            raise CheckFailed(f"{name}: expected a torch scalar (a tensor with one element), got "
                              f"{type(value).__name__}")
        if problem == "no_graph":
            raise CheckFailed(f"{name}: the result is not connected to its inputs, so no gradient can flow back "
                              "(did it go through NumPy, .item(), float() or .detach()?)")
        grads = judge.decode(reply.get("grads"), reply_blobs)
        import torch

        if not isinstance(value, torch.Tensor):
            raise CheckFailed(f"{name}: expected a torch scalar, got {type(value).__name__}")
        return float(value), tuple(grads)

    def __len__(self):
        return int(self._op("len"))

    def __iter__(self):
        return iter(self._op("items"))

    def __getitem__(self, key):
        return self._op("getitem", {"key": key})

    def __contains__(self, item):
        return bool(self._op("contains", {"item": item}))

    def __bool__(self):
        return bool(self._op("bool"))

    def __repr__(self):
        try:
            return str(self._op("repr"))
        except Exception:
            return f"<student object {object.__getattribute__(self, '_node').get('type')}>"

    def __str__(self):
        return str(self._op("str"))

    def __float__(self):
        return float(self._op("number", kind="float"))

    def __int__(self):
        return int(self._op("number", kind="int"))

    def __index__(self):
        return int(self._op("number", kind="index"))

    def __complex__(self):
        return complex(self._op("number", kind="complex"))

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        value = self._op("array")
        if isinstance(value, Remote):
            raise TypeError("the student's object cannot be converted to an array of data")
        return np.asarray(value, dtype=dtype)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __hash__(self):
        return hash(("remote", object.__getattribute__(self, "_id")))

    def __instancecheck__(self, instance):
        # isinstance(obj, StudentClass): ask the student's process (both must live there).
        if not isinstance(instance, Remote):
            return False
        return bool(self._op("isinstance", {"value": instance}))

    @property
    def __class__(self):
        node = object.__getattribute__(self, "_node")
        mro = node.get("mro", [])
        for name in mro if isinstance(mro, list) else []:
            module, _, qualname = str(name).rpartition(".")
            loaded = sys.modules.get(module)
            if loaded is None or module in ("__main__", "builtins"):
                continue
            target = loaded
            for part in qualname.split("."):
                target = getattr(target, part, None)
                if target is None:
                    break
            if isinstance(target, type):
                if _is_data_type(target):  # data always crosses as data: a handle claiming it lies
                    return Remote
                return target
        return Remote


def _is_data_type(cls: type) -> bool:
    """Types the codec always sends as data (numbers, text, containers, arrays, frames, tensors)."""
    import numbers

    data: list[type] = [numbers.Number, str, bytes, list, tuple, dict, set, frozenset, range, slice]
    for module, names in (("numpy", ("ndarray", "generic", "random.Generator")),
                          ("pandas", ("Series", "DataFrame", "Index")), ("torch", ("Tensor", "Size", "dtype"))):
        loaded = sys.modules.get(module)
        for name in names if loaded is not None else ():
            target = loaded
            for part in name.split("."):
                target = getattr(target, part, None)
            if isinstance(target, type):
                data.append(target)
    try:
        return issubclass(cls, tuple(data))
    except TypeError:
        return False


def _write_back(original, changed) -> None:
    """Copy in-place changes the student's function made to an argument back into the original."""
    try:
        import numpy as np

        if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
            if original.shape == changed.shape:
                np.copyto(original, changed, casting="unsafe")
            return
        if isinstance(original, list) and isinstance(changed, list):
            original[:] = changed
        elif isinstance(original, dict) and isinstance(changed, dict):
            original.clear()
            original.update(changed)
        elif isinstance(original, set) and isinstance(changed, set):
            original.clear()
            original.update(changed)
        elif isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
            original.bit_generator.state = changed.bit_generator.state
        elif type(original).__module__.startswith("pandas") and type(original) is type(changed):
            original._update_inplace(changed)
        elif type(original).__module__.startswith("torch") and hasattr(original, "copy_"):
            import torch

            with torch.no_grad():
                if original.shape == changed.shape:
                    original.copy_(changed)
    except Exception:  # best effort: a failed copy-back leaves the original as it was sent
        pass


# --------------------------------------------------------------------------- processes


def session(judge: Judge, problems: list) -> None:
    """One submission: test cells on request, until "bye". The lab's set-up cells already ran
    (in the lab zygote this process was forked from), so every submission starts from the same
    trusted state and nothing of one submission reaches the next."""
    channel = judge.channel
    while True:
        try:
            message, _ = channel.receive()
        except EOFError:
            return
        op = message.get("op")
        if op == "begin":
            channel.send({"op": "ready", "problems": problems, "pid": os.getpid()})
        elif op == "test":
            started = time.perf_counter()
            outcome = judge.run_test(str(message.get("source", "")))
            outcome["op"] = "done"
            outcome["seconds"] = time.perf_counter() - started
            channel.send(outcome)
        elif op == "bye":
            return


def _serve_forks(channel: Channel, op: str, run, exited: str, inline=None) -> None:
    """On each ``op`` message, run ``run(message)`` in a forked process, wait for it and send
    ``exited``; a message whose op is in ``inline`` runs that handler here; stop on any other
    message or when the channel closes. The lab zygote serves submissions this way, the judge
    zygote labs (and "preload")."""
    while True:
        try:
            message, _ = channel.receive()
        except EOFError:
            return
        if inline and message.get("op") in inline:
            inline[message.get("op")](message)
            continue
        if message.get("op") != op:
            return
        pid = os.fork()
        if pid == 0:
            try:
                run(message)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        channel.send({"op": exited, "pid": pid})


def lab_zygote(channel: Channel, context: list[str], student_names: list[str]) -> None:
    """Run one lab's set-up cells once, then fork a fresh judge per submission of that lab."""
    judge = Judge(channel)
    judge.student_names = set(student_names)
    problems = judge.run_context(context)
    _load_compiled_code()
    channel.send({"op": "lab-ready", "problems": problems, "pid": os.getpid()})

    def submission(_message) -> None:
        channel.send({"op": "forked", "pid": os.getpid()})
        session(judge, problems)

    _serve_forks(channel, "fork", submission, "child-exited")


def _load_compiled_code() -> None:
    """When the lab's set-up imported librosa, run its numba-compiled functions once here, in the
    lab zygote, so every forked judge has them in memory. Loading them from the on-disk cache
    costs about 8 s of CPU in each process (lab 02's tests call them in every submission). The
    calls are creative_ai.audio.exercise_librosa's, the ones tools/warm_up.py builds that cache
    with: synthetic tones, no random numbers, nothing a test reads is changed."""
    if "librosa" not in sys.modules:
        return
    try:
        from creative_ai.audio import exercise_librosa

        exercise_librosa()
    except Exception as error:  # only slower: each judge then loads them itself
        print(f"judge: could not load librosa's compiled code: {error}", file=sys.stderr)


def _preload(names) -> None:
    for name in names:
        try:
            importlib.import_module(str(name))
        except Exception as error:
            print(f"judge: could not preload {name}: {error}", file=sys.stderr)


def zygote(channel: Channel, preload: list[str]) -> None:
    """Import the heavy libraries once; then, per lab, fork a lab zygote (see :func:`lab_zygote`).
    A "preload" message adds modules (the labs' own, when the zygote was started before the labs
    were read: see early_judges.py)."""
    _preload(preload)
    try:
        import matplotlib

        matplotlib.use("Agg")
    except Exception:
        pass
    channel.send({"op": "zygote-ready", "pid": os.getpid()})
    _serve_forks(channel, "lab", lambda message: lab_zygote(channel, list(message.get("context", [])),
                                                            list(message.get("student_names", []))), "lab-exited",
                 inline={"preload": lambda message: _preload(list(message.get("modules") or []))})


def _copy_warm_caches() -> None:
    """The grader's warm caches (matplotlib's fonts, librosa's compiled numba code: see warm.py)
    into this sandbox's home, where MPLCONFIGDIR and NUMBA_CACHE_DIR point: lab 02's tests call
    librosa, which would otherwise compile its numba code again in every judge."""
    source, home = os.environ.get("GRADER_WARM"), os.environ.get("HOME")
    if source and home and os.path.isdir(source):
        try:
            shutil.copytree(source, os.path.join(home, ".warm"), dirs_exist_ok=True, symlinks=False)
        except OSError as error:
            print(f"judge: could not copy the warm caches: {error}", file=sys.stderr)


def main() -> None:
    fd_in, fd_out = (int(v) for v in os.environ["GRADER_FDS"].split(","))
    _copy_warm_caches()
    preload = [name for name in os.environ.get("GRADER_PRELOAD", "").split(",") if name]
    zygote(Channel(fd_in, fd_out), preload)
    os._exit(0)


if __name__ == "__main__":
    main()
