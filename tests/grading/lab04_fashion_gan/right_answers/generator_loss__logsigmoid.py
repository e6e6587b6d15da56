# Correct: -mean(logsigmoid(f)), numerically stable.
def generator_loss(fake_logits):
    return -F.logsigmoid(fake_logits).mean()
