# Mistake: divides by the number of neighbouring pairs (L - 1) instead of the frame length L.
def zero_crossing_rate(frames):
    """Fraction of sign changes in each frame (librosa's convention): shape (n_frames,)."""
    negative = np.asarray(frames, dtype=float) < 0
    crossings = negative[:, 1:] != negative[:, :-1]
    return crossings.sum(axis=1) / (negative.shape[1] - 1)
