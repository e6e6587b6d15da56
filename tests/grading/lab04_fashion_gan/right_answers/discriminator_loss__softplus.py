# Correct: the softplus form, -log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
