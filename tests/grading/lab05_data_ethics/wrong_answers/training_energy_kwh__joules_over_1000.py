# Mistake: divides joules by 1000 (that gives kJ), not by 3.6 million.
# loses: test_training_energy_kwh
def training_energy_kwh(flops, flops_per_second, watts):
    if flops < 0 or watts < 0 or flops_per_second <= 0:
        raise ValueError("bad arguments")
    return float(flops / flops_per_second * watts / 1000)
