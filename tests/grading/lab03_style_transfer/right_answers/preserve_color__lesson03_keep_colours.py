# Correct: lesson 03's keep_colours (scikit-image, one image at a time), adapted to batches and tensors.
# From lesson: lessons/03_style_transfer.ipynb
def keep_colours(stylised, photo):
    stylised_yiq = rgb2yiq(tensor_to_image(stylised))
    photo_yiq = rgb2yiq(tensor_to_image(photo))
    mixed = np.concatenate([stylised_yiq[..., :1], photo_yiq[..., 1:]], axis=-1)   # Y from one, I and Q from the other
    return np.clip(yiq2rgb(mixed), 0, 1)


def preserve_color(stylized, content):
    # beyond the lesson: refuse different shapes, handle a batch, return a tensor
    if stylized.shape != content.shape:
        raise ValueError(f"stylized and content must have the same shape, got {tuple(stylized.shape)} and {tuple(content.shape)}")
    images = [torch.from_numpy(keep_colours(stylized[i:i + 1], content[i:i + 1])).permute(2, 0, 1)
              for i in range(stylized.shape[0])]
    return torch.stack(images).to(stylized.dtype)
