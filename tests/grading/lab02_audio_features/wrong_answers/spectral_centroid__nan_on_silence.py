# Mistake: divides by the frame's total without guarding against silence, giving NaN instead of 0.
def spectral_centroid(S, freqs):
    """Magnitude-weighted mean frequency (Hz) of each frame of S (n_bins, n_frames)."""
    S = np.asarray(S, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.asarray(freqs, dtype=float) @ S) / S.sum(axis=0)
