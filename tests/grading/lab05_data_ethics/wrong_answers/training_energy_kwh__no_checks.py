# Mistake: the energy is right, but a speed of 0 divides by zero and negative inputs are not refused.
# loses: test_training_energy_kwh__errors
def training_energy_kwh(flops, flops_per_second, watts):
    return flops / flops_per_second * watts / 3.6e6
