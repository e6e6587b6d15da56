# Mistake: divides the energy by the grid intensity instead of multiplying.
# loses: test_training_co2_kg
def training_co2_kg(energy_kwh, grid_g_per_kwh):
    if energy_kwh < 0 or grid_g_per_kwh <= 0:
        raise ValueError("bad arguments")
    return float(energy_kwh / grid_g_per_kwh * 1000)
