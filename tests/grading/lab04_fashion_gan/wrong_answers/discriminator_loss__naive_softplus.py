# Mistake: writes -log sigmoid(x) literally as log(1 + exp(-x)): exp overflows to inf for logits beyond about 88.
def discriminator_loss(real_logits, fake_logits):
    real_term = torch.log(1 + torch.exp(-real_logits)).mean()
    fake_term = torch.log(1 + torch.exp(fake_logits)).mean()
    return real_term + fake_term
