# Correct: nearest-neighbour upsampling and 3x3 convolutions, attributes named differently.
class Generator(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.fc = nn.Linear(latent_dim, 64 * 8 * 8)
        layers = []
        for c_in, c_out in ((64, 48), (48, 32)):
            layers += [nn.Upsample(scale_factor=2), nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
        self.up = nn.Sequential(*layers, nn.Conv2d(32, 3, 3, padding=1))

    def forward(self, z):
        x = torch.relu(self.fc(z)).view(-1, 64, 8, 8)
        return torch.tanh(self.up(x))
