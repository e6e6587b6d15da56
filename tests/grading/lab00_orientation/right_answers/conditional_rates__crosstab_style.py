# Correct: normalises each row with div and returns numpy floats.
def conditional_rates(table):
    rates = table[["ai", "not_ai"]].div(table[["ai", "not_ai"]].sum(axis=1), axis=0)["ai"]
    return rates.at[True], rates.at[False]
