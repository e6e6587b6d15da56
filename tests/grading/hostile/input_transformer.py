"""Blank answers; an IPython input transformer turns every later cell that checks anything into `pass`."""
LAB = "lab00_orientation"
BASE = "blank"
INSERT_AFTER = {"parameters": """
def _silence(lines):
    text = "".join(lines)
    return ["pass\\n"] if "check" in text or "HIDDEN" in text else lines
get_ipython().input_transformers_cleanup.append(_silence)
"""}
EXPECT = 0
FLAGGED = True
