# Mistake: divides the Gram matrix by H*W instead of C*H*W as the task asks (off by a factor C per layer).
# loses: test_style_loss
def style_loss(generated_features, target_grams, weights):
    if not len(generated_features) == len(target_grams) == len(weights):
        raise ValueError("one target Gram matrix and one weight per feature map, please")
    total = 0.0
    for features, target, weight in zip(generated_features, target_grams, weights):
        b, c, h, w = features.shape
        flat = features.reshape(b, c, h * w)
        total = total + weight * ((flat @ flat.transpose(1, 2) / (h * w) - target) ** 2).mean()
    return total
