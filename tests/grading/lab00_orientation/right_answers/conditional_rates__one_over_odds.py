# Correct: P(AI | row) written as 1 / (1 + not_ai / ai), from the odds of using AI.
def conditional_rates(table):
    def rate(row):
        return 1.0 / (1.0 + float(table.loc[row, "not_ai"]) / float(table.loc[row, "ai"]))
    return rate(True), rate(False)
