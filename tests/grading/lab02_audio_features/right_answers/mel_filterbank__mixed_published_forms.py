# Correct: 2595 log10(1 + f/700) to mel and the HTK book's 700 (exp(m/1127) - 1) back: two published
# forms of the same curve, mixed; the edges move by about 2e-5 relative, the weights by less than 1e-3.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    mels = np.linspace(2595 * np.log10(1 + fmin / 700), 2595 * np.log10(1 + fmax / 700), n_mels + 2)
    edges = 700 * (np.exp(mels / 1127) - 1)
    freqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    lower = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    return np.maximum(0, np.minimum(lower, upper))
