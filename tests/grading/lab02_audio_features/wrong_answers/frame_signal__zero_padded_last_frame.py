# Mistake: zero-pads the end so the leftover samples get a frame of their own (librosa with center=False does not pad).
def frame_signal(y, frame_length, hop_length):
    """Cut y into overlapping frames: shape (n_frames, frame_length), no padding."""
    y = np.asarray(y)
    n_frames = 1 + int(np.ceil((len(y) - frame_length) / hop_length))
    padded = np.concatenate([y, np.zeros((n_frames - 1) * hop_length + frame_length - len(y), dtype=y.dtype)])
    return np.stack([padded[t * hop_length : t * hop_length + frame_length] for t in range(n_frames)])
