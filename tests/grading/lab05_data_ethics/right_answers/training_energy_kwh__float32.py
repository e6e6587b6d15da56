# Correct: float32 arithmetic in another order (power per FLOP/s first), which the task allows.
def training_energy_kwh(flops, flops_per_second, watts):
    if flops < 0 or watts < 0 or not flops_per_second > 0:
        raise ValueError("need flops >= 0, watts >= 0 and flops_per_second > 0")
    joules_per_flop = np.float32(watts) / np.float32(flops_per_second)
    return np.float32(flops) * joules_per_flop / np.float32(3.6e6)
