# Mistake: mean absolute error (L1) instead of mean squared error.
def content_loss(generated, target):
    return (generated - target).abs().mean()
