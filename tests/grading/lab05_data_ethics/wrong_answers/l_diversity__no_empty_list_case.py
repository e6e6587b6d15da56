# Mistake: l is right for named columns, but an empty list of quasi-identifiers reaches groupby([]), which raises instead of making one group.
# loses: test_l_diversity__edge_cases
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    missing = [c for c in columns + [sensitive] if c not in df.columns]
    if missing:
        raise KeyError(missing)
    return int(df.groupby(columns, dropna=False)[sensitive].nunique(dropna=False).min())
