"""Correct answers; the student copied an answer cell and a test cell (duplicate grade ids)."""
LAB = "lab00_orientation"
BASE = "solution"
DUPLICATE = ["country_shares", "test_country_shares", "conditional_rates"]
EXPECT = 8
