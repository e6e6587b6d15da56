# Mistake: synthesises the style's texture from noise and drops the content loss, so the photo is lost.
# loses: test_stylize, test_stylize__defaults, test_stylize__weights
import torch


def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    lr = extractor.lr if lr is None else lr

    def grams(image):
        feats = extractor(image, layers=list(extractor.style_layers))
        out = []
        for layer in extractor.style_layers:
            b, c, h, w = feats[layer].shape
            flat = feats[layer].reshape(b, c, h * w)
            out.append(flat @ flat.transpose(1, 2) / (c * h * w))
        return out

    with torch.no_grad():
        targets = grams(style)
    image = torch.rand(content.shape, generator=torch.Generator().manual_seed(0)).requires_grad_(True)
    optimizer = torch.optim.Adam([image], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = sum(w * ((g - t) ** 2).mean() for w, g, t in zip(extractor.style_weights, grams(image), targets))
        loss = style_weight * loss + tv_weight * ((image[..., 1:, :] - image[..., :-1, :]).abs().mean()
                                                 + (image[..., :, 1:] - image[..., :, :-1]).abs().mean())
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            image.clamp_(0, 1)
    return image.detach()
