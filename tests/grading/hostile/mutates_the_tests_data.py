"""Wrong answer: changes the test's data frame in place (every row the same country), then returns
the right shares *for the changed data*, hoping the test computes its expected value afterwards."""
LAB = "lab00_orientation"
BASE = "solution"
REPLACE = {"country_shares": """
def country_shares(df, column):
    df["country"] = df["country"].iloc[0]
    totals = df.groupby("country")[column].sum()
    return totals / totals.sum()
"""}
EXPECT = 5
