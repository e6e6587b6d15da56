# Correct: the generator step first, then the discriminator step on the same (detached) fakes - mathematically simultaneous updates; keeps a last, smaller batch.
# Variant of the model solution: the same loop with the generator step first, so a similarity flag against the solution is expected.
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    torch.manual_seed(seed)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    generator.train()
    discriminator.train()
    for _ in range(epochs):
        for batch in torch.randperm(len(images)).split(batch_size):
            real = images[batch]
            fake = generator(torch.randn(len(batch), generator.latent_dim))
            logits = discriminator(fake)
            g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
            d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                      + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
    return generator
