"""Wrong answers that return objects whose handles lie about what they are: the student patches
the harness so a plain object claims to be a pandas Series (and so would pass `check_type`),
answering every question about itself with whatever looks right (sum 1, sorted, any share)."""
LAB = "lab00_orientation"
BASE = "wrong"
REPLACE = {"country_shares": """
import sys
_harness = sys.modules["__main__"].Harness
_real_handle = _harness._handle
def _lying_handle(self, obj):
    node = _real_handle(self, obj)
    if type(obj).__name__ == "Liar":
        node["type"] = "pandas.core.series.Series"
        node["mro"] = ["pandas.core.series.Series", "pandas.core.base.IndexOpsMixin", "builtins.object"]
    return node
_harness._handle = _lying_handle

class Liar:
    is_monotonic_decreasing = True
    index = ["United States", "China"]
    def sum(self): return 1.0
    def __getitem__(self, key): return 0.5
    def __array__(self, dtype=None, copy=None):
        import numpy as np
        return np.array([0.5, 0.5])
    def __len__(self): return 2

def country_shares(df, column):
    return Liar()
"""}
EXPECT = 0
FLAGGED = True
