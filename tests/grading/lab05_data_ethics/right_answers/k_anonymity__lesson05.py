# Correct: lesson 05's k_of (step 7), with the task's special cases and errors.
def k_anonymity(df, quasi_identifiers):
    # lesson code: lessons/05_data_ethics.ipynb, cell step7_kanon
    def k_of(table, quasi_identifiers):
        return int(table.groupby(quasi_identifiers, dropna=False).size().min())
    # end of lesson code
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    if any(c not in df.columns for c in columns):
        raise KeyError(f"unknown column among {columns}")
    return k_of(df, columns) if columns else len(df)
