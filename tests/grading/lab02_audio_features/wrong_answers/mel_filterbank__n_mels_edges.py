# Mistake: spaces only n_mels edge points, so there are no outer edges for the first and last triangles.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    mel_min = 2595.0 * np.log10(1.0 + fmin / 700.0)
    mel_max = 2595.0 * np.log10(1.0 + fmax / 700.0)
    edges = 700.0 * (10.0 ** (np.linspace(mel_min, mel_max, n_mels) / 2595.0) - 1.0)
    edges = np.concatenate([[edges[0]], edges, [edges[-1] + 1.0]])
    bin_freqs = np.arange(1 + n_fft // 2) * sr / n_fft
    bank = np.zeros((n_mels, len(bin_freqs)))
    for i in range(n_mels):
        low, centre, high = edges[i], edges[i + 1], edges[i + 2]
        rising = (bin_freqs - low) / max(centre - low, 1e-9)
        falling = (high - bin_freqs) / (high - centre)
        bank[i] = np.maximum(0.0, np.minimum(rising, falling))
    return bank
