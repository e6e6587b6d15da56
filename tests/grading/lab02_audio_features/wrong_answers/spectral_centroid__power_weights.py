# Mistake: weights frequencies by power (S squared) instead of magnitude.
def spectral_centroid(S, freqs):
    """Magnitude-weighted mean frequency (Hz) of each frame of S (n_bins, n_frames)."""
    P = np.asarray(S, dtype=float) ** 2
    total = P.sum(axis=0)
    return np.divide(np.asarray(freqs, dtype=float) @ P, total, out=np.zeros_like(total), where=total > 0)
