# Mistake: two overall numbers (loudness and zero-crossing rate) cannot tell eight genres apart.
# loses: test_clip_features__accuracy
def clip_features(y, sr):
    """A fixed-length, finite feature vector describing one clip."""
    y = np.asarray(y, dtype=float)
    signs = y < 0
    return np.array([np.sqrt(np.mean(y**2)), np.mean(signs[1:] != signs[:-1])])
