# Correct: spectral normalisation instead of batch norm, (B, 1) flattened with .flatten().
class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        sn = nn.utils.spectral_norm
        self.features = nn.Sequential(
            sn(nn.Conv2d(3, 64, 4, 2, 1)), nn.LeakyReLU(0.1),
            sn(nn.Conv2d(64, 128, 4, 2, 1)), nn.LeakyReLU(0.1),
            sn(nn.Conv2d(128, 128, 4, 2, 1)), nn.LeakyReLU(0.1))
        self.head = sn(nn.Linear(128 * 16, 1))

    def forward(self, x):
        return self.head(self.features(x).flatten(1)).flatten()
