"""A safe wire format for values crossing between the student's process and the judge.

The grader runs a student's cells in a sandboxed process (the *harness*) and the lab's test
cells in another process (the *judge*) that never executes student code. Test cells call the
student's functions through proxies; arguments and results cross as *data*, encoded here.

Nothing here unpickles or evaluates anything. A message is a JSON document (a tree of tagged
nodes) plus raw byte blobs for array buffers. Decoding only builds plain values — numbers,
strings, containers, NumPy arrays of numeric/bool/string dtypes, pandas objects, torch tensors,
NumPy random generators — or, for anything else, a *handle*: an opaque reference the caller
wraps in a proxy. So whatever a student's code returns, the judge receives either genuine data
or a handle it controls: an object with a rigged ``__eq__`` can never reach a test's comparison.

Framing: ``8-byte big-endian length`` + payload; payload = ``4-byte JSON length`` + JSON +
concatenated blobs. Frames larger than the reader's limit are refused.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import struct
from typing import Any

MAX_DEPTH = 64
MAX_NODES = 5_000_000
# Limits on what a reader accepts, checked *before* anything is allocated or parsed, so that a
# forged frame costs the reader at most its frame limit in memory (and the cell its points).
MAX_HEADER = 64 << 20           # bytes of JSON in one frame (a cell's honest outputs stay far below)
MAX_JSON_VALUES = 2_000_000     # JSON values in one header (arrays travel as blobs, not JSON)
MAX_BLOBS = 100_000
MAX_ARRAY_DIMS = 32
MAX_ARRAY_ITEMS = 1 << 31
# NumPy dtype kinds that cross as raw bytes: bool, ints, floats, complex, str, datetime, timedelta.
_RAW_KINDS = set("biufcUMm")
_RNG_BITGENS = {"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"}
_TORCH_DTYPES = {"float16", "float32", "float64", "bfloat16", "complex64", "complex128", "uint8", "int8", "int16",
                 "int32", "int64", "bool", "uint16", "uint32", "uint64"}
# pandas dtypes a frame may declare (anything else keeps the values' own NumPy dtype).
_PANDAS_EXTENSION_DTYPES = {"category", "string", "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                            "UInt32", "UInt64", "Float32", "Float64", "object", "str"}


class CodecError(ValueError):
    """A value cannot be encoded, or a message is malformed."""


class FrameTooLarge(CodecError):
    """A peer sent more bytes than the reader accepts."""


# --------------------------------------------------------------------------- framing


def frame_parts(message: dict, blobs=()) -> list:
    """The byte strings of one frame (header and blobs are not copied into one buffer)."""
    header = json.dumps(message, allow_nan=True, separators=(",", ":")).encode()
    body_len = 4 + len(header) + sum(len(b) for b in blobs)
    return [struct.pack(">Q", body_len), struct.pack(">I", len(header)), header, *blobs]


def write_frame(fd: int, message: dict, blobs: list[bytes] = ()) -> None:
    for part in frame_parts(message, blobs):
        view = memoryview(part).cast("B")
        while view:
            written = os.write(fd, view[: 1 << 22])
            view = view[written:]


def _read_into(fd: int, view: memoryview, wait=None) -> None:
    """Fill ``view`` from ``fd``; ``wait(fd)`` (if given) is called before each read (deadlines)."""
    while view:
        if wait is not None:
            wait(fd)
        count = os.readv(fd, [view[: 1 << 22]])
        if not count:
            raise EOFError("peer closed the channel")
        view = view[count:]


def read_frame(fd: int, max_bytes: int, wait=None) -> tuple[dict, list[memoryview]]:
    """Read one frame; return (message, blobs). Blob boundaries come from the message's ``blobs``.

    Every length is checked before memory is allocated for it: the frame against ``max_bytes``,
    the JSON header against :data:`MAX_HEADER` and :data:`MAX_JSON_VALUES`, the blob table
    against the bytes actually sent. Anything malformed raises :class:`CodecError`.
    """
    prefix = bytearray(8)
    _read_into(fd, memoryview(prefix), wait)
    (body_len,) = struct.unpack(">Q", prefix)
    if body_len > max_bytes:
        raise FrameTooLarge(f"message of {body_len:,} bytes exceeds the limit of {max_bytes:,}")
    if body_len < 4:
        raise CodecError("malformed frame: no header")
    header_prefix = bytearray(4)
    _read_into(fd, memoryview(header_prefix), wait)
    (header_len,) = struct.unpack(">I", header_prefix)
    if header_len > body_len - 4:
        raise CodecError("malformed frame header")
    if header_len > MAX_HEADER:
        raise FrameTooLarge(f"a message header of {header_len:,} bytes exceeds the limit of {MAX_HEADER:,}")
    header = bytearray(header_len)
    _read_into(fd, memoryview(header), wait)
    message = parse_header(header)
    sizes = message.get("blobs", [])
    if not isinstance(sizes, list) or len(sizes) > MAX_BLOBS or not all(
            type(size) is int and size >= 0 for size in sizes):
        raise CodecError("malformed blob table")
    if sum(sizes) != body_len - 4 - header_len:
        raise CodecError("the blob table does not match the frame's length")
    data = bytearray(body_len - 4 - header_len)
    _read_into(fd, memoryview(data), wait)
    blobs, offset, view = [], 0, memoryview(data)
    for size in sizes:
        blobs.append(view[offset : offset + size])
        offset += size
    return message, blobs


def parse_header(raw) -> dict:
    """The JSON object of a frame header, refusing documents too large or too deep to hold."""
    raw = bytes(raw)
    # Every JSON value but the first follows a comma, a colon or an opening bracket: this bounds
    # the number of objects json.loads would build (and so its memory) before it builds any.
    values = raw.count(b",") + raw.count(b":") + raw.count(b"[") + raw.count(b"{") + 1
    if values > MAX_JSON_VALUES:
        raise CodecError(f"a message header with more than {MAX_JSON_VALUES:,} values")
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError) as error:  # includes JSONDecodeError and UnicodeDecodeError
        raise CodecError(f"malformed message header ({type(error).__name__})") from None
    if not isinstance(message, dict):
        raise CodecError("a frame must hold a JSON object")
    return message


# --------------------------------------------------------------------------- encoding


class Encoder:
    """Encode values to (tree, blobs).

    ``handle_for(obj)`` is called for values that are not data; it returns a JSON-able dict
    (the harness registers the object in its handle table). ``ref_for(obj)`` lets the judge send
    back a proxy it received (returns ``{"t": "ref", ...}``) or None. ``recipes`` allows objects
    carrying a ``creative_ai`` recipe to be sent as that recipe (judge → harness only).
    """

    def __init__(self, handle_for=None, ref_for=None, recipes: bool = False):
        self.blobs: list[bytes] = []
        self.handle_for = handle_for
        self.ref_for = ref_for
        self.recipes = recipes
        self._nodes = 0

    def blob(self, data: bytes) -> int:
        self.blobs.append(bytes(data))
        return len(self.blobs) - 1

    def encode(self, value: Any, depth: int = 0) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES or depth > MAX_DEPTH:
            raise CodecError("value too large or too deeply nested to send")
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value if abs(value) < 2**53 else {"t": "bigint", "v": str(value)}
        if type(value) is float:
            return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
        if self.ref_for is not None:
            ref = self.ref_for(value)
            if ref is not None:
                return ref
        kind = type(value)
        if kind is complex:
            return {"t": "complex", "re": self.encode(value.real), "im": self.encode(value.imag)}
        if kind is bytes:
            return {"t": "bytes", "b": self.blob(value)}
        if kind in (list, tuple, set, frozenset):
            return {"t": kind.__name__, "v": [self.encode(v, depth + 1) for v in value]}
        if kind is dict:
            return {"t": "dict", "v": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        if kind is slice:
            return {"t": "slice", "v": [self.encode(value.start), self.encode(value.stop), self.encode(value.step)]}
        if kind is range:
            return {"t": "range", "v": [value.start, value.stop, value.step]}
        if kind in (_dt.datetime, _dt.date, _dt.timedelta):
            return self._datetime(value)
        module = kind.__module__.split(".")[0]
        if module == "numpy":
            node = self._numpy(value, depth)
            if node is not None:
                return node
        elif module == "pandas":
            node = self._pandas(value, depth)
            if node is not None:
                return node
        elif module == "torch":
            node = self._torch(value, depth)
            if node is not None:
                return node
        if self.recipes:
            from creative_ai.recipe import recipe_of

            recipe = recipe_of(value)
            if recipe is not None:
                path, args, kwargs = recipe
                return {"t": "recipe", "path": path, "args": self.encode(tuple(args), depth + 1),
                        "kwargs": self.encode(dict(kwargs), depth + 1)}
        if self.handle_for is None:
            raise CodecError(
                f"cannot send a {kind.__module__}.{kind.__qualname__} to the other process: pass data "
                "(numbers, strings, lists, dicts, NumPy arrays, pandas objects, torch tensors)"
            )
        return self.handle_for(value)

    def _datetime(self, value):
        if isinstance(value, _dt.timedelta):
            return {"t": "timedelta", "v": value.total_seconds()}
        if isinstance(value, _dt.datetime):
            return {"t": "datetime", "v": value.isoformat()}
        return {"t": "date", "v": value.isoformat()}

    def _array(self, array, depth):

        if array.dtype.kind in _RAW_KINDS and array.dtype.fields is None:
            contiguous = array if array.flags.c_contiguous else array.copy(order="C")  # keeps 0-d shape
            return {"t": "nd", "dtype": contiguous.dtype.str, "shape": list(contiguous.shape),
                    "b": self.blob(contiguous.tobytes())}
        if array.dtype.kind == "O":
            return {"t": "ndo", "shape": list(array.shape),
                    "v": [self.encode(v, depth + 1) for v in array.ravel().tolist()]}
        return None

    def _numpy(self, value, depth):
        import numpy as np

        if isinstance(value, np.ndarray) and type(value) is np.ndarray:
            return self._array(value, depth)
        if isinstance(value, np.generic):
            node = self._array(np.asarray(value), depth)
            if node is not None:
                node["t"] = "npscalar" if node["t"] == "nd" else node["t"]
            return node
        if isinstance(value, np.random.Generator):
            bitgen = value.bit_generator
            name = type(bitgen).__name__
            if name in _RNG_BITGENS:
                return {"t": "rng", "bitgen": name, "state": self.encode(bitgen.state, depth + 1)}
        return None

    def _pandas(self, value, depth):
        import pandas as pd

        if isinstance(value, pd.MultiIndex):
            return {"t": "multiindex", "v": self.encode(list(value), depth + 1),
                    "names": self.encode(list(value.names), depth + 1)}
        if isinstance(value, pd.RangeIndex):
            return {"t": "rangeindex", "v": [value.start, value.stop, value.step],
                    "name": self.encode(value.name, depth + 1)}
        if isinstance(value, pd.Index):
            return {"t": "index", "dtype": str(value.dtype), "v": self._values(value, depth),
                    "name": self.encode(value.name, depth + 1)}
        if isinstance(value, pd.Series):
            return {"t": "series", "dtype": str(value.dtype), "v": self._values(value, depth),
                    "index": self.encode(value.index, depth + 1), "name": self.encode(value.name, depth + 1)}
        if isinstance(value, pd.DataFrame):
            columns = [{"dtype": str(value.dtypes.iloc[i]), "v": self._values(value.iloc[:, i], depth)}
                       for i in range(value.shape[1])]
            return {"t": "frame", "columns": self.encode(value.columns, depth + 1),
                    "index": self.encode(value.index, depth + 1), "data": columns}
        if isinstance(value, pd.Timestamp):
            return {"t": "timestamp", "v": value.isoformat()}
        if isinstance(value, pd.Timedelta):
            return {"t": "pdtimedelta", "v": value.value}
        if value is pd.NaT:
            return {"t": "nat"}
        if value is pd.NA:
            return {"t": "na"}
        return None

    def _values(self, values, depth):
        import numpy as np

        array = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
        if array.dtype.kind == "O" or array.dtype.kind not in _RAW_KINDS:
            array = np.asarray(array, dtype=object)
        return self._array(array, depth)

    def _torch(self, value, depth):
        import torch

        if isinstance(value, torch.Tensor) and not isinstance(value, torch.nn.Parameter):
            return self._tensor(value, depth)
        if isinstance(value, torch.nn.Parameter):
            node = self._tensor(value.data, depth)
            node["parameter"] = True
            return node
        if isinstance(value, torch.dtype):
            return {"t": "torchdtype", "v": str(value).removeprefix("torch.")}
        if isinstance(value, torch.Size):
            return {"t": "torchsize", "v": list(value)}
        if isinstance(value, torch.device):
            return {"t": "torchdevice", "v": str(value)}
        return None

    def _tensor(self, value, depth):
        import torch

        tensor = value.detach()
        if tensor.layout != torch.strided:
            tensor = tensor.to_dense()
        tensor = tensor.cpu()
        dtype = str(tensor.dtype).removeprefix("torch.")
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        return {"t": "tensor", "dtype": dtype, "requires_grad": bool(value.requires_grad),
                "nd": self._array(tensor.contiguous().numpy(), depth)}


def encode(value, **kwargs) -> tuple[Any, list[bytes]]:
    encoder = Encoder(**kwargs)
    return encoder.encode(value), encoder.blobs


# --------------------------------------------------------------------------- decoding


class Decoder:
    """Decode a tree built by :class:`Encoder` into plain values.

    ``make_handle(node)`` turns a handle node into a proxy (judge side); ``resolve_ref(node)``
    returns the object behind a ref (harness side). ``recipes`` allows rebuilding recipe nodes
    (harness side only). Anything unexpected raises :class:`CodecError`.
    """

    def __init__(self, blobs, make_handle=None, resolve_ref=None, recipes: bool = False):
        self.blobs = blobs
        self.make_handle = make_handle
        self.resolve_ref = resolve_ref
        self.recipes = recipes
        self._nodes = 0

    def decode(self, node: Any, depth: int = 0) -> Any:
        if depth == 0:
            try:
                return self._decode(node, 0)
            except CodecError:
                raise
            except DECODE_ERRORS as error:
                raise CodecError(f"malformed value ({type(error).__name__}: {str(error)[:200]})") from None
        return self._decode(node, depth)

    def _decode(self, node: Any, depth: int) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES or depth > MAX_DEPTH:
            raise CodecError("message too large or too deeply nested")
        if node is None or isinstance(node, (bool, str, int, float)):
            return node
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise CodecError(f"malformed value node: {str(node)[:80]}")
        method = getattr(self, "_d_" + node["t"], None)
        if method is None:
            raise CodecError(f"unknown value type {node['t']!r}")
        return method(node, depth)

    def _list(self, node, depth):
        items = node.get("v")
        if not isinstance(items, list):
            raise CodecError("malformed container")
        return [self.decode(v, depth + 1) for v in items]

    def _d_bigint(self, node, depth):
        return int(node["v"])

    def _d_float(self, node, depth):
        return float(node["v"])

    def _d_complex(self, node, depth):
        return complex(self.decode(node["re"], depth + 1), self.decode(node["im"], depth + 1))

    def _d_bytes(self, node, depth):
        return bytes(self._blob(node))

    def _d_list(self, node, depth):
        return self._list(node, depth)

    def _d_tuple(self, node, depth):
        return tuple(self._list(node, depth))

    def _d_set(self, node, depth):
        return set(self._list(node, depth))

    def _d_frozenset(self, node, depth):
        return frozenset(self._list(node, depth))

    def _d_dict(self, node, depth):
        pairs = node.get("v")
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise CodecError("malformed dict")
        return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in pairs}

    def _d_slice(self, node, depth):
        return slice(*self._list(node, depth))

    def _d_range(self, node, depth):
        start, stop, step = (int(v) for v in node["v"])
        return range(start, stop, step)

    def _d_datetime(self, node, depth):
        return _dt.datetime.fromisoformat(str(node["v"]))

    def _d_date(self, node, depth):
        return _dt.date.fromisoformat(str(node["v"]))

    def _d_timedelta(self, node, depth):
        return _dt.timedelta(seconds=float(node["v"]))

    def _blob(self, node):
        index = node.get("b")
        if not isinstance(index, int) or not 0 <= index < len(self.blobs):
            raise CodecError("malformed blob reference")
        return self.blobs[index]

    def _d_nd(self, node, depth):
        import numpy as np

        text = node.get("dtype")
        if not isinstance(text, str) or len(text) > 32:
            raise CodecError("malformed array dtype")
        dtype = np.dtype(text)
        if (dtype.kind not in _RAW_KINDS or dtype.fields is not None or dtype.hasobject or dtype.subdtype is not None
                or dtype.itemsize == 0):
            raise CodecError(f"refusing array dtype {dtype}")
        shape = node.get("shape")
        if not isinstance(shape, list) or len(shape) > MAX_ARRAY_DIMS or not all(type(s) is int for s in shape):
            raise CodecError("malformed array shape")
        if any(s < 0 for s in shape):
            raise CodecError("negative array dimension")
        raw = self._blob(node)
        count = math.prod(shape)
        if count > MAX_ARRAY_ITEMS or count * dtype.itemsize != len(raw):
            raise CodecError("array size does not match its buffer")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()

    def _d_npscalar(self, node, depth):
        return self._d_nd(node, depth)[()]

    def _d_ndo(self, node, depth):
        import numpy as np

        shape = node.get("shape")
        if not isinstance(shape, list) or len(shape) > MAX_ARRAY_DIMS or not all(
                type(s) is int and s >= 0 for s in shape):
            raise CodecError("malformed array shape")
        items = self._list(node, depth)
        if math.prod(shape) != len(items):
            raise CodecError("object array size does not match its items")
        array = np.empty(len(items), dtype=object)
        array[:] = items if items else []
        return array.reshape(shape)

    def _d_rng(self, node, depth):
        import numpy as np

        name = node.get("bitgen")
        if name not in _RNG_BITGENS:
            raise CodecError(f"refusing bit generator {name!r}")
        bitgen = getattr(np.random, name)()
        bitgen.state = self.decode(node["state"], depth + 1)
        return np.random.Generator(bitgen)

    def _pandas_dtype(self, text):
        """A pandas dtype the sender declared: NumPy data kinds and a few plain extension types."""
        import numpy as np
        import pandas as pd

        if not isinstance(text, str) or len(text) > 64:
            return None
        if text not in _PANDAS_EXTENSION_DTYPES and not text.startswith("datetime64[ns, "):
            try:
                numpy_dtype = np.dtype(text)
            except TypeError:
                return None
            if numpy_dtype.kind not in _RAW_KINDS or numpy_dtype.fields is not None or numpy_dtype.subdtype is not None:
                return None
        try:
            return pd.api.types.pandas_dtype(text)
        except (TypeError, ValueError):
            return None

    def _pd_values(self, column, depth):
        values = self.decode(column, depth + 1)
        return values

    def _d_index(self, node, depth):
        import pandas as pd

        values = self.decode(node["v"], depth + 1)
        index = pd.Index(values, name=self.decode(node["name"], depth + 1))
        dtype = self._pandas_dtype(node.get("dtype"))
        if dtype is not None and index.dtype != dtype:
            try:
                index = index.astype(dtype)
            except (TypeError, ValueError):
                pass
        return index

    def _d_rangeindex(self, node, depth):
        import pandas as pd

        start, stop, step = (int(v) for v in node["v"])
        return pd.RangeIndex(start, stop, step, name=self.decode(node["name"], depth + 1))

    def _d_multiindex(self, node, depth):
        import pandas as pd

        tuples = self.decode(node["v"], depth + 1)
        return pd.MultiIndex.from_tuples(tuples, names=self.decode(node["names"], depth + 1))

    def _typed(self, values, dtype_text):
        import pandas as pd

        series = pd.Series(values, dtype=object) if getattr(values, "dtype", None) is not None and values.dtype.kind == "O" else pd.Series(values)
        dtype = self._pandas_dtype(dtype_text)
        if dtype is not None and series.dtype != dtype:
            try:
                series = series.astype(dtype)
            except (TypeError, ValueError):
                pass
        return series

    def _d_series(self, node, depth):
        series = self._typed(self.decode(node["v"], depth + 1), node.get("dtype"))
        index = self.decode(node["index"], depth + 1)
        if len(index) != len(series):
            raise CodecError("series index length does not match its values")
        series.index = index
        series.name = self.decode(node["name"], depth + 1)
        return series

    def _d_frame(self, node, depth):
        import pandas as pd

        columns = self.decode(node["columns"], depth + 1)
        index = self.decode(node["index"], depth + 1)
        data = node.get("data")
        if not isinstance(data, list) or len(data) != len(columns):
            raise CodecError("malformed data frame")
        parts = []
        for column in data:
            series = self._typed(self.decode(column["v"], depth + 1), column.get("dtype"))
            if len(series) != len(index):
                raise CodecError("data frame column length does not match its index")
            series.index = index
            parts.append(series)
        frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=index)
        frame.columns = columns
        return frame

    def _d_timestamp(self, node, depth):
        import pandas as pd

        return pd.Timestamp(str(node["v"]))

    def _d_pdtimedelta(self, node, depth):
        import pandas as pd

        return pd.Timedelta(int(node["v"]))

    def _d_nat(self, node, depth):
        import pandas as pd

        return pd.NaT

    def _d_na(self, node, depth):
        import pandas as pd

        return pd.NA

    def _d_tensor(self, node, depth):
        import torch

        array = self.decode(node["nd"], depth + 1)
        dtype_name = str(node.get("dtype"))
        dtype = getattr(torch, dtype_name, None) if dtype_name in _TORCH_DTYPES else None
        if not isinstance(dtype, torch.dtype):
            raise CodecError(f"refusing tensor dtype {dtype_name!r}")
        tensor = torch.from_numpy(array) if array.dtype.kind != "U" else None
        if tensor is None:
            raise CodecError("malformed tensor")
        tensor = tensor.to(dtype)
        if node.get("parameter"):
            return torch.nn.Parameter(tensor, requires_grad=bool(node.get("requires_grad")))
        if node.get("requires_grad") and tensor.is_floating_point():
            tensor.requires_grad_(True)
        return tensor

    def _d_torchdtype(self, node, depth):
        import torch

        name = str(node["v"])
        dtype = getattr(torch, name, None) if name in _TORCH_DTYPES else None
        if not isinstance(dtype, torch.dtype):
            raise CodecError("refusing torch dtype")
        return dtype

    def _d_torchsize(self, node, depth):
        import torch

        return torch.Size(int(v) for v in node["v"])

    def _d_torchdevice(self, node, depth):
        import torch

        return torch.device(str(node["v"]))

    def _d_recipe(self, node, depth):
        if not self.recipes:
            raise CodecError("this side does not accept recipes")
        from creative_ai.recipe import rebuild

        args = self.decode(node["args"], depth + 1)
        kwargs = self.decode(node["kwargs"], depth + 1)
        return rebuild((str(node["path"]), tuple(args), dict(kwargs)))

    def _d_handle(self, node, depth):
        if self.make_handle is None:
            raise CodecError("this side does not accept handles")
        return self.make_handle(node)

    def _d_ref(self, node, depth):
        if self.resolve_ref is None:
            raise CodecError("this side does not accept references")
        return self.resolve_ref(node)


def decode(tree, blobs, **kwargs):
    return Decoder(blobs, **kwargs).decode(tree)


# What a malformed node can raise while it is rebuilt (a missing field, a wrong type, a value
# NumPy, pandas or torch refuse); each becomes the codec's own error.
DECODE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError, RecursionError,
                 LookupError, MemoryError)
