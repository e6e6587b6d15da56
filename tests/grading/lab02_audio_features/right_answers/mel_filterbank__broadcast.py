# Correct: all triangles at once by broadcasting, in float32 like librosa.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    mels = np.linspace(2595 * np.log10(1 + fmin / 700), 2595 * np.log10(1 + fmax / 700), n_mels + 2)
    edges = 700 * (10 ** (mels / 2595) - 1)
    f = np.linspace(0, sr / 2, 1 + n_fft // 2)
    low, centre, high = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    bank = np.clip(np.minimum((f - low) / (centre - low), (high - f) / (high - centre)), 0, None)
    return bank.astype(np.float32)
