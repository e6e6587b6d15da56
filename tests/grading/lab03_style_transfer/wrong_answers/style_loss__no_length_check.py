# Mistake: never checks that the three lists have the same length (zip silently drops the extra items).
# loses: test_style_loss__rejects_bad_input
def style_loss(generated_features, target_grams, weights):
    total = 0.0
    for features, target, weight in zip(generated_features, target_grams, weights):
        b, c, h, w = features.shape
        flat = features.reshape(b, c, h * w)
        total = total + weight * ((flat @ flat.transpose(1, 2) / (c * h * w) - target) ** 2).mean()
    return total
