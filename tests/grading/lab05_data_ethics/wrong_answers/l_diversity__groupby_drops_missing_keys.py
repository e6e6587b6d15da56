# Mistake: groupby's default drops rows with a missing quasi-identifier, so their group is never checked.
# loses: test_l_diversity
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    missing = [c for c in columns + [sensitive] if c not in df.columns]
    if missing:
        raise KeyError(missing)
    if not columns:
        return int(df[sensitive].nunique(dropna=False))
    return int(df.groupby(columns)[sensitive].nunique(dropna=False).min())
