# Mistake: normalises by the clip's RMS, which is 0 for silence, so silent clips give NaN.
# loses: test_clip_features
def clip_features(y, sr):
    """A fixed-length, finite feature vector describing one clip."""
    y = np.asarray(y, dtype=np.float32)
    y = y / np.sqrt(np.mean(y**2))
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    flatness = librosa.feature.spectral_flatness(y=y)
    onsets = librosa.onset.onset_strength(y=y, sr=sr)
    return np.concatenate([mfcc.mean(axis=1), mfcc.std(axis=1), [flatness.mean(), onsets.mean(), onsets.std()]])
