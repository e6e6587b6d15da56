# Mistake: divides by 3600 only, which gives watt-hours, not kilowatt-hours.
# loses: test_training_energy_kwh
def training_energy_kwh(flops, flops_per_second, watts):
    if flops < 0 or watts < 0 or flops_per_second <= 0:
        raise ValueError("bad arguments")
    return float(flops / flops_per_second * watts / 3600)
