# Mistake: takes the square root (RMSE), which is not the mean squared error.
def content_loss(generated, target):
    return ((generated - target) ** 2).mean().sqrt()
