# Correct: the same HTK formula written with the natural logarithm, 2595 / ln(10) * ln(1 + f / 700).
def hz_to_mel(f):
    """Frequency in Hz -> mel (HTK formula); works on numbers and arrays."""
    return 2595.0 / np.log(10.0) * np.log1p(np.asarray(f, dtype=float) / 700.0)
