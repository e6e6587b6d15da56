# Mistake: the emissions are right, but negative energy or intensity are not refused.
# loses: test_training_co2_kg__errors
def training_co2_kg(energy_kwh, grid_g_per_kwh):
    return energy_kwh * grid_g_per_kwh / 1000
