"""Short gaps in a forcing stack filled by linear interpolation in time, and what the values say about their unit.

A station-derived stack has short gaps (a logger reset, a failed hour); left as they are, one missing step
makes a whole cell-year nodata. ``GapFilledForcing`` wraps any forcing (``read(first, stop, window)`` giving
T0, T10 and theta10) and fills, per cell, each run of missing steps no longer than ``max_gap_hours`` between two
values; longer runs, and runs at either end of the series, stay missing (the cell-years they fall in are
nodata) and are counted for the log. Filled cell-steps are counted per year for the outputs' band metadata.

Counts are kept per window and per step, and set (not added) on each read: the flux scheme reads each chunk
with a one-step halo, so a step read twice is counted once.

It also tallies theta10 above the porosity of sand: a stack of soil water in percent from a dry station
(values below 1 %) passes the 0-1 range check as m3 m-3 and makes R2 fire at every step.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .timeaxis import iso, year_ranges
from .units import SECONDS_PER_HOUR

DEFAULT_MAX_GAP_HOURS = 3.0        # h [P]: a logger reset or a failed hour or two, not a lost day
SAND_POROSITY = 0.45               # m3 m-3 [L]: no dune sand holds more water than its pore space
MOST_STEPS = 0.5                   # share of valid steps above SAND_POROSITY that is flagged


def fill_short_gaps(values: np.ndarray, max_steps: int) -> tuple:
    """Fill, in place, runs of NaN of at most ``max_steps`` steps along axis 0 that have a value on both sides,
    linearly between those values. Returns (filled, still missing in cells that have a value) as boolean arrays
    of ``values``' shape."""
    steps = values.shape[0]
    flat = values.reshape(steps, -1)
    missing = np.isnan(flat)
    has_value = ~missing.all(axis=0)
    filled = np.zeros(flat.shape, dtype=bool)
    cells = np.flatnonzero(missing.any(axis=0) & has_value)      # sea and masked cells (all NaN) are skipped
    if cells.size and max_steps >= 1:
        part, gap = flat[:, cells], missing[:, cells]
        index = np.arange(steps)[:, None]
        before = np.maximum.accumulate(np.where(gap, -1, index), axis=0)
        after = np.minimum.accumulate(np.where(gap, steps, index)[::-1], axis=0)[::-1]
        fill = gap & (before >= 0) & (after < steps) & (after - before - 1 <= max_steps)
        if fill.any():
            low = np.take_along_axis(part, np.clip(before, 0, steps - 1), axis=0)
            high = np.take_along_axis(part, np.clip(after, 0, steps - 1), axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                weight = (index - before) / (after - before)
            part[fill] = low[fill] + (high[fill] - low[fill]) * weight[fill]
            flat[:, cells] = part
            filled[:, cells] = fill
    still = missing & ~filled & has_value
    return filled.reshape(values.shape), still.reshape(values.shape)


class GapFilledForcing:
    """A forcing whose short gaps are filled on read; every other attribute is the wrapped forcing's."""

    def __init__(self, forcing, max_gap_hours: float = DEFAULT_MAX_GAP_HOURS):
        self.forcing = forcing
        self.max_gap_hours = float(max_gap_hours)
        self.max_gap_steps = int(self.max_gap_hours * SECONDS_PER_HOUR // forcing.step)
        self.filled = {}               # window key -> cells filled at each step
        self.unfilled = {}             # window key -> cells with a value elsewhere still missing at each step
        self.theta_valid = {}          # window key -> cells with theta10 at each step
        self.theta_above = {}          # window key -> cells with theta10 above SAND_POROSITY at each step

    def __getattr__(self, name):
        # read from __dict__: while pickle rebuilds the object there is no "forcing" yet
        forcing = self.__dict__.get("forcing")
        if forcing is None:
            raise AttributeError(name)
        return getattr(forcing, name)

    def read(self, first: int, stop: int, window, buffers=None, packed: bool = False) -> tuple:
        """T0, T10 and theta10 of steps [first, stop), short gaps filled; in ``buffers``' arrays when given
        (``core.kept_arrays``). Read as asked first: only when a value is missing are they read again with the
        steps around that the filling needs (a forcing that says nothing is missing is not looked through again).
        ``packed``: complete chunks may come as fields unpacked where indexed (``Era5Forcing.read_fields``)."""
        fields = self.forcing.read_fields(first, stop, window, buffers, packed)
        if fields.complete:
            self._count(window, first, stop, fields.theta10, fields.theta10_high)
            return tuple(fields[:3])
        extra = self.max_gap_steps
        lo, hi = max(first - extra, 0), min(stop + extra, len(self.forcing.times))
        arrays = tuple(self.forcing.read_fields(lo, hi, window, buffers)[:3])
        inner = slice(first - lo, stop - lo)
        filled = unfilled = None
        for values in arrays:
            if np.isfinite(np.sum(values)):
                continue
            done, still = fill_short_gaps(values, extra)
            filled = done[inner] if filled is None else filled | done[inner]
            unfilled = still[inner] if unfilled is None else unfilled | still[inner]
        theta = arrays[2][inner]
        self._count(window, first, stop, theta, np.fmax.reduce(theta, axis=None) if theta.size else np.nan,
                    filled, unfilled)
        return tuple(values[inner] for values in arrays)

    def _count(self, window, first, stop, theta, theta_high, filled=None, unfilled=None) -> None:
        """Set this window's counts of steps [first, stop): cells filled, still missing, with theta10 and with it
        above the porosity of sand (counted cell by cell only where ``theta_high`` says one could be)."""
        steps = len(self.forcing.times)
        none = np.zeros(stop - first, dtype=np.int64)
        above = (np.asarray(theta) > SAND_POROSITY).sum(axis=(1, 2)) if theta_high > SAND_POROSITY else none
        valid = (np.full(stop - first, int(np.prod(np.shape(theta)[1:])), dtype=np.int64)
                 if filled is None and unfilled is None else np.isfinite(theta).sum(axis=(1, 2)))
        key = _key(window)
        for store, counts in ((self.filled, none if filled is None else filled.sum(axis=(1, 2))),
                              (self.unfilled, none if unfilled is None else unfilled.sum(axis=(1, 2))),
                              (self.theta_valid, valid), (self.theta_above, above)):
            store.setdefault(key, np.zeros(steps, dtype=np.int64))[first:stop] = counts

    COUNTERS = ("filled", "unfilled", "theta_valid", "theta_above")

    def take_counts(self, window) -> dict:
        """This window's counts, taken out: a cluster task returns them with its sums (``put_counts`` on the client)."""
        key = _key(window)
        return {name: getattr(self, name).pop(key) for name in self.COUNTERS if key in getattr(self, name)}

    def put_counts(self, window, counts: dict) -> None:
        """Counts a task took (here or on a worker) for ``window``; a step counted twice keeps its count."""
        key = _key(window)
        for name, values in counts.items():
            store = getattr(self, name)
            store[key] = np.maximum(store[key], values) if key in store else values

    def close(self) -> None:
        close = getattr(self.forcing, "close", None)
        if close is not None:
            close()

    @staticmethod
    def _total(store) -> np.ndarray:
        return np.sum(list(store.values()), axis=0) if store else np.zeros(0, dtype=np.int64)

    def filled_by_year(self) -> dict:
        """{year: cell-steps filled}, over the steps read."""
        filled = self._total(self.filled)
        if not filled.size:
            return {}
        return {year: int(filled[a:b].sum()) for year, a, b, _ in year_ranges(self.forcing.times, self.forcing.step)}

    def describe(self) -> str:
        filled = self._total(self.filled)
        return (f"gaps of up to {self.max_gap_hours:g} h ({self.max_gap_steps} steps) filled linearly in time "
                f"(MAX_GAP_HOURS): {int(filled.sum()) if filled.size else 0} cell-steps")

    def warnings(self, label: Optional[str] = None) -> list:
        """The longer gaps left as nodata, and theta10 that looks like percent."""
        found = []
        label = label or self.forcing.source
        unfilled = self._total(self.unfilled)
        if unfilled.size and unfilled.any():
            first = int(np.flatnonzero(unfilled)[0])
            found.append(f"{int(unfilled.sum())} cell-steps of the forcing ({label}) are missing in gaps longer than "
                         f"{self.max_gap_hours:g} h (MAX_GAP_HOURS) or at the ends of the series, the first at "
                         f"{iso(self.forcing.times[first])}: they are not filled, and the cell-years they fall in are "
                         f"nodata. Raise MAX_GAP_HOURS to fill longer gaps (the interpolation is linear in time).")
        valid, above = self._total(self.theta_valid), self._total(self.theta_above)
        if valid.size and valid.sum() and above.sum() / valid.sum() > MOST_STEPS:
            found.append(f"theta10 of the forcing ({label}) exceeds {SAND_POROSITY} m3 m-3, the porosity of sand, in "
                         f"{above.sum() / valid.sum():.0%} of the cell-steps: no dune sand holds that much water most "
                         f"of the time. Soil water in percent from a dry station (values below 1 %) reads like this "
                         f"as m3 m-3: divide the stack by 100 (or set VWC10_SCALE to 0.01). The flux computed from "
                         f"it is not to be trusted.")
        return found


def _key(window) -> tuple:
    return (int(window.row_off), int(window.col_off), int(window.height), int(window.width))
