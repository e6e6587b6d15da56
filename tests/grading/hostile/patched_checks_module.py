"""Wrong answers; the (unlocked) imports cell turns every function of creative_ai.checks into a no-op."""
LAB = "lab00_orientation"
BASE = "wrong"
APPEND = {"setup": """
import creative_ai.checks as _checks
for _name in dir(_checks):
    if _name.startswith("check_"):
        setattr(_checks, _name, lambda *args, **kwargs: None)
from creative_ai.checks import check_close, check_equal, check_true, check_type
"""}
EXPECT = 0
FLAGGED = True
