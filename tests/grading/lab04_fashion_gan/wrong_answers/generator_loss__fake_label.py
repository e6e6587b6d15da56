# Mistake: uses the label 0 (fake), the discriminator's target, instead of 1.
def generator_loss(fake_logits):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
