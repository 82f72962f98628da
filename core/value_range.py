"""The lowest and highest value of a field, gathered while it is read, for the unit checks of ``core.forcing``."""
from __future__ import annotations

import numpy as np


def finite_range(values: np.ndarray) -> tuple:
    """(lowest, highest) of the finite values, (nan, nan) without any: fmin / fmax skip NaN, so one pass each
    and no copy of the finite values."""
    if values.size == 0:
        return float("nan"), float("nan")
    with np.errstate(invalid="ignore"):
        return float(np.fmin.reduce(values, axis=None)), float(np.fmax.reduce(values, axis=None))


class ValueRange:
    """The lowest and highest finite value of a field read piece by piece (NaN, NaN: none yet), and whether a value
    is missing. A reader adds the values it wrote (``add``) or, when it knows them from the packed integers it read,
    their bounds (``add_bounds``: no pass over the floats)."""

    def __init__(self):
        self.low, self.high, self.missing = float("nan"), float("nan"), False

    def add(self, values: np.ndarray) -> None:
        if values.size == 0:
            return
        low, high = float(np.min(values)), float(np.max(values))     # NaN when one is: then the finite ones
        if np.isnan(low) or np.isnan(high):
            self.missing = True
            low, high = finite_range(values)
        self.add_bounds(low, high)

    def add_bounds(self, low: float, high: float, missing: bool = False) -> None:
        self.low, self.high = float(np.fmin(self.low, low)), float(np.fmax(self.high, high))
        self.missing = self.missing or missing
