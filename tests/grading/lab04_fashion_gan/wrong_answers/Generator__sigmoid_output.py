# Mistake: ends with a sigmoid, so pixels only reach [0, 1] and the black background (-1) is out of reach.
# loses: test_Generator__range
class Generator(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.project = nn.Sequential(nn.Linear(latent_dim, 128 * 4 * 4), nn.BatchNorm1d(128 * 4 * 4), nn.ReLU())
        self.body = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Sigmoid())

    def forward(self, z):
        return self.body(self.project(z).view(-1, 128, 4, 4))
