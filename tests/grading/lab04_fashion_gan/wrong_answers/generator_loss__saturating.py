# Mistake: the saturating (minimax) loss, mean log(1 - sigmoid(f)), instead of the non-saturating one.
def generator_loss(fake_logits):
    return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
