# Mistake: checks its input but never optimises: returns a copy of the photo.
# loses: test_stylize, test_stylize__defaults, test_stylize__weights, test_stylize__layer_weights
def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    return content.detach().clone()
