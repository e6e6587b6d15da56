# Correct: converts step by step (seconds, joules, watt-hours, kilowatt-hours).
def training_energy_kwh(flops, flops_per_second, watts):
    if flops < 0 or watts < 0 or flops_per_second <= 0:
        raise ValueError("flops and watts must be >= 0, flops_per_second > 0")
    seconds = flops / flops_per_second
    joules = seconds * watts
    watt_hours = joules / 3600
    return watt_hours / 1000
