# Correct: lesson 03's own gram, unchanged, under the lab's name.
# From lesson: lessons/03_style_transfer.ipynb
def gram(features):
    # (B, C, H, W) feature maps -> (B, C, C) channel correlations, divided by C*H*W
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


def gram_matrix(features):
    return gram(features)
