# Mistake: computes the loss with NumPy and returns a float, so no gradient can flow back.
def discriminator_loss(real_logits, fake_logits):
    r = real_logits.detach().numpy().astype(float)
    f = fake_logits.detach().numpy().astype(float)
    return float(np.logaddexp(0, -r).mean() + np.logaddexp(0, f).mean())
