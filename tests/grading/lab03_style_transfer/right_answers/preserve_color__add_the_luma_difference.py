# Correct: adds the luma difference to all three channels of the content (YIQ's chroma rows sum to zero, so this keeps I and Q).
def preserve_color(stylized, content):
    if stylized.shape != content.shape:
        raise ValueError(f"shapes differ: {tuple(stylized.shape)} and {tuple(content.shape)}")
    luma = lambda x: 0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    return (content + (luma(stylized) - luma(content))).clamp(0.0, 1.0)
