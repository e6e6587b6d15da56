# Mistake: calls librosa's default (Slaney) mel scale instead of the HTK formula the task asks for.
def hz_to_mel(f):
    """Frequency in Hz -> mel (HTK formula); works on numbers and arrays."""
    return librosa.hz_to_mel(np.asarray(f, dtype=float))
