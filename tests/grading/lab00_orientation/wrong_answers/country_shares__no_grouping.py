# Mistake: divides each row by the total without adding up the rows of the same country.
def country_shares(df, column):
    shares = df.set_index("country")[column] / df[column].sum()
    return shares.sort_values(ascending=False)
