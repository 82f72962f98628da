"""A synthetic station (labelled: made here, not measured) from known coefficients, shared by the
calibration tests: diel and seasonal temperature cycles, weather spells, rain pulses, noise and gaps."""
from dataclasses import replace

import numpy as np

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.calibration import load_initial
from desert_carbon.core.stations import read_station_columns
from desert_carbon.core.timeaxis import iso

DEFAULTS, BOUNDS = load_initial()
# Coefficients of the synthetic station: every fitted one away from its default, within bounds;
# R3 as the station's amplitudes A (r3_a), B (r3_b) and Q10c, and a site theta_c of 0.06 m3 m-3.
TRUE = {"k1": 0.02, "k2": 0.03, "a2": 2.0, "p": 2.0, "q10w": 1.6, "r3_a": 0.3, "r3_b": 0.1, "q10c": 1.8,
        "theta_c": 0.06}
NOISE_SD = 0.05                 # umol m-2 s-1 of Gaussian noise on the synthetic Fc


def synthetic_table(years=2, step=3600, seed=7, truth_values=None, one_depth=False, theta_base=0.03):
    """An hourly (or finer) station table from TRUE plus noise: diel and seasonal temperature cycles,
    weather spells, rain pulses decaying over two days, a few missing Fc and a three-day gap.

    ``one_depth``: the table's only soil temperature stands for both T0 and T10 (dT = 0)."""
    rng = np.random.default_rng(seed)
    n = int(years * 365 * 86400 // step)
    times = np.datetime64("2010-01-01", "s").astype(np.int64) + step * np.arange(n, dtype=np.int64)
    hours = (times - times[0]) / 3600.0
    day, season = 2 * np.pi * hours / 24.0, 2 * np.pi * hours / 8766.0
    weather = np.convolve(np.repeat(rng.normal(0.0, 2.0, n // 24 + 1), 24)[:n], np.ones(72) / 72, mode="same")
    t0 = 15 - 12 * np.cos(season) + 10 * np.sin(day) + weather
    t10 = 15 - 11 * np.cos(season - 0.1) + 3 * np.sin(day - 0.9) + weather
    if one_depth:
        t0 = t10
    theta = np.full(n, theta_base)
    for start in np.sort(rng.uniform(0, hours[-1], size=20 * years)):
        later = hours >= start
        theta[later] += rng.uniform(0.08, 0.2) * np.exp(-(hours[later] - start) / 48.0)
    values = {**DEFAULTS.values, **(TRUE if truth_values is None else truth_values)}
    values["theta_ref"] = values["theta_c"] + DEFAULTS.theta_ref - DEFAULTS.theta_c   # as the fit moves it
    true = replace(DEFAULTS, values=values)
    tendency = fs.mean_temperature_tendency(t0, t10, hours)
    truth = sum(fs.flux_components(t0, t10, theta, tendency, true))
    fc = truth + rng.normal(0.0, NOISE_SD, n)
    fc[rng.random(n) < 0.02] = np.nan
    fc[5000:5072] = np.nan
    columns = {"time": [iso(t) for t in times], "co2": fc, "ts0": t0, "ts10": t10, "swc10": theta}
    series = read_station_columns(columns, "synthetic.csv", time_column="time", check_flux_magnitude=False,
                                  mapping={"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"},
                                  station_id="SYN")
    return series, times, truth
