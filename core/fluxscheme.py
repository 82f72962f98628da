"""The shifting-sand CO2 flux scheme Rs = R1 + R2 + R3 (docs/SCIENCE.md section 2), on numpy blocks.

Arrays are (time, rows, cols) or any shape whose first axis is time; every function is pure, so
the same code serves a station series, a raster window and a Dask block. Units: temperatures in
degC, volumetric water content in m3 m-3, fluxes in umol CO2 m-2 s-1 (positive = release).
"""
import numpy as np
from numpy.typing import ArrayLike

from .accumulation import daily_means_of_present
from .parameters import ParameterSet

# SECONDS_PER_HOUR stays importable from here (fs.SECONDS_PER_HOUR): calibration reads it so
from .units import GRAMS_CO2_PER_UMOL, KELVIN, SECONDS_PER_HOUR  # noqa: F401


def mean_temperature_tendency(t0: ArrayLike, t10: ArrayLike, hours: ArrayLike) -> np.ndarray:
    """dTbar/dt in K h-1 with Tbar = (T0 + T10)/2: centred difference, one-sided at both ends.

    ``hours`` holds the time of each step in hours (any origin), one value per entry of axis 0.
    """
    tbar = np.add(t0, t10, dtype=np.float64)
    tbar *= 0.5
    hours = np.asarray(hours, dtype=np.float64)
    if tbar.shape[0] < 2:
        raise ValueError("the temperature tendency needs at least two time steps")
    shape = (-1,) + (1,) * (tbar.ndim - 1)
    tendency = np.empty_like(tbar)
    np.subtract(tbar[2:], tbar[:-2], out=tendency[1:-1])
    tendency[1:-1] /= (hours[2:] - hours[:-2]).reshape(shape)
    tendency[0] = (tbar[1] - tbar[0]) / (hours[1] - hours[0])
    tendency[-1] = (tbar[-1] - tbar[-2]) / (hours[-1] - hours[-2])
    return tendency


def heat_driven_flux(t0: ArrayLike, t10: ArrayLike, tendency: ArrayLike, params: ParameterSet) -> np.ndarray:
    """R1 = k1*(dT - dT0) + k2*dTbar/dt with dT = T0 - T10."""
    return params.k1 * ((t0 - t10) - params.delta_t0) + params.k2 * tendency


def moisture_activated_flux(theta10: ArrayLike, t10: ArrayLike, params: ParameterSet) -> np.ndarray:
    """R2: zero up to theta_c, then a power law in relative wetness times a Q10, capped at r2_max.

    Evaluated only on the wet steps (in sand most steps are dry, and the two powers are the costly
    part of the scheme); a step with theta10 or T10 missing is NaN.
    """
    theta10, t10 = np.broadcast_arrays(np.asarray(theta10, dtype=np.float64), np.asarray(t10, dtype=np.float64))
    r2 = np.zeros(theta10.shape)
    wet = theta10 > params.theta_c          # at theta_c itself R2 is zero (docs/SCIENCE.md)
    relative_wetness = (theta10[wet] - params.theta_c) / (params.theta_ref - params.theta_c)
    pulse = params.a2 * relative_wetness ** params.p * params.q10w ** ((t10[wet] - 25.0) / 10.0)
    r2[wet] = np.minimum(params.r2_max, pulse)
    r2[np.isnan(theta10) | np.isnan(t10)] = np.nan
    return r2


def co2_solubility(t_celsius: ArrayLike) -> np.ndarray:
    """K0 of CO2 in water, mol L-1 atm-1, Weiss (1974) freshwater form [L]."""
    t = np.asarray(t_celsius, dtype=np.float64) + KELVIN
    return np.exp(-58.0931 + 90.5069 * (100.0 / t) + 22.294 * np.log(t / 100.0))


K0_AT_20C = float(co2_solubility(20.0))


