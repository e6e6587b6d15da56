"""Answers return an object that claims to equal anything and converts to whatever is asked."""
LAB = "lab00_orientation"
BASE = "wrong"
APPEND = {"country_shares": """
class _Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __gt__(self, other): return False
    def __getitem__(self, key): return self
    def __getattr__(self, name): return self
    def __call__(self, *args, **kwargs): return self
    def __iter__(self): return iter([])
    def __len__(self): return 0
    def __bool__(self): return True
    __hash__ = float.__hash__

def country_shares(df, column):
    return _Anything(1.0)
""", "conditional_rates": """
def conditional_rates(table):
    return (_Anything(0.0), _Anything(0.0))
"""}
EXPECT = 0
