# Correct: lesson 03's own tv, unchanged, under the lab's name.
# From lesson: lessons/03_style_transfer.ipynb
def tv(image):
    return (image[..., 1:, :] - image[..., :-1, :]).abs().mean() + (image[..., :, 1:] - image[..., :, :-1]).abs().mean()


def total_variation_loss(img):
    return tv(img)
