"""Ocean cells left out of a run: the land-sea mask, and ERA5's sea values in the soil fields.

The land-sea mask (ERA5 ``lsm``, the land fraction 0-1) comes from the FORCING files when they hold it
or from its own file (LAND_SEA_MASK: an ERA5 file or any raster); cells with lsm < 0.5 are left out.
The data store delivers lsm with one (arbitrary) valid time, or in NetCDF sometimes with no time
dimension at all: the catalog keeps it off the common time axis, and the NetCDF reader leaves a
time-less array out, so such an lsm is read here directly. ERA5 (not ERA5-Land, which has NaN over
sea) holds soil water 0 over sea, down to about -3e-6 after GRIB packing: a cell whose first step has
swvl1 or swvl2 at or below 0 is sea too. Both kinds are counted for the log.
"""
from __future__ import annotations

import os
from typing import Callable, Optional

import numpy as np
from rasterio.windows import Window

from .era5_catalog import FIELD_SUFFIXES, GRID_TOLERANCE, ZIP_SUFFIX, expand_forcing_paths, field_series_of
# the NetCDF reader's helpers for attributes, grid and packing: one reading of a file's conventions
from .era5_fields import SharedDataset
from .era5_netcdf import (LATITUDE_NAMES, LONGITUDE_NAMES, _attributes, _coordinate, _degrees, _grid, _int, _packing,
                          open_multidim)
from .errors import InputError
from .raster_io import ResampledInput

LAND_FRACTION = 0.5               # ECMWF's own threshold between sea and land points
LSM_PARAMETER_ID = 172


class LandSea:
    """Per window: which cells are sea by the land-sea mask, and which have no soil (ERA5's sea values).

    ``label`` names the mask's source for the log ("" when there is no mask); ``resampled`` is True
    when a raster mask is warped onto the forcing grid.
    """

    def __init__(self, forcing, read_lsm: Optional[Callable[[Window], np.ndarray]], label: str,
                 closer: Optional[Callable[[], None]] = None, resampled: bool = False):
        self.forcing, self.read_lsm, self.label = forcing, read_lsm, label
        self.closer, self.resampled = closer, resampled
        self.lsm_cells = self.no_soil_cells = 0

    def sea(self, window: Window) -> np.ndarray:
        """Cells of ``window`` left out as sea (lsm < 0.5, or no soil water); counted once per window."""
        shape = (int(window.height), int(window.width))
        by_lsm = np.zeros(shape, dtype=bool)
        if self.read_lsm is not None:
            lsm = self.read_lsm(window)
            by_lsm = np.isfinite(lsm) & (lsm < LAND_FRACTION)     # NaN lsm: the forcing decides (nodata)
        no_soil = np.zeros(shape, dtype=bool)
        if hasattr(self.forcing, "no_soil"):          # ERA5 files; raster stacks have no sea value convention
            no_soil = self.forcing.no_soil(window) & ~by_lsm
        self.lsm_cells += int(by_lsm.sum())
        self.no_soil_cells += int(no_soil.sum())
        return by_lsm | no_soil

    @property
    def ocean_cells(self) -> int:
        return self.lsm_cells + self.no_soil_cells

    def describe(self) -> str:
        """The log line: how many cells were left out as sea, and why."""
        mask = f"{self.lsm_cells} with lsm < {LAND_FRACTION} ({self.label})" if self.label else \
            "no land-sea mask (no lsm in FORCING, no LAND_SEA_MASK)"
        return (f"Ocean cells left out: {self.ocean_cells}: {mask}; {self.no_soil_cells} more with soil water "
                f"at or below 0 (ERA5's sea value).")

    def close(self) -> None:
        if self.closer is not None:
            self.closer()


def open_land_sea(forcing, path: Optional[str] = None) -> LandSea:
    """The land-sea mask of a run: LAND_SEA_MASK when given (it wins over an lsm in FORCING), else the
    lsm of the FORCING files (with or without a time dimension), else none (the soil test still runs)."""
    grid = forcing.grid
    if path:
        return _from_file(forcing, str(path))
    catalog = getattr(forcing, "catalog", None)
    if catalog is None:
        return LandSea(forcing, None, "")
    if "lsm" in catalog.variables:
        return LandSea(forcing, lambda window: catalog.read("lsm", 0, 1, window)[0],
                       f"lsm in FORCING, {catalog.sources('lsm', 0, 1)[0]}")
    for candidate in catalog.paths:
        reader = _invariant_lsm(candidate, grid)
        if reader is not None:
            return LandSea(forcing, reader, f"time-invariant lsm in FORCING, {candidate}", reader.close)
    return LandSea(forcing, None, "")


