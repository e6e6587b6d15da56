# Mistake: sums the squared errors instead of averaging them.
def content_loss(generated, target):
    return ((generated - target) ** 2).sum()
