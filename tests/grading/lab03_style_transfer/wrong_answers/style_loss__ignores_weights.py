# Mistake: forgets the per-layer weights.
# loses: test_style_loss
def style_loss(generated_features, target_grams, weights):
    if not len(generated_features) == len(target_grams) == len(weights):
        raise ValueError("one target Gram matrix and one weight per feature map, please")
    total = 0.0
    for features, target in zip(generated_features, target_grams):
        b, c, h, w = features.shape
        flat = features.reshape(b, c, h * w)
        total = total + ((flat @ flat.transpose(1, 2) / (c * h * w) - target) ** 2).mean()
    return total
