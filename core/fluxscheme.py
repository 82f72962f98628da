"""The shifting-sand CO2 flux scheme Rs = R1 + R2 + R3 (docs/SCIENCE.md section 2), on numpy blocks.

Arrays are (time, rows, cols) or any shape whose first axis is time; every function is pure, so
the same code serves a station series, a raster window and a Dask block. Units: temperatures in
degC, volumetric water content in m3 m-3, fluxes in umol CO2 m-2 s-1 (positive = release).
"""
import numpy as np
from numpy.typing import ArrayLike

from .accumulation import daily_means_of_present
from .kept_arrays import KeptArrays, kept_or_new
from .parameters import ParameterSet
from .timeaxis import day_runs

# SECONDS_PER_HOUR stays importable from here (fs.SECONDS_PER_HOUR): calibration reads it so
from .units import GRAMS_CO2_PER_UMOL, KELVIN, SECONDS_PER_HOUR  # noqa: F401


def mean_temperature(t0: ArrayLike, t10: ArrayLike) -> np.ndarray:
    """Tbar = (T0 + T10) / 2, degC."""
    tbar = np.add(t0, t10, dtype=np.float64)
    tbar *= 0.5
    return tbar


def mean_temperature_tendency(t0: ArrayLike, t10: ArrayLike, hours: ArrayLike) -> np.ndarray:
    """dTbar/dt in K h-1 with Tbar = (T0 + T10)/2: centred difference, one-sided at both ends.

    ``hours`` holds the time of each step in hours (any origin), one value per entry of axis 0.
    """
    tbar = mean_temperature(t0, t10)
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


def tendency_sum(t0: np.ndarray, t10: np.ndarray, hours: ArrayLike, first: int, stop: int) -> np.ndarray:
    """The sum of ``mean_temperature_tendency`` over steps [first, stop) of evenly spaced ``hours``, from the Tbar
    of at most six steps: the centred differences telescope (one-sided at the series' ends, as there). A NaN
    inside the span, which makes the per-step sum NaN, is not seen here: ``heat_driven_sum`` sees it in the sum
    of dT. Unevenly spaced hours are summed step by step."""
    hours = np.asarray(hours, dtype=np.float64)
    steps = len(hours)
    if steps < 2:
        raise ValueError("the temperature tendency needs at least two time steps")
    spacing = np.diff(hours)
    if not (spacing == spacing[0]).all():
        return np.sum(mean_temperature_tendency(t0, t10, hours)[first:stop], axis=0)

    def tbar(step):
        return mean_temperature(t0[step], t10[step])

    total = np.zeros(np.shape(t0)[1:])
    inner_first, inner_stop = max(first, 1), min(stop, steps - 1)
    if inner_stop > inner_first:
        total += (tbar(inner_stop) + tbar(inner_stop - 1) - tbar(inner_first) - tbar(inner_first - 1)) / (
            hours[inner_first + 1] - hours[inner_first - 1])
    if first == 0 < stop:
        total += (tbar(1) - tbar(0)) / spacing[0]
    if stop == steps > first:
        total += (tbar(steps - 1) - tbar(steps - 2)) / spacing[-1]
    return total


def heat_driven_flux(t0: ArrayLike, t10: ArrayLike, tendency: ArrayLike, params: ParameterSet) -> np.ndarray:
    """R1 = k1*(dT - dT0) + k2*dTbar/dt with dT = T0 - T10."""
    return params.k1 * ((t0 - t10) - params.delta_t0) + params.k2 * tendency


def heat_driven_sum(delta_t_sum: ArrayLike, tendency_total: ArrayLike, steps: int, params: ParameterSet) -> np.ndarray:
    """The sum of R1 over ``steps`` steps from the sums of dT = T0 - T10 and of dTbar/dt (``tendency_sum``): R1 is
    linear in both, so k1*(sum dT - steps*dT0) + k2*sum dTbar/dt, NaN where either sum is."""
    return params.k1 * (delta_t_sum - steps * params.delta_t0) + params.k2 * tendency_total


