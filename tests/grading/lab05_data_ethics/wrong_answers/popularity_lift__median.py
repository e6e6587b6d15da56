# Mistake: compares median popularities instead of mean popularities.
# loses: test_popularity_lift
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=float)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty list")
    if popularity[np.asarray(profile, dtype=int)].mean() == 0:
        raise ValueError("profile popularity is 0")
    profile_median = np.median(popularity[np.asarray(profile, dtype=int)])
    return float((np.median(popularity[np.asarray(recommended, dtype=int)]) - profile_median) / profile_median)
