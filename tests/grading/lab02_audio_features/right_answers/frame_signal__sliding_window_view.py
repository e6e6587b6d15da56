# Correct: NumPy's sliding_window_view takes every window, then every hop_length-th is kept.
def frame_signal(y, frame_length, hop_length):
    """Cut y into overlapping frames: shape (n_frames, frame_length), no padding."""
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(y), frame_length)
    return windows[::hop_length]
