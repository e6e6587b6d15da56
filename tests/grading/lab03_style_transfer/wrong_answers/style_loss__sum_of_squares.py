# Mistake: sums the squared Gram differences instead of taking their mean.
# loses: test_style_loss
def style_loss(generated_features, target_grams, weights):
    if not len(generated_features) == len(target_grams) == len(weights):
        raise ValueError("one target Gram matrix and one weight per feature map, please")
    total = 0.0
    for features, target, weight in zip(generated_features, target_grams, weights):
        b, c, h, w = features.shape
        flat = features.reshape(b, c, h * w)
        total = total + weight * ((flat @ flat.transpose(1, 2) / (c * h * w) - target) ** 2).sum()
    return total
