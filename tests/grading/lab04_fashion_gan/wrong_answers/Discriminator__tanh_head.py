# Mistake: a tanh after the last layer: the "logit" is stuck in [-1, 1], so D(x) = sigmoid(logit) never leaves [0.27, 0.73].
# loses: test_Discriminator__logits
class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(128 * 4 * 4, 1))

    def forward(self, x):
        return torch.tanh(self.body(x)).view(-1)
