# Mistake: autocorrelates the raw envelope without removing its mean, which favours short lags (too fast a tempo).
def tempo_from_onset_envelope(onset_env, sr, hop_length, min_bpm, max_bpm):
    """Tempo in BPM from the autocorrelation of the mean-removed onset envelope."""
    x = np.asarray(onset_env, dtype=float)
    frames_per_minute = 60.0 * sr / hop_length
    lags = [lag for lag in range(1, len(x)) if min_bpm <= frames_per_minute / lag <= max_bpm]
    scores = [np.dot(x[:-lag], x[lag:]) for lag in lags]
    return float(frames_per_minute / lags[int(np.argmax(scores))])
