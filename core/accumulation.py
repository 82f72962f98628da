"""Accumulated ERA5 / ERA5-Land fields (ssr, str, tp) back to amounts per hour (docs/SCIENCE.md section 3).

ERA5 hourly single levels: the value at valid time t is already the sum over the hour ending at t.
ERA5-Land hourly: values accumulate from 00 UTC of the day, so the value at 01 UTC is one hour's sum,
the value at 00 UTC is the whole previous day's, and the hour ending at t is acc(t) − acc(t − 1 h) for
t ≠ 01 UTC. The first step of a series has no predecessor and stays missing: daily means then use the
hours present. Rn [W m⁻²] = (ssr + str) / 3600 s over an hour; P [mm] = 1000 · tp.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .errors import InputError
from .timeaxis import day_runs, iso
from .units import SECONDS_PER_HOUR

ERA5 = "era5"
ERA5_LAND = "era5-land"
RULES = (ERA5, ERA5_LAND)
# grid steps (degrees) of the two datasets as the data store delivers them
GRID_STEP_OF_RULE = {ERA5: 0.25, ERA5_LAND: 0.1}
NON_NEGATIVE = ("ssr", "ssrd", "strd", "tp")      # str (net thermal) is negative most of the time
# de-accumulation of 16-bit packed fields leaves small negative noise; beyond this share of the
# variable's largest hourly amount a negative amount means the rule does not fit the file
NEGATIVE_NOISE_SHARE = 1e-3


def accumulation_rule(requested: str, hints: Sequence[Mapping], source: str) -> str:
    """The de-accumulation rule: ``requested`` unless "auto", else what the files say.

    ``hints`` are the FieldSeries attributes of the accumulated variables, as era5_grib and era5_netcdf
    set them. A file says ERA5-Land when it names the dataset, accumulates over more than an hour from a
    00 UTC reference (GRIB) or has a 0.1° grid; ERA5 when it has one-hour periods from another reference
    or a 0.25° grid; auto never guesses beyond that.
    """
    if requested in RULES:
        return requested
    if requested != "auto":
        raise InputError(f"ACCUMULATION {requested!r}: expected auto, {ERA5_LAND} or {ERA5}.")
    found = {_rule_of(hint) for hint in hints} - {None}
    if len(found) == 1:
        return found.pop()
    if not found:
        raise InputError(f"{source}: the accumulated fields do not say whether they are ERA5 (hourly sums) or "
                         f"ERA5-Land (sums from 00 UTC), and their grid is neither 0.25° nor 0.1°. Set ACCUMULATION "
                         f"to {ERA5_LAND} or {ERA5}.")
    raise InputError(f"{source}: the accumulated fields mix ERA5 and ERA5-Land ({sorted(found)}); give one "
                     f"dataset per run, or set ACCUMULATION.")


def _rule_of(hint: Mapping) -> str | None:
    """What one series' attributes say: the dataset name (NetCDF ``dataset``), the accumulation periods
    (era5_grib: ``period_hours``, ``reference_hours_utc``) or the grid step (era5_grib ``grid_step_degrees``,
    era5_netcdf ``grid_step`` = (dx, dy), or the GRIB_ increments the data store copies into NetCDF)."""
    dataset = str(hint.get("dataset", "")).lower()
    if "land" in dataset:
        return ERA5_LAND
    if dataset.startswith("reanalysis-era5"):
        return ERA5
    by_period = _rule_of_periods(hint)
    if by_period is not None:
        return by_period
    step = _grid_steps(hint)
    for rule, expected in GRID_STEP_OF_RULE.items():
        if step and all(abs(s - expected) < 1e-6 for s in step):
            return rule
    return None


def _rule_of_periods(hint: Mapping) -> str | None:
    """GRIB accumulations: one-hour periods are ERA5's hourly sums; longer periods from a 00 UTC reference
    are ERA5-Land's sums since 00 UTC."""
    periods = [float(p) for p in np.atleast_1d(hint.get("period_hours", [])) if float(p) > 0]
    if not periods:
        return None
    references = [int(h) for h in np.atleast_1d(hint.get("reference_hours_utc", []))]
    if max(periods) > 1.0:
        return ERA5_LAND if references == [0] else None
    # only one-hour periods: ERA5, unless all from 00 UTC (then ERA5-Land's 01 UTC fields look the same)
    return None if references == [0] else ERA5


