# Mistake: returns the ratio of mean popularities (1 = no lift) instead of the relative difference.
# loses: test_popularity_lift
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    profile_mean = popularity[np.asarray(profile, dtype=int)].mean()
    if profile_mean == 0:
        raise ValueError("profile popularity is 0")
    return float(popularity[np.asarray(recommended, dtype=int)].mean() / profile_mean)
