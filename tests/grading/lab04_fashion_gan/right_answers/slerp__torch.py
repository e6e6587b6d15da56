# Correct: computed with torch in float64, angle threshold instead of sin threshold, returned as NumPy.
def slerp(z0, z1, t):
    a = torch.as_tensor(np.asarray(z0, dtype=float))
    b = torch.as_tensor(np.asarray(z1, dtype=float))
    if a.norm() == 0 or b.norm() == 0:
        raise ValueError("slerp: a zero vector has no direction")
    cos = torch.clamp(torch.dot(a / a.norm(), b / b.norm()), -1.0, 1.0)
    omega = torch.arccos(cos)
    if omega > torch.pi - 1e-6:
        raise ValueError("slerp: opposite vectors")
    if omega < 1e-7:
        out = (1 - t) * a + t * b
    else:
        out = (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)
    return out.numpy()
