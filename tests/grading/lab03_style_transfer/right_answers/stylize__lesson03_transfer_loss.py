# Correct: lesson 03's own losses and its Adam loop (transfer_loss with optimize_image), with the lab's checks and weights.
# From lesson: lessons/03_style_transfer.ipynb
import torch.nn.functional as F
from creative_ai.style import check_image_tensor, check_same_device, load_extractor, optimize_image

extractor = load_extractor("squeezenet")  # the lesson's functions take it as a default argument


def gram(features):
    # (B, C, H, W) feature maps -> (B, C, C) channel correlations, divided by C*H*W
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


def style_targets(style_image, net=extractor):
    with torch.no_grad():
        return {layer: gram(f) for layer, f in net(style_image, layers=net.style_layers).items()}


def style_distance(image, target, net=extractor):
    features = net(image, layers=net.style_layers)
    return sum(w * ((gram(features[l]) - target[l]) ** 2).mean() for w, l in zip(net.style_weights, net.style_layers))


def content_distance(image, target, net=extractor, layer=None):
    layer = layer or net.content_layer
    return F.mse_loss(net(image, layers=[layer])[layer], target)


def tv(image):
    return (image[..., 1:, :] - image[..., :-1, :]).abs().mean() + (image[..., :, 1:] - image[..., :, :-1]).abs().mean()


def transfer_loss(style_target, style_weight=1.0, tv_weight=extractor.tv_weight, net=extractor, photo=None):
    photo = content if photo is None else photo
    with torch.no_grad():
        photo_features = net(photo, layers=[net.content_layer])[net.content_layer]

    def loss(image, crop=None):  # with jitter, optimize_image passes the crop it showed us
        if crop is None:
            c_target = photo_features
        else:                    # compare the crop with the same crop of the photo
            with torch.no_grad():
                c_target = net(crop(photo), layers=[net.content_layer])[net.content_layer]
        return {"content": content_distance(image, c_target, net=net),
                "style": style_weight * style_distance(image, style_target, net=net),
                "tv": tv_weight * tv(image)}
    return loss


def stylize(content, style, extractor, steps=150, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    # beyond the lesson: refuse bad input, and a content weight (the lesson fixes it to 1)
    check_image_tensor(content, "content", batch=1)
    check_image_tensor(style, "style", batch=1)
    check_same_device(content=content, style=style)
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    loss = transfer_loss(style_targets(style, net=extractor), style_weight, tv_weight, net=extractor, photo=content)

    def weighted(image):
        parts = loss(image)
        return {**parts, "content": content_weight * parts["content"]}

    image, _ = optimize_image(weighted, content, steps, lr=extractor.lr if lr is None else lr, progress=False)
    return image
