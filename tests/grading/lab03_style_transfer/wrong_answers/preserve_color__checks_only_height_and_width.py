# Mistake: compares only the heights and widths, so a batch of 1 against a batch of 2 is broadcast instead of refused.
# loses: test_preserve_color__rejects_bad_input
def preserve_color(stylized, content):
    if stylized.shape[-2:] != content.shape[-2:]:
        raise ValueError("stylized and content must have the same height and width")
    luma = lambda x: 0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    # I and Q of the content are kept and Y replaced: in RGB that adds the same shift to R, G and B
    return (content + (luma(stylized) - luma(content))).clamp(0.0, 1.0)
