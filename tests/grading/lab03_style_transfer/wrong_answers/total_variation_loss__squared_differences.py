# Mistake: squares the neighbour differences instead of taking their absolute value.
def total_variation_loss(img):
    vertical = ((img[..., 1:, :] - img[..., :-1, :]) ** 2).mean()
    horizontal = ((img[..., :, 1:] - img[..., :, :-1]) ** 2).mean()
    return vertical + horizontal
