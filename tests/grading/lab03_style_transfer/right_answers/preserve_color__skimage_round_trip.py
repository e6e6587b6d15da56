# Correct: converts to NumPy and uses scikit-image's YIQ conversion, then back to a tensor.
from skimage.color import rgb2yiq, yiq2rgb


def preserve_color(stylized, content):
    if tuple(stylized.shape) != tuple(content.shape):
        raise ValueError("stylized and content must have the same shape")
    s = rgb2yiq(stylized.detach().permute(0, 2, 3, 1).numpy())
    c = rgb2yiq(content.detach().permute(0, 2, 3, 1).numpy())
    c[..., 0] = s[..., 0]
    rgb = np.clip(yiq2rgb(c), 0, 1)
    return torch.from_numpy(rgb).permute(0, 3, 1, 2).to(stylized.dtype).contiguous()
