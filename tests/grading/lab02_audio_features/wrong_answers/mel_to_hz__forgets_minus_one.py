# Mistake: forgets to subtract 1 before multiplying by 700, so mel 0 maps to 700 Hz.
def mel_to_hz(m):
    """Mel (HTK formula) -> frequency in Hz; the inverse of hz_to_mel."""
    return 700.0 * 10.0 ** (np.asarray(m, dtype=float) / 2595.0)
