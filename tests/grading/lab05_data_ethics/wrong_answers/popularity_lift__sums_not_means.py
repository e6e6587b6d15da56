# Mistake: compares total popularity of the two lists, which depends on their lengths.
# loses: test_popularity_lift
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    profile_total = popularity[np.asarray(profile, dtype=int)].sum()
    if profile_total == 0:
        raise ValueError("profile popularity is 0")
    return float((popularity[np.asarray(recommended, dtype=int)].sum() - profile_total) / profile_total)
