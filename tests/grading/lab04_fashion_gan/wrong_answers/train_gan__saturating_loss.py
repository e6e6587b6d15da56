# Mistake: the generator minimises the original, saturating log(1 - D(G(z))) instead of the non-saturating loss the task asks for.
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    torch.manual_seed(seed)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    generator.train()
    discriminator.train()
    for _ in range(epochs):
        order = torch.randperm(len(images))
        for start in range(0, len(images) - batch_size + 1, batch_size):
            real = images[order[start:start + batch_size]]
            fake = generator(torch.randn(len(real), generator.latent_dim))
            real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
            d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                      + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            fake_logits = discriminator(fake)
            g_loss = -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
    return generator
