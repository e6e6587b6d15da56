# Mistake: applies the sigmoid first, then BCE on probabilities: wrong for confident logits (sigmoid(30) rounds to 1).
def discriminator_loss(real_logits, fake_logits):
    real_p, fake_p = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    return (F.binary_cross_entropy(real_p, torch.ones_like(real_p))
            + F.binary_cross_entropy(fake_p, torch.zeros_like(fake_p)))
