"""Correct answers except one function, which loops for ever with a bare except that swallows
the interrupt: that function's points are lost, nothing else, in bounded time."""
LAB = "lab00_orientation"
BASE = "solution"
REPLACE = {"plot_country_shares": """
def plot_country_shares(shares, ax=None):
    while True:
        try:
            pass
        except:  # noqa: E722 (the careless pattern under test)
            pass
"""}
EXPECT = 6
