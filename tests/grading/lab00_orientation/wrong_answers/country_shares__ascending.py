# Mistake: sorts the shares from smallest to largest.
def country_shares(df, column):
    totals = df.groupby("country")[column].sum()
    return (totals / totals.sum()).sort_values()
