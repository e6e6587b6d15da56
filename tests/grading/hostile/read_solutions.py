"""Blank answers; searches the machine for the lab source (solutions, hidden tests) or another
student's submission and runs the solutions it finds."""
LAB = "lab00_orientation"
BASE = "blank"
INSERT_AFTER = {"parameters": r'''
import glob, json, re
_found = glob.glob("/**/lab00_orientation.ipynb", recursive=True) + glob.glob("../../**/*.ipynb", recursive=True)
for _path in _found:
    try:
        _nb = json.load(open(_path))
    except Exception:
        continue
    for _cell in _nb.get("cells", []):
        _src = "".join(_cell.get("source", []))
        if "BEGIN SOLUTION" in _src or "def country_shares" in _src:
            _code = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$", "", _src, flags=re.M)
            try:
                exec(_code, globals())
                print("used answers from", _path)
            except Exception:
                pass
'''}
EXPECT = 0
FLAGGED = True
