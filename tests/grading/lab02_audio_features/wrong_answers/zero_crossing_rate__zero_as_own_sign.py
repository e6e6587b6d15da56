# Mistake: uses np.sign, so 0 is a third sign and 1 -> 0 -> -1 counts as two crossings.
def zero_crossing_rate(frames):
    """Fraction of sign changes in each frame (librosa's convention): shape (n_frames,)."""
    signs = np.sign(np.asarray(frames, dtype=float))
    crossings = signs[:, 1:] != signs[:, :-1]
    return crossings.sum(axis=1) / signs.shape[1]
