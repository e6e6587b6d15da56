"""Wrong answers; the locked test cells are edited to `pass` (nbgrader restores them; we flag it)."""
LAB = "lab00_orientation"
BASE = "wrong"
REPLACE = {"test_country_shares": "pass", "test_conditional_rates": "print('all good')"}
EXPECT = 0
FLAGGED = True
