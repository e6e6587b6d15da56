# Correct: drops duplicate (quasi-identifiers, sensitive) rows (pandas treats missing values as equal), then takes the smallest group.
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if df.empty:
        raise ValueError("empty table")
    unknown = [c for c in columns + [sensitive] if c not in df]
    if unknown:
        raise KeyError(unknown)
    distinct = df[columns + [sensitive]].drop_duplicates()
    if not columns:
        return len(distinct)
    return int(distinct.groupby(columns, dropna=False).size().min())
