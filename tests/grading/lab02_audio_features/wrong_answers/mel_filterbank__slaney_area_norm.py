# Mistake: area-normalises the triangles (librosa's default norm="slaney") instead of peak height 1.
def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    """Triangular mel filters (HTK mel scale, peak height 1): shape (n_mels, 1 + n_fft // 2)."""
    return librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=True)
