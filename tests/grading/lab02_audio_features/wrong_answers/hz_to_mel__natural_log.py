# Mistake: uses the natural logarithm with the base-10 constant 2595 (the ln version needs 1127).
def hz_to_mel(f):
    """Frequency in Hz -> mel (HTK formula); works on numbers and arrays."""
    return 2595.0 * np.log(1.0 + np.asarray(f, dtype=float) / 700.0)
