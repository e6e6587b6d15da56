# Correct: lesson 05's energy_kwh (step 10) applied to the time the FLOPs take.
# From lesson: lessons/05_data_ethics.ipynb


def energy_kwh(seconds, watts, pue=1.0):
    """Energy of a run: time x average power x PUE, in kWh (1 kWh = 3.6 million joules)."""
    return seconds * watts * pue / 3.6e6


def training_energy_kwh(flops, flops_per_second, watts):
    # Adapter: the lab predicts the time from FLOPs and the workload's speed, and asks for errors.
    if flops < 0 or watts < 0 or not flops_per_second > 0:
        raise ValueError("need flops >= 0, watts >= 0 and flops_per_second > 0")
    return energy_kwh(flops / flops_per_second, watts)
