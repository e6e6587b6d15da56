"""Wrong answers; a fork bomb (bounded by the process limit, stopped by the cell's time limit)."""
LAB = "lab00_orientation"
BASE = "wrong"
INSERT_AFTER = {"setup": """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""}
EXPECT = 0
FLAGGED = True