def soil_property_flux(t10: ArrayLike, soc: ArrayLike, ph: ArrayLike, salt: ArrayLike,
                       params: ParameterSet) -> np.ndarray:
    """R3 = A*Q10c^((T10-20)/10) - B*K0(T10)/K0(20) (docs/SCIENCE.md section 2).

    A = r3_a + aC*(SOC-SOCref) and B = r3_b + aP*(pH-pHref) + aS*(Salt-Saltref): r3_a and r3_b are
    the amplitudes at the reference soil, a station's A and B or the intercepts of the multi-site
    regression (``calibration_sites``); 0 in the defaults.
    """
    release = params.r3_a + params.a_soc * (soc - params.soc_ref)
    uptake = params.r3_b + params.a_ph * (ph - params.ph_ref) + params.a_salt * (salt - params.salt_ref)
    return release * params.q10c ** ((t10 - 20.0) / 10.0) - uptake * co2_solubility(t10) / K0_AT_20C


def flux_components(t0: ArrayLike, t10: ArrayLike, theta10: ArrayLike, tendency: ArrayLike, params: ParameterSet,
                    soc: ArrayLike = None, ph: ArrayLike = None, salt: ArrayLike = None) -> tuple:
    """R1, R2, R3 in umol m-2 s-1. R3 is zero when its coefficients are all zero (the default).

    SOC, pH and salt are needed only when aC, aP or aS is not zero; otherwise R3 is at the reference soil.
    """
    r1 = heat_driven_flux(t0, t10, tendency, params)
    r2 = moisture_activated_flux(theta10, t10, params)
    if params.r3_active:
        if not params.needs_soil_maps:
            soc, ph, salt = params.soc_ref, params.ph_ref, params.salt_ref
        elif soc is None or ph is None or salt is None:
            raise ValueError("R3 has non-zero coefficients, so SOC, pH and salt are needed")
        r3 = soil_property_flux(t10, soc, ph, salt, params) * np.ones_like(r1)
    else:
        r3 = np.zeros_like(r1)
    return r1, r2, r3


def step_grams_co2(flux: ArrayLike, step_seconds: float) -> np.ndarray:
    """g CO2 m-2 released during a step of ``step_seconds`` at ``flux`` umol m-2 s-1."""
    return flux * (step_seconds * GRAMS_CO2_PER_UMOL)


def daily_means(values: np.ndarray, day_index: ArrayLike) -> np.ndarray:
    """Mean over each day along axis 0, broadcast back to every step of that day.

    ``day_index`` is a non-decreasing integer day number per step.
    """
    means, counts = means_per_day(values, day_index)
    return np.repeat(means, counts, axis=0)


def means_per_day(values: np.ndarray, day_index: ArrayLike) -> tuple:
    """(mean of each day along axis 0, steps of each day); ``np.repeat(means, counts, axis=0)`` broadcasts back."""
    day_index = np.asarray(day_index)
    starts = np.flatnonzero(np.r_[True, day_index[1:] != day_index[:-1]])
    counts = np.diff(np.r_[starts, day_index.size])
    sums = np.add.reduceat(values, starts, axis=0)
    return sums / counts.reshape((-1,) + (1,) * (values.ndim - 1)), counts


def regime_masks(t0: np.ndarray, t10: np.ndarray, theta10: np.ndarray, day_index: ArrayLike, params: ParameterSet,
                 net_radiation: np.ndarray = None) -> tuple:
    """Regimes of docs/SCIENCE.md section 2 per step: (uptake season, moisture-activated).

    Uptake season: daily-mean dT < regime_delta_t and (when Rn is known) daily-mean Rn < regime_rn;
    the release season is its complement. Moisture-activated: theta10 > theta_c. The daily mean of Rn
    is over the hours it has a value (the first hour of an ERA5-Land series cannot be de-accumulated);
    a day without any Rn is not in the uptake season.
    """
    # compared day by day, then spread to the steps: the same test as on the broadcast means, on a day's worth
    means, counts = means_per_day(np.subtract(t0, t10), day_index)
    uptake = means < params.regime_delta_t
    if net_radiation is not None:
        uptake &= daily_means_of_present(net_radiation, day_index, broadcast=False) < params.regime_rn
    return np.repeat(uptake, counts, axis=0), theta10 > params.theta_c
