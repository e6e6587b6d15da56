# Mistake: conditions on the wrong variable, giving P(creative | AI) and P(creative | not AI).
def conditional_rates(table):
    ai, not_ai = table["ai"], table["not_ai"]
    return float(ai[True] / ai.sum()), float(not_ai[True] / not_ai.sum())
