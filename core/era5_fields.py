"""The unit every ERA5 / ERA5-Land reader hands to the forcing: one variable's fields from one file.

Readers of each layout (NetCDF old and new, Zarr, GRIB1 and GRIB2, inside a zip or not) turn a file
into ``FieldSeries``; ``core.era5_catalog`` groups them by variable, orders them by time and checks
that they fit together (docs/SCIENCE.md section 3, "As the data store delivers it"). Everything here
is plain data plus a read function, so a catalog can be sent to a cluster worker.
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from osgeo import gdal

from .grid import Grid

# ECMWF parameter ids (local table 128) of the variables the scheme reads (docs/SCIENCE.md section 3)
PARAMETER_IDS = {"skt": 235, "stl1": 139, "stl2": 170, "swvl1": 39, "swvl2": 40, "ssr": 176, "str": 177,
                 "ssrd": 169, "strd": 175, "tp": 228, "lsm": 172}
VARIABLE_OF_PARAMETER = {number: name for name, number in PARAMETER_IDS.items()}
REQUIRED_VARIABLES = ("skt", "stl1", "stl2", "swvl1", "swvl2")
TEMPERATURE_VARIABLES = ("skt", "stl1", "stl2")

# Reads steps [first, stop) of a window: float64 (steps, rows, cols), north-up rows, NaN where
# missing, in the series' ``units``; keywords: ``out`` (an array of that shape to write into), ``shift`` (added
# to every value: -273.15 for degC from K) and ``ranges`` (a ValueRange given the values' lowest and highest).
ReadFunction = Callable[..., np.ndarray]


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

# Members of zips are inflated into memory by GDAL while they are open; beyond this many bytes of
# open members the least recently read are closed (and inflated again if read again), so a run over
# many monthly zips keeps its memory bounded. A year of a small desert box fits and is inflated once.
MAX_OPEN_ZIP_BYTES = 512 * 2**20
# id -> (weak reference to the SharedDataset, uncompressed bytes): weak, so the registry never keeps a
# GDAL handle alive (a handle that outlives GDAL's shutdown crashes the interpreter at exit)
_open_zip_members: OrderedDict = OrderedDict()


class SharedDataset:
    """The GDAL dataset of one file, opened once for the readers of all its variables.

    A dataset per variable opened a file five times over (GRIB: GDAL indexes every message on
    opening; /vsizip/: each handle inflates the member). ``opener`` is a module-level function, so
    the object pickles without its handle and a worker reopens the file on first use; readers pickled
    together keep sharing one. Objects derived from the dataset (NetCDF arrays) are cached here too,
    so closing lets go of all of them. Not for concurrent use from several threads.
    """

    def __init__(self, path: str, opener: Callable[[str], Any], dataset: Any = None):
        self.path = path
        self.opener = opener
        self._dataset = None
        self._derived: dict = {}
        if dataset is not None:
            self._adopt(dataset)

    def __getstate__(self) -> dict:
        return {"path": self.path, "opener": self.opener, "_dataset": None, "_derived": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def get(self) -> Any:
        """The open dataset (opened now if it was not, or was closed)."""
        if self._dataset is None:
            self._adopt(self.opener(self.path))
        elif id(self) in _open_zip_members:
            _open_zip_members.move_to_end(id(self), last=True)
        return self._dataset

    def derived(self, key: str, make: Callable[[Any], Any]) -> Any:
        """``make(dataset)`` once per opening (e.g. a NetCDF variable's array), cached under ``key``."""
        dataset = self.get()
        if key not in self._derived:
            self._derived[key] = make(dataset)
        return self._derived[key]

    def close(self) -> None:
        """Let go of the GDAL handle and what was derived from it now (the next read reopens): a handle
        that outlives QGIS's GDAL shutdown, e.g. held by an error's traceback, crashes the interpreter."""
        self._derived = {}
        self._dataset = None
        _open_zip_members.pop(id(self), None)

    def _adopt(self, dataset: Any) -> None:
        self._dataset = dataset
        self._derived = {}
        if self.path.startswith("/vsizip/"):
            stat = gdal.VSIStatL(self.path)
            key = id(self)
            _open_zip_members[key] = (weakref.ref(self, lambda _: _open_zip_members.pop(key, None)),
                                      stat.size if stat is not None else 0)
            while len(_open_zip_members) > 1 and sum(size for _, size in _open_zip_members.values()) > \
                    MAX_OPEN_ZIP_BYTES:
                _, (oldest, _) = _open_zip_members.popitem(last=False)
                if oldest() is not None:
                    oldest().close()
