# Mistake: uses the standard deviation, which subtracts each frame's mean first.
def rms(frames):
    """Root-mean-square energy of each frame: shape (n_frames,)."""
    return np.std(np.asarray(frames, dtype=float), axis=1)
