# Correct: lesson 05's popularity_lifts (step 4), fed with how often each item occurs in the profile.
# From lesson: lessons/05_data_ethics.ipynb
import numpy as np


def popularity_lifts(lists, seen, popularity):
    profile = (seen @ popularity) / seen.sum(axis=1)     # mean popularity of each listener's profile
    return (popularity[lists].mean(axis=1) - profile) / profile


def popularity_lift(recommended, profile, item_popularity):
    # Adapter: one listener as a one-row matrix whose entries count each item's occurrences in the
    # profile (the lesson's 0/1 matrix never repeats an item); the lab's errors are added.
    popularity = np.asarray(item_popularity, dtype=float)
    recommended, profile = np.asarray(recommended, dtype=int), np.asarray(profile, dtype=int)
    if len(recommended) == 0 or len(profile) == 0:
        raise ValueError("popularity_lift needs a non-empty recommendation list and profile")
    if popularity[profile].mean() == 0:
        raise ValueError("the profile's mean popularity is 0")
    seen = np.bincount(profile, minlength=len(popularity))[None, :].astype(float)
    return float(popularity_lifts(recommended[None, :], seen, popularity)[0])
