# Mistake: l is right, but an empty table gives 0 and an unknown sensitive column gives 0 instead of an error.
# loses: test_l_diversity__errors
def l_diversity(df, quasi_identifiers, sensitive):
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        return 0
    if not columns:
        return int(df[sensitive].nunique(dropna=False)) if sensitive in df.columns else 0
    return int(df.groupby(columns, dropna=False)[sensitive].nunique(dropna=False).min())