def _grid_steps(hint: Mapping) -> tuple:
    """The grid step(s) in degrees a series' attributes give, () when none."""
    for key in ("grid_step_degrees", "grid_step"):
        if hint.get(key) is not None:
            return tuple(float(s) for s in np.atleast_1d(hint[key]))
    steps = [hint.get(k) for k in ("GRIB_iDirectionIncrementInDegrees", "GRIB_jDirectionIncrementInDegrees")]
    return tuple(float(np.atleast_1d(s)[0]) for s in steps if s is not None)


def hourly_amounts(accumulated: np.ndarray, times: np.ndarray, rule: str, variable: str, source: str) -> np.ndarray:
    """Amount over the hour ending at each time step (axis 0), in the field's own unit per hour.

    ``times`` are int64 epoch seconds at an hourly step. Under ERA5-Land the first step of the series
    (and any step whose predecessor is missing) is NaN.
    """
    times = np.asarray(times, dtype=np.int64)
    values = np.asarray(accumulated, dtype=np.float64)
    if times.size > 1 and np.any(np.diff(times) != SECONDS_PER_HOUR):
        raise InputError(f"{source}, variable {variable}: accumulated fields need an hourly step to be "
                         f"de-accumulated; found steps of {sorted(set(np.diff(times).tolist()))} s.")
    if rule == ERA5:
        amounts = values.copy()
    elif rule == ERA5_LAND:
        amounts = np.full_like(values, np.nan)
        amounts[1:] = values[1:] - values[:-1]
        first_hour = (times % 86400) == SECONDS_PER_HOUR        # 01 UTC: one hour since the 00 UTC reset
        amounts[first_hour] = values[first_hour]
    else:
        raise InputError(f"Accumulation rule {rule!r}: expected one of {RULES}.")
    if variable in NON_NEGATIVE:
        _check_not_negative(amounts, times, variable, source)
        amounts = np.where(amounts < 0.0, 0.0, amounts)       # packing noise only, after the check
    return amounts


def _check_not_negative(amounts: np.ndarray, times: np.ndarray, variable: str, source: str) -> None:
    finite = np.isfinite(amounts)
    if not finite.any():
        return
    scale = float(np.max(np.abs(amounts[finite]))) or 1.0
    bad = finite & (amounts < -NEGATIVE_NOISE_SHARE * scale)
    if bad.any():
        step = int(np.argwhere(bad)[0][0])
        raise InputError(f"{source}, variable {variable}: the amount of the hour ending {iso(times[step])} is "
                         f"{float(amounts[bad][0]):.4g} after de-accumulation, below zero: the accumulation rule "
                         f"does not fit these files (set ACCUMULATION to the other dataset) or a step is missing.")


def net_radiation(ssr_hourly: np.ndarray, str_hourly: np.ndarray) -> np.ndarray:
    """Mean net radiation over each hour, W m⁻², from hourly sums of ssr and str in J m⁻²."""
    return (np.asarray(ssr_hourly, dtype=np.float64) + np.asarray(str_hourly, dtype=np.float64)) / SECONDS_PER_HOUR


def precipitation_mm(tp_hourly: np.ndarray) -> np.ndarray:
    """Precipitation per hour in mm from hourly sums of tp in m of water."""
    return 1000.0 * np.asarray(tp_hourly, dtype=np.float64)


def daily_means_of_present(values: np.ndarray, day_index: np.ndarray, broadcast: bool = True) -> np.ndarray:
    """Mean over the steps of each day that have a value (NaN ignored), broadcast back to every step (else one
    row per day).

    A day with no value at all stays NaN. ``day_index`` is a non-decreasing day number per step.
    """
    starts, counts = day_runs(day_index)
    present = np.isfinite(values)
    sums = np.add.reduceat(np.where(present, values, 0.0), starts, axis=0)
    numbers = np.add.reduceat(present.astype(np.int64), starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(numbers > 0, sums / np.where(numbers > 0, numbers, 1), np.nan)
    return np.repeat(means, counts, axis=0) if broadcast else means
