# Mistake: returns the mean power (mean of squares) and forgets the square root.
def rms(frames):
    """Root-mean-square energy of each frame: shape (n_frames,)."""
    frames = np.asarray(frames, dtype=float)
    return np.mean(frames**2, axis=1)
