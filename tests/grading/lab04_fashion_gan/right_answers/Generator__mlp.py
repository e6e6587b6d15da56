# Correct: a fully connected generator (no convolutions), tanh output reshaped to (B, 3, 32, 32).
class Generator(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.net = nn.Sequential(nn.Linear(latent_dim, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512),
                                 nn.LeakyReLU(0.2), nn.Linear(512, 3 * 32 * 32), nn.Tanh())

    def forward(self, z):
        return self.net(z).reshape(len(z), 3, 32, 32)
