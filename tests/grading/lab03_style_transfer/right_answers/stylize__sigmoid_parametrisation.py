# Correct: optimises unconstrained logits and maps them through a sigmoid, so pixels never leave (0, 1).
def stylize(content, style, extractor, steps=200, style_weight=1.0, content_weight=1.0, tv_weight=None, lr=None):
    for name, image in (("content", content), ("style", style)):
        if not isinstance(image, torch.Tensor) or image.ndim != 4 or image.shape[:2] != (1, 3):
            raise ValueError(f"{name}: expected a tensor of shape (1, 3, H, W), got {getattr(image, 'shape', image)}")
        if not image.is_floating_point() or float(image.min()) < 0 or float(image.max()) > 1:
            raise ValueError(f"{name}: expected float values in [0, 1]")
    if content.device != style.device:
        raise ValueError(f"content is on {content.device}, style on {style.device}")
    tv_weight = extractor.tv_weight if tv_weight is None else tv_weight
    lr = 4 * (extractor.lr if lr is None else lr)  # a sigmoid's slope is at most 1/4
    layers = [extractor.content_layer, *extractor.style_layers]

    def gram(f):
        return torch.einsum("bihw,bjhw->bij", f, f) / f[0].numel()

    with torch.no_grad():
        target_content = extractor(content, layers=layers)[extractor.content_layer]
        style_features = extractor(style, layers=layers)
        target_grams = [gram(style_features[l]) for l in extractor.style_layers]
    logits = torch.logit(content.detach().clamp(1e-3, 1 - 1e-3)).requires_grad_(True)
    optimizer = torch.optim.Adam([logits], lr=lr)
    for _ in range(steps):
        image = torch.sigmoid(logits)
        features = extractor(image, layers=layers)
        loss = content_weight * ((features[extractor.content_layer] - target_content) ** 2).mean()
        for weight, layer, target in zip(extractor.style_weights, extractor.style_layers, target_grams):
            loss = loss + style_weight * weight * ((gram(features[layer]) - target) ** 2).mean()
        loss = loss + tv_weight * (torch.diff(image, dim=2).abs().mean() + torch.diff(image, dim=3).abs().mean())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return torch.sigmoid(logits).detach()
