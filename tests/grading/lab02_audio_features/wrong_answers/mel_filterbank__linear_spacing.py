# Mistake: spaces the edges evenly in Hz instead of evenly on the mel scale.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    edges = np.linspace(fmin, fmax, n_mels + 2)
    bin_freqs = np.arange(1 + n_fft // 2) * sr / n_fft
    bank = np.zeros((n_mels, len(bin_freqs)))
    for i in range(n_mels):
        low, centre, high = edges[i], edges[i + 1], edges[i + 2]
        rising = (bin_freqs - low) / (centre - low)
        falling = (high - bin_freqs) / (high - centre)
        bank[i] = np.maximum(0.0, np.minimum(rising, falling))
    return bank
