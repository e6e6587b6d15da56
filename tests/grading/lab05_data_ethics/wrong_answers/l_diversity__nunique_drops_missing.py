# Mistake: pandas' nunique() ignores missing sensitive values by default, so "unknown" is not counted as a value.
# loses: test_l_diversity
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    missing = [c for c in columns + [sensitive] if c not in df.columns]
    if missing:
        raise KeyError(missing)
    if not columns:
        return int(df[sensitive].nunique())
    return int(df.groupby(columns, dropna=False)[sensitive].nunique().min())
