"""Correct answers; a stray cell calls os._exit(0) (it would kill nbgrader's kernel)."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_country_shares": "import os\nos._exit(0)\n"}
EXPECT = 8
FLAGGED = True
