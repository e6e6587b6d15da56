# Mistake: sums |diff(sign)|, which is 2 for every -1/+1 change, so crossings are counted twice.
def zero_crossing_rate(frames):
    """Fraction of sign changes in each frame (librosa's convention): shape (n_frames,)."""
    signs = np.where(np.asarray(frames, dtype=float) < 0, -1, 1)
    return np.abs(np.diff(signs, axis=1)).sum(axis=1) / signs.shape[1]
