# Mistake: returns the number of distinct groups instead of the size of the smallest one.
# loses: test_k_anonymity
def k_anonymity(df, quasi_identifiers):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    if not columns:
        return len(df)
    return int(len(df.groupby(columns, dropna=False).size()))
