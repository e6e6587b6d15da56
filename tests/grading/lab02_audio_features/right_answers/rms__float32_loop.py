# Correct: a plain loop over frames that keeps the input's float32 precision.
def rms(frames):
    """Root-mean-square energy of each frame: shape (n_frames,)."""
    result = np.zeros(len(frames), dtype=np.float32)
    for t, frame in enumerate(frames):
        result[t] = np.sqrt(np.dot(frame, frame) / len(frame))
    return result
