# Correct: plain dictionaries instead of groupby, returning a Series built from a sorted list.
import pandas as pd


def country_shares(df, column):
    totals = {}
    for country, value in zip(df["country"], df[column]):
        totals[country] = totals.get(country, 0) + value
    grand_total = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return pd.Series({country: value / grand_total for country, value in ranked})
