# Mistake: returns images channels-last, (B, 32, 32, 3), as NumPy and matplotlib like them.
# loses: test_Generator
class Generator(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.project = nn.Sequential(nn.Linear(latent_dim, 128 * 4 * 4), nn.BatchNorm1d(128 * 4 * 4), nn.ReLU())
        self.body = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.body(self.project(z).view(-1, 128, 4, 4)).permute(0, 2, 3, 1)