def _from_file(forcing, path: str) -> LandSea:
    label = f"LAND_SEA_MASK ({path})"
    lower = path.lower().rstrip("/")
    if not lower.endswith(FIELD_SUFFIXES + (ZIP_SUFFIX,)) and not os.path.isdir(path):
        raster = ResampledInput(path, "LAND_SEA_MASK", forcing.grid)     # bilinear: lsm is a fraction
        return LandSea(forcing, raster.read, label, raster.close, raster.resampled)
    for member in expand_forcing_paths([path]):
        for series in field_series_of(member):
            if series.variable == "lsm":
                _check_grid(series.grid, forcing.grid, label)
                return LandSea(forcing, lambda window, s=series: s.read(0, 1, window)[0], label)
        reader = _invariant_lsm(member, forcing.grid, label)
        if reader is not None:
            return LandSea(forcing, reader, label, reader.close)
    raise InputError(f"{label}: no land-sea mask (ERA5 variable lsm, parameter id {LSM_PARAMETER_ID}) in the "
                     f"file; give the ERA5 lsm file or a raster of the land fraction 0-1.")


def _check_grid(grid, forcing_grid, label: str) -> None:
    if not grid.same_as(forcing_grid, tolerance=GRID_TOLERANCE):
        raise InputError(f"{label}: its grid differs from the FORCING grid; give the lsm of the same dataset "
                         f"and area (ERA5 0.25° or ERA5-Land 0.1°), or a raster, which is resampled.")


def _invariant_lsm(path: str, grid, label: Optional[str] = None) -> Optional[Callable[[Window], np.ndarray]]:
    """A reader of a NetCDF / Zarr lsm without a time dimension (the NetCDF reader leaves it out), or None."""
    if not (path.lower().rstrip("/").endswith((".nc", ".nc4", ".zarr")) or os.path.isdir(path)):
        return None
    root = open_multidim(path).GetRootGroup()
    for name in root.GetMDArrayNames() or []:
        array = root.OpenMDArray(name)
        if name != "lsm" and _int(_attributes(array).get("GRIB_paramId")) != LSM_PARAMETER_ID:
            continue
        dims = array.GetDimensions()
        axes = {}
        for axis, dim in enumerate(dims):
            kind = dim.GetType() or ""
            if dim.GetName() in LATITUDE_NAMES or kind == "HORIZONTAL_Y":
                axes["lat"] = axis
            elif dim.GetName() in LONGITUDE_NAMES or kind == "HORIZONTAL_X":
                axes["lon"] = axis
            elif dim.GetSize() != 1:
                return None               # a time axis: the catalog has it already
        if set(axes) != {"lat", "lon"}:
            return None
        # _degrees: the old layout's float32 coordinates as the decimals meant, as the forcing reads them
        latitudes = _degrees(_coordinate(root, dims[axes["lat"]]).ReadAsArray())
        longitudes = _degrees(_coordinate(root, dims[axes["lon"]]).ReadAsArray())
        lsm_grid, _ = _grid(path, name, latitudes, longitudes)
        _check_grid(lsm_grid, grid, label or f"lsm in FORCING ({path})")
        return _InvariantRead(path, name, len(dims), axes, latitudes.size, latitudes[0] > latitudes[-1],
                              *_packing(array))
    return None


class _InvariantRead:
    """``read(window)`` of a time-less lsm array: float64, north-up, NaN where missing."""

    def __init__(self, path, name, rank, axes, height, north_up, scale, offset, missing):
        self.path, self.name, self.rank, self.axes = path, name, rank, axes
        self.height, self.north_up = height, north_up
        self.scale, self.offset, self.missing = scale, offset, missing
        self._shared = SharedDataset(path, open_multidim)     # opened once for every window, zip-bounded

    def close(self) -> None:
        self._shared.close()

    def __call__(self, window: Window) -> np.ndarray:
        rows = int(window.height)
        row0 = int(window.row_off) if self.north_up else self.height - int(window.row_off) - rows
        start, count = [0] * self.rank, [1] * self.rank
        start[self.axes["lat"]], count[self.axes["lat"]] = row0, rows
        start[self.axes["lon"]], count[self.axes["lon"]] = int(window.col_off), int(window.width)
        array = self._shared.derived(self.name, lambda dataset: dataset.GetRootGroup().OpenMDArray(self.name))
        raw = array.ReadAsArray(array_start_idx=start, count=count).astype(np.float64).reshape(count)
        if self.axes["lat"] > self.axes["lon"]:
            raw = np.swapaxes(raw, self.axes["lat"], self.axes["lon"])
        raw = raw.reshape(rows, int(window.width))
        invalid = ~np.isfinite(raw)
        for value in self.missing:
            invalid |= raw == value
        values = np.where(invalid, np.nan, raw * self.scale + self.offset)
        return values if self.north_up else values[::-1, :]
