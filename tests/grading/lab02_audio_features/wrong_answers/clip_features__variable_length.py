# Mistake: flattens MFCCs over time, so the vector's length depends on the clip's duration.
# loses: test_clip_features
def clip_features(y, sr):
    """A fixed-length, finite feature vector describing one clip."""
    mfcc = librosa.feature.mfcc(y=np.asarray(y, dtype=np.float32), sr=sr, n_mfcc=4, hop_length=2048)
    return mfcc.ravel()
