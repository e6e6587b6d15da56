# Mistake: normalises along the wrong axis (each country's share of its own row total).
def country_shares(df, column):
    totals = df.groupby("country")[["image", "sound", "text"]].sum()
    return (totals[column] / totals.sum(axis=1)).sort_values(ascending=False)
