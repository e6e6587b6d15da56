# Correct: the autocorrelation of every lag at once with the FFT (zero-padded, so not circular).
def tempo_from_onset_envelope(onset_env, sr, hop_length, min_bpm, max_bpm):
    x = np.asarray(onset_env, dtype=float)
    x = x - x.mean()
    size = 2 * len(x)
    spectrum = np.fft.rfft(x, size)
    autocorr = np.fft.irfft(spectrum * np.conj(spectrum), size)[: len(x)]
    lags = np.arange(1, len(x))
    bpm = 60.0 * sr / (hop_length * lags)
    allowed = lags[(bpm >= min_bpm) & (bpm <= max_bpm)]
    best = allowed[int(np.argmax(autocorr[allowed]))]
    return float(60.0 * sr / (hop_length * best))
