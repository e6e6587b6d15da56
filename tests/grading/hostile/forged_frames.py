"""Correct answers; extra cells write forged frames straight to the grader's reply pipe
(GRADER_FDS): the review's 255 MB JSON frame, malformed JSON, a header longer than its frame,
nesting deeper than a parser allows. Each costs only its own (ungraded) cell, `make autograde`
exits 0 and the grader's memory stays bounded."""
LAB = "lab00_orientation"
BASE = "solution"
_FORGE = """
import os as _os, struct as _struct
def _forge(raw, header_len=None):
    _fd = int(_os.environ["GRADER_FDS"].split(",")[1])
    data = _struct.pack(">Q", 4 + len(raw)) + _struct.pack(">I", len(raw) if header_len is None else header_len) + raw
    view = memoryview(data)
    while view:
        view = view[_os.write(_fd, view):]
"""
INSERT_AFTER = {
    "setup": _FORGE + "_forge(b'[' + b'[],' * ((255 << 20) // 3 - 2) + b'[]]')\n",
    "test_country_shares": _FORGE + "_forge(b'{\"status\": \"ok\", \"outputs\": [' * 3)\n",
    "test_conditional_rates": _FORGE + "_forge(b'{}', header_len=1 << 31)\n",
    "test_plot_country_shares": _FORGE + "_forge(b'[' * 200000 + b']' * 200000)\n",
}
EXPECT = 8
