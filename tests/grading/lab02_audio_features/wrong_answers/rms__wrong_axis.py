# Mistake: averages over axis 0 (across frames) instead of within each frame.
def rms(frames):
    """Root-mean-square energy of each frame: shape (n_frames,)."""
    frames = np.asarray(frames, dtype=float)
    return np.sqrt(np.mean(frames**2, axis=0))
