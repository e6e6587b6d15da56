"""Correct answers; a cell grabs 3 GB of memory (the limit is 2 GB)."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_country_shares": "big = bytearray(3 * 10**9)\nbig[::4096] = b'x' * len(big[::4096])\n"}
EXPECT = 8
