# Mistake: forgets the "+ 1" in the frame count, so the last full frame is dropped.
def frame_signal(y, frame_length, hop_length):
    """Cut y into overlapping frames: shape (n_frames, frame_length), no padding."""
    y = np.asarray(y)
    n_frames = (len(y) - frame_length) // hop_length
    return np.stack([y[t * hop_length : t * hop_length + frame_length] for t in range(n_frames)])
