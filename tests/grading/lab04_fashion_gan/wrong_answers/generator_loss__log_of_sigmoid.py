# Mistake: -log(sigmoid(f)) computed naively: the sigmoid underflows to 0 for very negative logits (inf loss).
def generator_loss(fake_logits):
    return -torch.log(torch.sigmoid(fake_logits)).mean()
