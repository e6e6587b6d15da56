# Mistake: averages the two terms ((real + fake) / 2) instead of adding them.
def discriminator_loss(real_logits, fake_logits):
    real_term = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake_term = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return (real_term + fake_term) / 2
