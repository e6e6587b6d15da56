# Mistake: the lift is right, but a profile of popularity 0 gives inf or nan instead of a ValueError.
# loses: test_popularity_lift__errors
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    profile_mean = popularity[np.asarray(profile, dtype=int)].mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float((popularity[np.asarray(recommended, dtype=int)].mean() - profile_mean) / profile_mean)
