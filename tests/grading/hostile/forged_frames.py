"""Correct answers; extra cells write forged frames straight to the grader's reply pipe
(GRADER_FDS): the review's 255 MB JSON frame and malformed JSON (tests/test_grader_security.py
has more: a header longer than its frame, nesting deeper than a parser allows, lying blob
tables). Each costs only its own (ungraded) cell and `make autograde` exits 0."""
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
}
EXPECT = 8
