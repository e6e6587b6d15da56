# Correct: the HTK book's constants, 1127 ln(1 + f/700) and its inverse, used both ways.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    to_mel = lambda f: 1127.0 * np.log(1.0 + f / 700.0)
    to_hz = lambda m: 700.0 * (np.exp(m / 1127.0) - 1.0)
    edges = to_hz(np.linspace(to_mel(fmin), to_mel(fmax), n_mels + 2))
    freqs = np.arange(1 + n_fft // 2) * sr / n_fft
    bank = np.zeros((n_mels, len(freqs)))
    for i in range(n_mels):
        rising = (freqs - edges[i]) / (edges[i + 1] - edges[i])
        falling = (edges[i + 2] - freqs) / (edges[i + 2] - edges[i + 1])
        bank[i] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank
