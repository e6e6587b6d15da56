# Mistake: a ReLU after the last layer, so the "logit" is never negative and D(x) never falls below 1/2.
# loses: test_Discriminator__logits
class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Flatten())
        self.head = nn.Linear(128 * 4 * 4, 1)

    def forward(self, x):
        return F.relu(self.head(self.body(x))).view(-1)
