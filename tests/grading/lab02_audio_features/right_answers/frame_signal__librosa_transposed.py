# Correct: librosa's own framing, transposed to one frame per row (as the task allows for checking).
def frame_signal(y, frame_length, hop_length):
    """Cut y into overlapping frames: shape (n_frames, frame_length), no padding."""
    return librosa.util.frame(np.ascontiguousarray(y), frame_length=frame_length, hop_length=hop_length).T
