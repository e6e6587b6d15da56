# Mistake: labels swapped: real -> 0 and fake -> 1.
def discriminator_loss(real_logits, fake_logits):
    return (F.binary_cross_entropy_with_logits(real_logits, torch.zeros_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)))
