# Correct: the inverse of the HTK book's form, 700 (exp(m/1127) - 1); about 2e-5 relative from the base-10 form.
def mel_to_hz(m):
    """Mel -> frequency in Hz, as the HTK book writes it."""
    return 700.0 * (np.exp(np.asarray(m, dtype=float) / 1127.0) - 1.0)
