"""Wrong answers, plus do-nothing check_* helpers defined in an answer cell."""
LAB = "lab00_orientation"
BASE = "wrong"
APPEND = {"country_shares": """
def check_close(*args, **kwargs): pass
def check_equal(*args, **kwargs): pass
def check_true(*args, **kwargs): pass
def check_type(*args, **kwargs): pass
"""}
EXPECT = 0
FLAGGED = True
