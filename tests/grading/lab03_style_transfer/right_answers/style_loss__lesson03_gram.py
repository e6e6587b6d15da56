# Correct: lesson 03's gram and its weighted mean of squared differences, adapted to lists of feature maps.
# From lesson: lessons/03_style_transfer.ipynb
def gram(features):
    # (B, C, H, W) feature maps -> (B, C, C) channel correlations, divided by C*H*W
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


def style_loss(generated_features, target_grams, weights):
    # beyond the lesson (which reads layers from a dict): check the three lists match
    if not len(generated_features) == len(target_grams) == len(weights):
        raise ValueError("expected one target Gram matrix and one weight per feature map")
    return sum(w * ((gram(f) - a) ** 2).mean() for f, a, w in zip(generated_features, target_grams, weights))
