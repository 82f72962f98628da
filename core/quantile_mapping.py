"""Quantile mapping of the reanalysis θ10 onto a station's θ10 distribution (docs/SCIENCE.md section 3).

Reanalysis soil water in dune sand can sit near or above the R2 threshold θc all year; a station in
the same sand measures drier. Over the period both cover, the mapping pairs the quantiles of the two
distributions and moves every reanalysis value to the station value of the same quantile, before the
threshold is applied. Outside the range seen in the common period the correction at the nearest end
is kept (a constant shift), so no value is extrapolated off a slope.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .timeaxis import iso

DEFAULT_QUANTILES = 99            # 1 % steps: enough for a season's dry tail, few enough to be stable
MIN_COMMON_VALUES = 200           # about a week of hourly pairs


@dataclass(frozen=True)
class QuantileMapping:
    """θ10 of the reanalysis → θ10 of the station, as pairs of quantiles (m³ m⁻³)."""
    model_quantiles: np.ndarray
    station_quantiles: np.ndarray
    period: tuple            # (first, last) ISO times of the common period
    station: str

    def apply(self, theta10: np.ndarray) -> np.ndarray:
        """Each value moved to the station value of its quantile; NaN stays NaN."""
        theta10 = np.asarray(theta10, dtype=np.float64)
        mapped = np.interp(theta10, self.model_quantiles, self.station_quantiles)
        below = theta10 < self.model_quantiles[0]
        above = theta10 > self.model_quantiles[-1]
        mapped[below] = theta10[below] + (self.station_quantiles[0] - self.model_quantiles[0])
        mapped[above] = theta10[above] + (self.station_quantiles[-1] - self.model_quantiles[-1])
        return np.where(np.isfinite(theta10), np.clip(mapped, 0.0, 1.0), np.nan)

    def describe(self) -> str:
        """One line for the output's metadata: where the mapping comes from and what it does."""
        shifts = self.station_quantiles - self.model_quantiles
        return (f"theta10 quantile-mapped to station {self.station} over {self.period[0]}..{self.period[1]}: "
                f"{self.model_quantiles.size} quantiles, shift {shifts.min():+.4f} to {shifts.max():+.4f} m3 m-3 "
                f"(median {np.median(shifts):+.4f})")


def fit_quantile_mapping(model_times: np.ndarray, model_theta: np.ndarray, station_times: np.ndarray,
                         station_theta: np.ndarray, station: str,
                         quantiles: int = DEFAULT_QUANTILES) -> QuantileMapping:
    """Pair the quantiles of the two θ10 series over the period both cover (times: epoch seconds)."""
    model_times, station_times = np.asarray(model_times), np.asarray(station_times)
    first = max(model_times.min(), station_times.min())
    last = min(model_times.max(), station_times.max())
    if first > last:
        raise InputError(f"Station {station} ({iso(station_times.min())}..{iso(station_times.max())}) and the "
                         f"forcing ({iso(model_times.min())}..{iso(model_times.max())}) share no period: the "
                         f"quantile mapping of θ10 needs both over the same time.")
    model = _finite_within(model_times, model_theta, first, last)
    observed = _finite_within(station_times, station_theta, first, last)
    if min(model.size, observed.size) < MIN_COMMON_VALUES:
        raise InputError(f"Station {station}: {observed.size} station and {model.size} forcing θ10 values in the "
                         f"common period {iso(first)}..{iso(last)}; at least {MIN_COMMON_VALUES} of each are needed "
                         f"for a quantile mapping.")
    probabilities = np.linspace(0.0, 1.0, quantiles + 2)[1:-1]
    model_quantiles = np.quantile(model, probabilities)
    station_quantiles = np.quantile(observed, probabilities)
    # tied model quantiles (a flat stretch of the distribution) map to the mean of their station values
    unique, inverse = np.unique(model_quantiles, return_inverse=True)
    merged = np.bincount(inverse, weights=station_quantiles) / np.bincount(inverse)
    return QuantileMapping(unique, merged, (iso(first), iso(last)), station)


def _finite_within(times: np.ndarray, values: np.ndarray, first: int, last: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    inside = (times >= first) & (times <= last)
    return values[inside & np.isfinite(values)]
