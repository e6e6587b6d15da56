# Mistake: steps uphill (the sign of the update is flipped), so the losses grow.
# loses: test_stylize, test_stylize__defaults, test_stylize__weights, test_stylize__layer_weights
import torch


def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    lr = extractor.lr if lr is None else lr
    layers = [extractor.content_layer, *extractor.style_layers]

    def gram(f):
        b, c, h, w = f.shape
        flat = f.reshape(b, c, h * w)
        return flat @ flat.transpose(1, 2) / (c * h * w)

    with torch.no_grad():
        content_target = extractor(content, layers=layers)[extractor.content_layer]
        style_feats = extractor(style, layers=layers)
        style_targets = [gram(style_feats[layer]) for layer in extractor.style_layers]
    image = content.detach().clone().requires_grad_(True)
    for _ in range(steps):
        feats = extractor(image, layers=layers)
        loss = content_weight * ((feats[extractor.content_layer] - content_target) ** 2).mean()
        loss = loss + style_weight * sum(w * ((gram(feats[layer]) - t) ** 2).mean()
                                         for w, layer, t in zip(extractor.style_weights, extractor.style_layers, style_targets))
        (grad,) = torch.autograd.grad(loss, image)
        with torch.no_grad():
            image += lr * grad.sign()  # should be -=
            image.clamp_(0, 1)
    return image.detach()
