# Correct: calls the learner's own discriminator_loss and generator_loss (Tasks 3-4), a while loop over batches.
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    torch.manual_seed(seed)
    optimisers = {
        "g": torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999)),
        "d": torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999)),
    }
    generator.train()
    discriminator.train()
    for epoch in range(epochs):
        shuffled = images[torch.randperm(len(images))]
        start = 0
        while start + batch_size <= len(shuffled):
            real = shuffled[start:start + batch_size]
            start += batch_size
            fake = generator(torch.randn(batch_size, generator.latent_dim))
            optimisers["d"].zero_grad()
            discriminator_loss(discriminator(real), discriminator(fake.detach())).backward()
            optimisers["d"].step()
            optimisers["g"].zero_grad()
            generator_loss(discriminator(fake)).backward()
            optimisers["g"].step()
    return generator
