# Correct: the inverse written with expm1, 700 * (exp(m * ln(10) / 2595) - 1).
def mel_to_hz(m):
    """Mel (HTK formula) -> frequency in Hz; the inverse of hz_to_mel."""
    return 700.0 * np.expm1(np.asarray(m, dtype=float) * np.log(10.0) / 2595.0)
