"""Correct answers; a cell prints 100 MB."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_country_shares": "line = 'x' * 999\nfor _ in range(100_000):\n    print(line)\n"}
EXPECT = 8
