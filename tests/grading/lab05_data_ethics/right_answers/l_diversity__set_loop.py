# Correct: a plain loop collecting each group's set of sensitive values, missing values mapped to one marker.
def l_diversity(df, quasi_identifiers, sensitive):
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    if df.shape[0] == 0:
        raise ValueError("the table is empty")
    for column in list(quasi_identifiers) + [sensitive]:
        if column not in df.columns:
            raise ValueError(f"unknown column {column!r}")
    values = {}
    for _, row in df.iterrows():
        key = tuple("<NA>" if pd.isna(row[c]) else row[c] for c in quasi_identifiers)
        values.setdefault(key, set()).add("<NA>" if pd.isna(row[sensitive]) else row[sensitive])
    return min(len(v) for v in values.values())
