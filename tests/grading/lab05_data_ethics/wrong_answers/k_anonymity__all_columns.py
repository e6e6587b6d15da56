# Mistake: groups by every column of the table, not only the quasi-identifiers.
# loses: test_k_anonymity, test_k_anonymity__edge_cases
def k_anonymity(df, quasi_identifiers):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(missing)
    return int(df.groupby(list(df.columns), dropna=False).size().min())
