# Mistake: reads cells by position, which breaks when rows or columns come in another order.
def conditional_rates(table):
    values = table.to_numpy()
    return float(values[0, 0] / values[0].sum()), float(values[1, 0] / values[1].sum())
