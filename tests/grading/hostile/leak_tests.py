"""Correct answers; the student tries to print the tests: the input history, every later cell
(through an input transformer) and the source of whatever calls its functions."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"parameters": """
import inspect
def _spy(lines):
    print("CELL:", "".join(lines))
    return lines
get_ipython().input_transformers_cleanup.append(_spy)
""", "together": "print(In)\nprint(_ih)\n"}
APPEND = {"country_shares": """
_original = country_shares
def country_shares(df, column):
    for frame in inspect.stack():
        print("CALLER:", frame.code_context)
    return _original(df, column)
"""}
EXPECT = 8
FLAGGED = True
