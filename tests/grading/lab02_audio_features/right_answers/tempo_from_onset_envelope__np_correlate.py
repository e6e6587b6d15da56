# Correct: np.correlate gives every lag at once; the allowed lags are found from the BPM bounds.
def tempo_from_onset_envelope(onset_env, sr, hop_length, min_bpm, max_bpm):
    """Tempo in BPM from the autocorrelation of the mean-removed onset envelope."""
    x = np.asarray(onset_env, dtype=np.float64)
    x = x - x.mean()
    ac = np.correlate(x, x, mode="full")[len(x) - 1:]
    lags = np.arange(len(x))
    with np.errstate(divide="ignore"):
        bpm = 60.0 * sr / (hop_length * lags)
    allowed = (lags >= 1) & (bpm >= min_bpm) & (bpm <= max_bpm)
    candidates = lags[allowed]
    best = candidates[np.argmax(ac[allowed])]
    return 60.0 * sr / (hop_length * best)
