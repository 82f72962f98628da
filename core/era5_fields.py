"""The unit every ERA5 / ERA5-Land reader hands to the forcing: one variable's fields from one file.

Readers of each layout (NetCDF old and new, Zarr, GRIB1 and GRIB2, inside a zip or not) turn a file
into ``FieldSeries``; ``core.era5_catalog`` groups them by variable, orders them by time and checks
that they fit together (docs/SCIENCE.md section 3, "As the data store delivers it"). Everything here
is plain data plus a read function, so a catalog can be sent to a cluster worker.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from rasterio.windows import Window

from .grid import Grid

# ECMWF parameter ids (local table 128) of the variables the scheme reads (docs/SCIENCE.md section 3)
PARAMETER_IDS = {"skt": 235, "stl1": 139, "stl2": 170, "swvl1": 39, "swvl2": 40, "ssr": 176, "str": 177,
                 "ssrd": 169, "strd": 175, "tp": 228, "lsm": 172}
VARIABLE_OF_PARAMETER = {number: name for name, number in PARAMETER_IDS.items()}
REQUIRED_VARIABLES = ("skt", "stl1", "stl2", "swvl1", "swvl2")
TEMPERATURE_VARIABLES = ("skt", "stl1", "stl2")

# Reads steps [first, stop) of a window: float64 (steps, rows, cols), north-up rows, NaN where
# missing, in the series' ``units``.
ReadFunction = Callable[[int, int, Window], np.ndarray]


@dataclass
class FieldSeries:
    """One variable's consecutive fields in one file (or one member of a zip, or one Zarr array)."""
    variable: str                     # ERA5 short name: skt, stl1, stl2, swvl1, swvl2, ssr, str, tp, lsm
    source: str                       # the file as the user gave it, for messages
    times: np.ndarray                 # int64 epoch seconds of each field's valid time, increasing
    grid: Grid                        # lon/lat grid of the fields, north-up
    units: str                        # as the file says: "K", "m**3 m**-3", "J m**-2", "m", ...
    read: ReadFunction
    attributes: dict = field(default_factory=dict)   # what the file says about its dataset (GRIB_*, grid step)
