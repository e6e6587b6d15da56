# Correct: torch's default (unbiased, N - 1) standard deviation, which the task accepts.
def match_luminance(style, content):
    for name, image in (("style", style), ("content", content)):
        if not isinstance(image, torch.Tensor) or image.ndim != 4 or image.shape[1] != 3:
            raise ValueError(f"{name} must have shape (B, 3, H, W)")
    if len(style) != len(content):
        raise ValueError("style and content need the same batch size")
    luma_s = 0.299 * style[:, 0] + 0.587 * style[:, 1] + 0.114 * style[:, 2]
    luma_c = 0.299 * content[:, 0] + 0.587 * content[:, 1] + 0.114 * content[:, 2]
    s_mean, s_std = luma_s.mean(dim=(1, 2)), luma_s.std(dim=(1, 2))
    if (s_std < 1e-6).any():
        raise ValueError("the style's luma is constant")
    c_mean, c_std = luma_c.mean(dim=(1, 2)), luma_c.std(dim=(1, 2))
    matched = (c_std / s_std)[:, None, None] * (luma_s - s_mean[:, None, None]) + c_mean[:, None, None]
    return torch.stack([matched.clamp(0, 1)] * 3, dim=1)
