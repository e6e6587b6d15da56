# Correct: YUV (BT.601) instead of YIQ, with the inverse matrix computed by torch.
def preserve_color(stylized, content):
    if stylized.shape != content.shape:
        raise ValueError(f"shapes differ: {tuple(stylized.shape)} vs {tuple(content.shape)}")
    to_yuv = torch.tensor([[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436], [0.615, -0.51499, -0.10001]])
    to_rgb = torch.linalg.inv(to_yuv)
    yuv_s = torch.einsum("ij,bjhw->bihw", to_yuv, stylized)
    yuv_c = torch.einsum("ij,bjhw->bihw", to_yuv, content)
    mixed = torch.cat([yuv_s[:, :1], yuv_c[:, 1:]], dim=1)
    return torch.einsum("ij,bjhw->bihw", to_rgb, mixed).clamp(0, 1)
