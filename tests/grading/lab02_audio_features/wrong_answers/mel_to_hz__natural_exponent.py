# Mistake: inverts with exp instead of a power of 10.
def mel_to_hz(m):
    """Mel (HTK formula) -> frequency in Hz; the inverse of hz_to_mel."""
    return 700.0 * (np.exp(np.asarray(m, dtype=float) / 2595.0) - 1.0)
