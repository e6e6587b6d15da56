# Correct: the same formula computed in float32, as librosa does for float32 audio (relative error about 1e-6).
def spectral_centroid(S, freqs):
    S = np.asarray(S, dtype=np.float32)
    freqs = np.asarray(freqs, dtype=np.float32)
    total = S.sum(axis=0)
    centroid = np.zeros(S.shape[1], dtype=np.float32)
    nonzero = total > 0
    centroid[nonzero] = (freqs[:, None] * S[:, nonzero]).sum(axis=0) / total[nonzero]
    return centroid
