# Correct: simultaneous updates: both losses from the same forward pass, both gradients taken at the same weights, then both optimisers step.
def train_gan(generator, discriminator, images, epochs=1, batch_size=64, lr=2e-4, seed=0):
    torch.manual_seed(seed)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    generator.train()
    discriminator.train()
    ones, zeros = torch.ones(batch_size), torch.zeros(batch_size)
    for _ in range(epochs):
        order = torch.randperm(len(images))
        for start in range(0, len(images) - batch_size + 1, batch_size):
            real = images[order[start:start + batch_size]]
            fake = generator(torch.randn(batch_size, generator.latent_dim))
            d_loss = (F.binary_cross_entropy_with_logits(discriminator(real), ones)
                      + F.binary_cross_entropy_with_logits(discriminator(fake.detach()), zeros))
            g_loss = F.binary_cross_entropy_with_logits(discriminator(fake), ones)
            opt_d.zero_grad()
            opt_g.zero_grad()
            d_grads = torch.autograd.grad(d_loss, list(discriminator.parameters()))
            g_grads = torch.autograd.grad(g_loss, list(generator.parameters()))
            for p, g in zip(discriminator.parameters(), d_grads):
                p.grad = g
            for p, g in zip(generator.parameters(), g_grads):
                p.grad = g
            opt_d.step()
            opt_g.step()
    return generator
