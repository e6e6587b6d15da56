# Correct: L-BFGS with a strong-Wolfe line search through creative_ai.style.optimize_image, default 60 evaluations.
from creative_ai.style import optimize_image


def stylize(content, style, extractor, steps=60, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    layers = [extractor.content_layer, *extractor.style_layers]

    def grams(features):
        result = {}
        for layer in extractor.style_layers:
            b, c, h, w = features[layer].shape
            flat = features[layer].reshape(b, c, h * w)
            result[layer] = flat @ flat.transpose(1, 2) / (c * h * w)
        return result

    with torch.no_grad():
        target_content = extractor(content, layers=layers)[extractor.content_layer]
        target_grams = grams(extractor(style, layers=layers))

    def loss(image):
        features = extractor(image, layers=layers)
        mine = grams(features)
        style_part = sum(w * ((mine[l] - target_grams[l]) ** 2).mean()
                         for w, l in zip(extractor.style_weights, extractor.style_layers))
        tv = (image[..., 1:, :] - image[..., :-1, :]).abs().mean() + (image[..., :, 1:] - image[..., :, :-1]).abs().mean()
        return {"content": content_weight * ((features[extractor.content_layer] - target_content) ** 2).mean(),
                "style": style_weight * style_part, "tv": tv_weight * tv}

    image, _ = optimize_image(loss, content, steps, method="lbfgs", progress=False)
    return image
