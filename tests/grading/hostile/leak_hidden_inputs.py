"""Correct answers; wrappers record every argument the tests pass and a later cell prints them,
to collect the hidden tests' inputs from the feedback."""
LAB = "lab00_orientation"
BASE = "solution"
APPEND = {"country_shares": """
_recorded = []
_real_country_shares = country_shares
def country_shares(df, column):
    _recorded.append((column, df.to_dict()))
    return _real_country_shares(df, column)
""", "conditional_rates": """
_real_conditional_rates = conditional_rates
def conditional_rates(table):
    _recorded.append(("table", table.to_dict() if hasattr(table, "to_dict") else table))
    return _real_conditional_rates(table)
"""}
INSERT_AFTER = {"together_intro": "print('LEAKED' + '-INPUTS', len(_recorded), _recorded)\n"}
EXPECT = 8
# The attack itself worked (the instructor's autograded notebook shows what it printed) but the
# feedback returned to the student does not.
AUTOGRADED_SHOWS = ["LEAKED-INPUTS"]
FEEDBACK_HIDES = ["LEAKED-INPUTS"]
