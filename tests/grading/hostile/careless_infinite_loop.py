"""Correct answers; a forgotten experiment cell loops for ever at top level."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_conditional_rates": "while True:\n    pass\n"}
EXPECT = 8
