# Correct: randomness from a seeded torch.Generator, fakes for D made under no_grad, fresh z for the G step.
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    rng = torch.Generator().manual_seed(seed)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    generator.train()
    discriminator.train()
    n = len(images)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=rng)
        for i in range(n // batch_size):
            real = images[perm[i * batch_size:(i + 1) * batch_size]]
            with torch.no_grad():
                fake = generator(torch.randn(batch_size, generator.latent_dim, generator=rng))
            d_out_real, d_out_fake = discriminator(real), discriminator(fake)
            loss_d = (F.binary_cross_entropy_with_logits(d_out_real, torch.ones(batch_size))
                      + F.binary_cross_entropy_with_logits(d_out_fake, torch.zeros(batch_size)))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            z = torch.randn(batch_size, generator.latent_dim, generator=rng)
            loss_g = F.binary_cross_entropy_with_logits(discriminator(generator(z)), torch.ones(batch_size))
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
    return generator
