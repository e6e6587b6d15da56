# Mistake: counts the distinct sensitive values of the smallest group only, not the least diverse group.
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
    groups = df.groupby(columns, dropna=False)[sensitive]
    smallest = groups.size().idxmin()
    return int(groups.get_group(smallest if isinstance(smallest, tuple) else (smallest,)).nunique(dropna=False))
