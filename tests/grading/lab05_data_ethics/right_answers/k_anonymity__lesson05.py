# Correct: lesson 05's k_of (step 7), with the task's special forms of the columns and its errors.
# From lesson: lessons/05_data_ethics.ipynb


def k_of(table, quasi_identifiers):
    return int(table.groupby(quasi_identifiers, dropna=False).size().min())


def k_anonymity(df, quasi_identifiers):
    # Adapter: the lesson always names columns of a non-empty table; the lab also takes a
    # string, an empty list, and asks for errors.
    columns = [quasi_identifiers] if isinstance(quasi_identifiers, str) else list(quasi_identifiers)
    if len(df) == 0:
        raise ValueError("empty table")
    if any(c not in df.columns for c in columns):
        raise KeyError(f"unknown column among {columns}")
    return k_of(df, columns) if columns else len(df)
