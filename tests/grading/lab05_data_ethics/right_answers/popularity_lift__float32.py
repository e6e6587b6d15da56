# Correct: float32 popularity, which the task allows (differences in the 7th digit).
def popularity_lift(recommended, profile, item_popularity):
    popularity = np.asarray(item_popularity, dtype=np.float32)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("empty recommendation list or profile")
    profile_mean = popularity[np.asarray(profile, dtype=int)].mean(dtype=np.float32)
    if profile_mean == 0:
        raise ValueError("the profile's mean popularity is 0")
    return (popularity[np.asarray(recommended, dtype=int)].mean(dtype=np.float32) - profile_mean) / profile_mean
