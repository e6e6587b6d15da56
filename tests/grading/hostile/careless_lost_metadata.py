"""Correct answers; the conditional_rates answer lost its grading metadata (retyped in a new cell)."""
LAB = "lab00_orientation"
BASE = "solution"
STRIP_METADATA = ["conditional_rates"]
EXPECT = 8
