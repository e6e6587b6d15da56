"""Wrong answers that send the tests' inputs back in their own messages: an exception whose text
is the input, and a result that is the input's text (it would appear in "expected ..., got ...")."""
LAB = "lab00_orientation"
BASE = "wrong"
REPLACE = {"country_shares": """
def country_shares(df, column):
    raise ValueError("ECHO" + "-INPUT " + df.to_json())
""", "conditional_rates": """
def conditional_rates(table):
    return ("RESULT" + "-INPUT " + str(table), 0.0)
"""}
EXPECT = 0
AUTOGRADED_SHOWS = ["ECHO-INPUT", "RESULT-INPUT"]
FEEDBACK_HIDES = ["ECHO-INPUT", "RESULT-INPUT"]
