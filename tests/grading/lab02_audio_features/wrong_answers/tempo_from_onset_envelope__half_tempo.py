# Mistake: returns the tempo of the beat period in "half notes" (period doubled), i.e. half the tempo.
def tempo_from_onset_envelope(onset_env, sr, hop_length, min_bpm, max_bpm):
    """Tempo in BPM from the autocorrelation of the mean-removed onset envelope."""
    x = np.asarray(onset_env, dtype=float)
    x = x - x.mean()
    frames_per_minute = 60.0 * sr / hop_length
    lags = [lag for lag in range(1, len(x)) if min_bpm <= frames_per_minute / lag <= max_bpm]
    scores = [np.dot(x[:-lag], x[lag:]) for lag in lags]
    return float(frames_per_minute / (2 * lags[int(np.argmax(scores))]))
