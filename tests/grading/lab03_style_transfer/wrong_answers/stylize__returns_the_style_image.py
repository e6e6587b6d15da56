# Mistake: (dishonest) returns the style image, resized to the content's shape, instead of
# optimising the photo's pixels. It has the right shape and range, moves the pixels and the
# average colour towards the style (the visible checks), but keeps nothing of the content.
# loses: test_stylize, test_stylize__defaults, test_stylize__weights, test_stylize__layer_weights
import torch.nn.functional as F
from creative_ai.style import check_image_tensor, check_same_device


def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    resized = F.interpolate(style, size=tuple(content.shape[-2:]), mode="bilinear", align_corners=False)
    return resized.clamp(0.0, 1.0).detach()
