# Correct: a NumPy-only design (log band energies, loudness and zero-crossing statistics) with no librosa.
def clip_features(y, sr):
    """A fixed-length, finite feature vector describing one clip."""
    y = np.asarray(y, dtype=float)
    n_fft, hop = 1024, 512
    if len(y) < n_fft:
        y = np.concatenate([y, np.zeros(n_fft - len(y))])
    starts = np.arange(0, len(y) - n_fft + 1, hop)
    frames = y[starts[:, None] + np.arange(n_fft)] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(n_fft, 1 / sr)
    edges = np.geomspace(40, sr / 2, 17)
    bands = np.stack([power[:, (freqs >= lo) & (freqs < hi)].sum(axis=1) for lo, hi in zip(edges[:-1], edges[1:])], axis=1)
    log_bands = np.log10(bands + 1e-10)
    loudness = np.sqrt((frames**2).mean(axis=1))
    flux = np.maximum(np.diff(log_bands, axis=0), 0).sum(axis=1) if len(frames) > 1 else np.zeros(1)
    signs = frames < 0
    zcr = (signs[:, 1:] != signs[:, :-1]).mean(axis=1)
    return np.concatenate([log_bands.mean(axis=0), log_bands.std(axis=0),
                           [loudness.mean(), loudness.std(), flux.mean(), flux.std(), zcr.mean(), zcr.std()]])
