# Correct: a plain loop with collections.Counter, mapping every missing value to one marker.
def k_anonymity(df, quasi_identifiers):
    from collections import Counter
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    if df.shape[0] == 0:
        raise ValueError("the table is empty")
    for column in quasi_identifiers:
        if column not in df.columns:
            raise ValueError(f"unknown column {column!r}")
    counts = Counter()
    for _, row in df.iterrows():
        counts[tuple("<NA>" if pd.isna(row[c]) else row[c] for c in quasi_identifiers)] += 1
    return min(counts.values())
