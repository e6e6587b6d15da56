# Correct: lesson 05's popularity_lifts (step 4), fed with how often each item occurs in the profile.
def popularity_lift(recommended, profile, item_popularity):
    # lesson code: lessons/05_data_ethics.ipynb, cell step4_lift
    def popularity_lifts(lists, seen, popularity):
        profile = (seen @ popularity) / seen.sum(axis=1)     # mean popularity of each listener's profile
        return (popularity[lists].mean(axis=1) - profile) / profile
    # end of lesson code
    popularity = np.asarray(item_popularity, dtype=float)
    recommended, profile = np.asarray(recommended, dtype=int), np.asarray(profile, dtype=int)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("popularity_lift needs a non-empty recommendation list and profile")
    if popularity[profile].mean() == 0:
        raise ValueError("the profile's mean popularity is 0")
    seen = np.bincount(profile, minlength=len(popularity))[None, :].astype(float)
    return float(popularity_lifts(recommended[None, :], seen, popularity)[0])
