# Mistake: uses the plain mean of R, G and B as the luminance instead of Y = 0.299 R + 0.587 G + 0.114 B.
# loses: test_preserve_color
def preserve_color(stylized, content):
    if stylized.shape != content.shape:
        raise ValueError("stylized and content must have the same shape")
    y_stylized = stylized.mean(dim=1, keepdim=True)
    y_content = content.mean(dim=1, keepdim=True)
    return (content + (y_stylized - y_content)).clamp(0, 1)
