# Mistake: divides the difference by the recommendations' popularity instead of the profile's.
# loses: test_popularity_lift
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    profile_mean = popularity[np.asarray(profile, dtype=int)].mean()
    if profile_mean == 0:
        raise ValueError("profile popularity is 0")
    recommended_mean = popularity[np.asarray(recommended, dtype=int)].mean()
    return float((recommended_mean - profile_mean) / recommended_mean)