def moisture_activated_flux(theta10: ArrayLike, t10: ArrayLike, params: ParameterSet,
                            kept: KeptArrays = None) -> np.ndarray:
    """R2: zero up to theta_c, then a power law in relative wetness times a Q10, capped at r2_max; NaN where
    theta10 or T10 is missing.

    Evaluated on every step (vectorised; in real reanalysis most steps of dune sand are wet): a dry step's pulse is
    taken at theta_ref, where it is finite (the logs of 0 and exps of -inf numpy takes on a slow path), and
    multiplied by 0. ``kept``: arrays kept for the temporaries (``core.kept_arrays``); the result is one of them.
    """
    theta10, t10 = np.asarray(theta10, dtype=np.float64), np.asarray(t10, dtype=np.float64)
    shape = np.broadcast_shapes(theta10.shape, t10.shape)
    dry = np.less_equal(theta10, params.theta_c, out=kept_or_new(kept, "r2_dry", shape, bool))  # NaN: not dry
    at = kept_or_new(kept, "r2", shape)
    np.copyto(at, theta10)
    np.copyto(at, params.theta_ref, where=dry)
    pulse = moisture_pulse(at, t10, params, out=at, work=kept_or_new(kept, "r2_work", shape))
    pulse *= np.logical_not(dry, out=dry)   # a dry step's pulse times 0; NaN (theta10 or T10 missing) stays NaN
    return pulse


def moisture_pulse(theta10: np.ndarray, t10: np.ndarray, params: ParameterSet, out: np.ndarray = None,
                   work: np.ndarray = None) -> np.ndarray:
    """a2*((theta10 - theta_c)/(theta_ref - theta_c))^p*Q10w^((T10-25)/10) capped at r2_max, for theta10 > theta_c:
    the two powers as one exp of a sum of logs (numpy vectorises exp and log, not power). ``out``, ``work``: arrays
    of the result's shape to compute in (``out`` may be ``theta10``)."""
    exponent = np.asarray(np.subtract(theta10, params.theta_c, out=out), dtype=np.float64)  # a 0-d array for a number
    np.log(exponent, out=exponent)
    exponent *= params.p
    exponent += np.multiply(t10, np.log(params.q10w) / 10.0, out=work)
    exponent += -params.p * np.log(params.theta_ref - params.theta_c) - 2.5 * np.log(params.q10w)
    np.exp(exponent, out=exponent)
    exponent *= params.a2
    return np.minimum(exponent, params.r2_max, out=exponent)


def time_sum(values: np.ndarray, factor: float = None) -> np.ndarray:
    """Sum over axis 0 (time), each cell's values added in the same order whatever cells are beside it: numpy's
    reduce adds a contiguous axis pairwise but strided rows one by one, so a one-cell window and a wide one would
    differ in the last bit; ``reduceat`` adds the steps of each cell in one order for any shape (a test holds it to
    that). ``factor`` multiplies the sum."""
    values = np.asarray(values)
    total = np.add.reduceat(values, [0], axis=0)[0] if len(values) else np.zeros(values.shape[1:])
    return total if factor is None else total * factor


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
    starts, counts = day_runs(day_index)
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
    daily_rn = None if net_radiation is None else daily_means_of_present(net_radiation, day_index, broadcast=False)
    return np.repeat(uptake_season(means, params, daily_rn), counts, axis=0), theta10 > params.theta_c


def uptake_season(daily_delta_t: np.ndarray, params: ParameterSet, daily_rn: np.ndarray = None) -> np.ndarray:
    """Days in the uptake season: daily-mean dT below regime_delta_t and, when known, daily-mean Rn below
    regime_rn (NaN: not in it)."""
    uptake = daily_delta_t < params.regime_delta_t
    if daily_rn is not None:
        uptake &= daily_rn < params.regime_rn
    return uptake
