"""Wrong answers whose replies to the tests' calls are forged on the reply pipe: an array whose
shape lies about its buffer, a zero-size dtype with an astronomic shape, a made-up extension
type, a tensor of a "dtype" that is a torch function; plus a strided view that claims 10**10
elements (its copy happens in the student's process, under its memory limit)."""
LAB = "lab00_orientation"
BASE = "wrong"
_FORGE = """
import os as _os, struct as _struct, json as _json
def _forge(message, blobs=b""):
    _fd = int(_os.environ["GRADER_FDS"].split(",")[1])
    raw = _json.dumps(message).encode()
    data = _struct.pack(">Q", 4 + len(raw) + len(blobs)) + _struct.pack(">I", len(raw)) + raw + blobs
    view = memoryview(data)
    while view:
        view = view[_os.write(_fd, view):]
    _os._exit(0)
"""
REPLACE = {"country_shares": _FORGE + """
import numpy as np
def country_shares(df, column):
    if column == "image":
        _forge({"ok": True, "value": {"t": "nd", "dtype": "<f8", "shape": [10**12], "b": 0}, "blobs": [8]}, b"12345678")
    if column == "sound":
        _forge({"ok": True, "value": {"t": "nd", "dtype": "<U0", "shape": [10**9, 10**9], "b": 0}, "blobs": [0]})
    return np.lib.stride_tricks.as_strided(np.zeros(1), shape=(10**10,), strides=(0,))
""", "conditional_rates": _FORGE + """
def conditional_rates(table):
    _forge({"ok": True, "value": {"t": "tuple", "v": [
        {"t": "series", "dtype": "period[ns]", "v": {"t": "tensor", "dtype": "load", "nd": None},
         "index": None, "name": None}, 0.5]}, "blobs": []})
"""}
EXPECT = 0
