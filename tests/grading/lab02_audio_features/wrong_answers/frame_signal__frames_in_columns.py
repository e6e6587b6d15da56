# Mistake: returns librosa's layout (frame_length, n_frames) instead of one frame per row.
def frame_signal(y, frame_length, hop_length):
    """Cut y into overlapping frames: shape (n_frames, frame_length), no padding."""
    y = np.asarray(y)
    n_frames = 1 + (len(y) - frame_length) // hop_length
    return np.stack([y[t * hop_length : t * hop_length + frame_length] for t in range(n_frames)], axis=1)
