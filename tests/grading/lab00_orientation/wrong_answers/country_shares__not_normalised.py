# Mistake: returns each country's count, not its share of the total.
def country_shares(df, column):
    return df.groupby("country")[column].sum().sort_values(ascending=False)
