# Mistake: divides by the grand total, giving joint probabilities P(AI and creative).
def conditional_rates(table):
    total = table.to_numpy().sum()
    return float(table.loc[True, "ai"] / total), float(table.loc[False, "ai"] / total)
