# Correct: explicit loops over frames and neighbouring samples.
def zero_crossing_rate(frames):
    """Fraction of sign changes in each frame (librosa's convention): shape (n_frames,)."""
    rates = []
    for frame in frames:
        count = 0
        for a, b in zip(frame[:-1], frame[1:]):
            if (a < 0) != (b < 0):
                count += 1
        rates.append(count / len(frame))
    return np.array(rates)
