# Mistake: treats the profile as a set of items (np.unique), so a repeated id counts once instead of once per occurrence.
# loses: test_popularity_lift
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    recommended = np.asarray(list(recommended), dtype=int)
    profile = np.unique(np.asarray(list(profile), dtype=int))
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    profile_mean = popularity[profile].mean()
    if profile_mean == 0:
        raise ValueError("profile popularity is 0")
    return float((popularity[recommended].mean() - profile_mean) / profile_mean)
