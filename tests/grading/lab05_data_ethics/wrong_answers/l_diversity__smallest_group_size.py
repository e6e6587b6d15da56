# Mistake: returns the size of the smallest group (that is k-anonymity), not its number of distinct sensitive values.
# loses: test_l_diversity
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    missing = [c for c in columns + [sensitive] if c not in df.columns]
    if missing:
        raise KeyError(missing)
    if not columns:
        return len(df)
    return int(df.groupby(columns, dropna=False).size().min())
