# Correct: one frame at a time, with an explicit branch for silent frames.
def spectral_centroid(S, freqs):
    """Magnitude-weighted mean frequency (Hz) of each frame of S (n_bins, n_frames)."""
    S = np.asarray(S, dtype=float)
    out = []
    for t in range(S.shape[1]):
        total = S[:, t].sum()
        out.append(0.0 if total == 0 else float(np.sum(freqs * S[:, t]) / total))
    return np.array(out)
