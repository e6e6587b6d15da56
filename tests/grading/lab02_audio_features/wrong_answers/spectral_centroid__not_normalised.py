# Mistake: forgets to divide by the total magnitude, so the result is not a frequency.
def spectral_centroid(S, freqs):
    """Magnitude-weighted mean frequency (Hz) of each frame of S (n_bins, n_frames)."""
    S = np.asarray(S, dtype=float)
    return np.asarray(freqs, dtype=float) @ S
