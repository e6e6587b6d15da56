# Mistake: gives every style layer the same weight, ignoring extractor.style_weights.
# loses: test_stylize__layer_weights
import torch


def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    lr = extractor.lr if lr is None else lr
    layers = [extractor.content_layer, *extractor.style_layers]

    def grams(features):
        out = []
        for layer in extractor.style_layers:
            b, c, h, w = features[layer].shape
            flat = features[layer].reshape(b, c, h * w)
            out.append(flat @ flat.transpose(1, 2) / (c * h * w))
        return out

    with torch.no_grad():
        content_target = extractor(content, layers=layers)[extractor.content_layer]
        style_targets = grams(extractor(style, layers=layers))
    image = content.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([image], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        features = extractor(image, layers=layers)
        c_loss = ((features[extractor.content_layer] - content_target) ** 2).mean()
        s_loss = sum(((g - t) ** 2).mean() for g, t in zip(grams(features), style_targets))
        tv = (image[..., 1:, :] - image[..., :-1, :]).abs().mean() + (image[..., :, 1:] - image[..., :, :-1]).abs().mean()
        loss = content_weight * c_loss + style_weight * s_loss + tv_weight * tv
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            image.clamp_(0.0, 1.0)
    return image.detach()
