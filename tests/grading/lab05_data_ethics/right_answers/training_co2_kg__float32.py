# Correct: float32 kilograms per kWh first, which the task allows.
def training_co2_kg(energy_kwh, grid_g_per_kwh):
    if energy_kwh < 0 or grid_g_per_kwh < 0:
        raise ValueError("energy and grid intensity must not be negative")
    return np.float32(energy_kwh) * (np.float32(grid_g_per_kwh) / np.float32(1000))
