# Mistake: groupby's default drops rows with missing values, hiding the rarest groups.
# loses: test_k_anonymity
def k_anonymity(df, quasi_identifiers):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    if not columns:
        return len(df)
    return int(df.groupby(columns).size().min())
