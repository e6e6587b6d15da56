# Correct: the HTK book's form, 1127 ln(1 + f/700); its rounded constant moves the result by about 5e-6 relative.
def hz_to_mel(f):
    """Frequency in Hz -> mel, as the HTK book writes it."""
    return 1127.0 * np.log(1.0 + np.asarray(f, dtype=float) / 700.0)
