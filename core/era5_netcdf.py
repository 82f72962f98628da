"""ERA5 / ERA5-Land NetCDF (both data-store layouts) and Zarr, read as ``FieldSeries``.

One code path for all of them: GDAL's multidimensional API opens NetCDF 3 and 4 and Zarr alike,
and any GDAL path (``/vsizip/``, ``/vsis3/``, ``/vsicurl/``) as well as a local one. What differs
between layouts (docs/SCIENCE.md section 3, "As the data store delivers it") is handled per array:

- the time dimension is ``time`` (hours since 1900, old layout) or ``valid_time`` (seconds since
  1970, new layout), converted by its CF units;
- values are int16 packed with ``scale_factor``/``add_offset`` and a fill, or float32 with NaN fill;
- ``expver`` may be a dimension (ERA5 mixed with the preliminary ERA5T): per step the one value
  present is taken; ``expver`` and ``number`` as coordinates (new layout) are ignored, as is any
  other dimension of length one;
- latitudes run north to south or south to north; reads are always north-up.

Reading rasterio-style (a NetCDF time axis as thousands of bands) is about 300 times slower on a
year of hourly steps, hence the multidimensional API.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from osgeo import gdal, gdal_array
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window

from .era5_fields import PARAMETER_IDS, VARIABLE_OF_PARAMETER, FieldSeries, SharedDataset
from .errors import InputError
from .grid import Grid
from .timeaxis import iso, seconds_from_cf
from .kept_arrays import KeptArrays
from .value_range import ValueRange

gdal.UseExceptions()

TIME_NAMES = ("time", "valid_time")
LATITUDE_NAMES = ("latitude", "lat")
LONGITUDE_NAMES = ("longitude", "lon")
EXPVER = "expver"
UNPACK_CELLS = 2 ** 18             # values unpacked at once: their passes stay in the CPU's cache


def open_multidim(path: str):
    """The GDAL multidimensional dataset of a NetCDF file or Zarr store; InputError naming it if not."""
    try:
        dataset = gdal.OpenEx(str(path), gdal.OF_MULTIDIM_RASTER)
    except RuntimeError as error:
        raise InputError(f"{path}: cannot be opened as NetCDF or Zarr ({error}).") from None
    if dataset is None:
        raise InputError(f"{path}: cannot be opened as NetCDF or Zarr.")
    return dataset


def netcdf_field_series(path: str) -> list[FieldSeries]:
    """One FieldSeries per known ERA5 variable in a NetCDF file or Zarr store (absent ones are left out).

    Variables are known by their ERA5 short name or, failing that, by the ``GRIB_paramId`` the data
    store copies into NetCDF. Arrays without a time dimension (an invariant land-sea mask) are left out.
    """
    path = str(path)
    shared = SharedDataset(path, open_multidim, open_multidim(path))     # one dataset for every variable
    root = shared.get().GetRootGroup()
    coordinates = {}                # dimension -> its values, read once for all the variables on it
    out = []
    for name in root.GetMDArrayNames() or []:
        array = root.OpenMDArray(name)
        attributes = _attributes(array)
        variable = name if name in PARAMETER_IDS else VARIABLE_OF_PARAMETER.get(_int(attributes.get("GRIB_paramId")))
        if variable is None:
            continue
        layout = _layout(path, root, name, array, shared, coordinates)
        if layout is None:
            continue
        times, latitudes, longitudes, reader = layout
        grid, step = _grid(path, name, latitudes, longitudes)
        kept = {k: v for k, v in attributes.items() if k.startswith("GRIB_")}
        kept["grid_step"] = step
        out.append(FieldSeries(variable=variable, source=path, times=times, grid=grid,
                               units=array.GetUnit() or str(attributes.get("units", "")), read=reader,
                               attributes=kept))
    return out


def _attributes(array) -> dict:
    out = {}
    for attribute in array.GetAttributes() or []:
        try:
            out[attribute.GetName()] = attribute.Read()
        except RuntimeError:          # an attribute type GDAL cannot hand to Python: not one we need
            continue
    return out


def _int(value):
    try:
        return int(np.atleast_1d(value)[0])
    except (TypeError, ValueError, IndexError):
        return None


def _coordinate(root, dimension):
    array = dimension.GetIndexingVariable()
    if array is None:
        array = root.OpenMDArray(dimension.GetName())
    return array


def _coordinate_values(root, dimension, cache: dict) -> tuple:
    """(values, attributes, unit) of a dimension's coordinate, read once per file: a record dimension's
    coordinate of a NetCDF-3 file is spread over every record of the file."""
    key = dimension.GetFullName()
    if key not in cache:
        array = _coordinate(root, dimension)
        cache[key] = (array.ReadAsArray(), _attributes(array), array.GetUnit())
    return cache[key]


def _layout(path, root, name, array, shared=None, coordinates=None):
    """(times, latitudes, longitudes, reader) of an array, or None when it has no time dimension."""
    dims = array.GetDimensions()
    names = [d.GetName() for d in dims]
    roles = {}
    for axis, (dim, dim_name) in enumerate(zip(dims, names)):
        kind = dim.GetType() or ""
        if dim_name in TIME_NAMES or kind == "TEMPORAL":
            role = "time"
        elif dim_name in LATITUDE_NAMES or kind == "HORIZONTAL_Y":
            role = "lat"
        elif dim_name in LONGITUDE_NAMES or kind == "HORIZONTAL_X":
            role = "lon"
        elif dim_name == EXPVER:
            role = "expver"
        elif dim.GetSize() == 1:        # number (ensemble member) or any other singleton: index 0
            continue
        else:
            raise InputError(f"{path}: variable {name} has dimensions {names}; expected (time, latitude, "
                             f"longitude), optionally with expver, and no other dimension longer than 1.")
        if role in roles:
            raise InputError(f"{path}: variable {name} has two {role} dimensions ({names}).")
        roles[role] = axis
    if "lat" not in roles or "lon" not in roles:
        raise InputError(f"{path}: variable {name} has dimensions {names}; latitude and longitude expected.")
    if "time" not in roles:
        return None
    coordinates = {} if coordinates is None else coordinates
    time_values, time_attributes, time_unit = _coordinate_values(root, dims[roles["time"]], coordinates)
    label = f"{path}, variable {names[roles['time']]}"
    times = seconds_from_cf(time_values, str(time_attributes.get("units") or time_unit),
                            str(time_attributes.get("calendar", "standard")), label)
    if len(times) > 1 and np.any(np.diff(times) <= 0):
        i = int(np.flatnonzero(np.diff(times) <= 0)[0])
        raise InputError(f"{label}: the time axis is not increasing at step {i + 2} ({iso(times[i])} is "
                         f"followed by {iso(times[i + 1])}).")
    latitudes = _degrees(_coordinate_values(root, dims[roles["lat"]], coordinates)[0])
    longitudes = _degrees(_coordinate_values(root, dims[roles["lon"]], coordinates)[0])
    north_up = latitudes.size < 2 or latitudes[0] > latitudes[-1]
    scale, offset, missing = _packing(array)
    expvers = _expver_labels(root, dims[roles["expver"]]) if "expver" in roles else []
    reader = NetcdfRead(path, name, len(dims), roles, len(latitudes), north_up, scale, offset, missing,
                        times, expvers, shared)
    return times, latitudes, longitudes, reader


def _degrees(values) -> np.ndarray:
    """Coordinates as float64; float32 ones as the shortest decimals that are the same float32.

    The old data-store layout stores latitude and longitude as float32: 80.05 is read as
    80.05000305, and a 4-cell 0.1 degree grid as steps of 0.100001, which GRIB's and the new layout's
    (float64) coordinates of the same grid do not match to the catalog's 1e-6 degrees. The shortest
    decimal that rounds to the float32 (80.05) is the value that was meant.
    """
    values = np.asarray(values)
    if values.dtype == np.float32:
        return values.astype(str).astype(np.float64)
    return values.astype(np.float64)


def _expver_labels(root, dimension) -> list:
    """The expver of each slot ("1" = ERA5, "5" = ERA5T), for messages; slot numbers if unreadable."""
    try:
        values = _coordinate(root, dimension).ReadAsArray()
        return [str(int(v)) if not isinstance(v, (str, bytes)) else str(v) for v in np.atleast_1d(values)]
    except (RuntimeError, TypeError, ValueError, AttributeError):
        return [f"slot {k}" for k in range(dimension.GetSize())]


def _grid(path, name, latitudes, longitudes):
    """The north-up lon/lat grid of cell centres, and its (dx, dy) step in degrees."""
    lat, lon = latitudes, longitudes
    if lat.size < 2 or lon.size < 2:
        raise InputError(f"{path}: variable {name}: the grid needs at least two latitudes and two longitudes.")
    dx = (lon[-1] - lon[0]) / (lon.size - 1)
    dy = abs(lat[-1] - lat[0]) / (lat.size - 1)
    # coordinates are often float32 (7 digits): at 80 degE a 0.1 degree spacing carries 1e-4
    # relative noise, so allow a thousandth of a cell
    if not (np.allclose(np.diff(lon), dx, rtol=0, atol=1e-3 * abs(dx))
            and np.allclose(np.abs(np.diff(lat)), dy, rtol=0, atol=1e-3 * dy)):
        raise InputError(f"{path}: variable {name}: latitudes or longitudes are not equally spaced.")
    top = lat.max() + dy / 2
    return (Grid(CRS.from_epsg(4326), Affine(dx, 0.0, lon[0] - dx / 2, 0.0, -dy, top), lon.size, lat.size),
            (float(dx), float(dy)))


def _packing(array):
    """(scale, offset, raw values that mean missing) of a NetCDF variable, read once per file."""
    missing = []
    if array.GetNoDataValueAsRaw() is not None:
        missing.append(array.GetNoDataValueAsDouble())
    attributes = _attributes(array)
    if "missing_value" in attributes:
        missing.append(float(np.atleast_1d(attributes["missing_value"])[0]))
    return (array.GetScale() or 1.0, array.GetOffset() or 0.0,
            [m for m in missing if np.isfinite(m)])     # NaN fill is caught by the finiteness test


def unpack(raw: np.ndarray, scale: float, offset: float, missing: list, out: np.ndarray | None = None,
           ranges: ValueRange | None = None) -> np.ndarray:
    """Stored values (packed integers or floats) as float64 ``raw * scale + offset``, NaN where non-finite or one
    of the ``missing`` raw values; into ``out`` (of ``raw``'s shape) when given. Written in place, slab by slab:
    the reader of a year of hourly fields touches each value a few times instead of a dozen. ``ranges`` is given
    the lowest and highest value: for packed integers from their own lowest and highest (a quarter of the bytes),
    which also tell whether a missing value can be there at all."""
    values = np.empty(raw.shape) if out is None else out
    step = max(1, UNPACK_CELLS // max(1, int(np.prod(raw.shape[1:]))))
    for first in range(0, len(raw), step):          # slabs of steps that stay in the CPU's cache
        part, slab = raw[first:first + step], values[first:first + step]
        bounds = None
        if raw.dtype.kind in "iu" and part.size and (missing or ranges is not None):
            bounds = part.min(), part.max()
            present = [value for value in missing if bounds[0] <= value <= bounds[1]]
        else:
            present = missing
        invalid = ~np.isfinite(part) if raw.dtype.kind == "f" else None
        for value in present:
            equal = part == value
            invalid = equal if invalid is None else np.logical_or(invalid, equal, out=invalid)
        slab[...] = part
        if scale != 1.0:
            slab *= scale
        if offset != 0.0:
            slab += offset
        has_invalid = invalid is not None and invalid.any()
        if has_invalid:
            np.copyto(slab, np.nan, where=invalid)
        if ranges is None:
            continue
        if bounds is None or has_invalid:
            ranges.add(slab)
        else:
            ranges.add_bounds(*unpacked_range(*bounds, scale, offset))
    return values


def unpacked_range(low, high, scale: float, offset: float) -> tuple:
    """(lowest, highest) unpacked value of packed integers from ``low`` to ``high``: the values' own arithmetic
    (float64 times scale plus offset), so the same bits as the values."""
    ends = np.array([low, high], dtype=np.float64) * scale + offset
    return float(ends.min()), float(ends.max())


@dataclass
class Packed:
    """Stored integers and their packing: ``unpack(raw, scale, offset, missing)`` gives the values."""
    raw: np.ndarray
    scale: float
    offset: float
    missing: list

    def bounds(self, shift: float = 0.0) -> tuple:
        """(lowest, highest) value (``shift`` added, as ``unpack``'s offset) and whether a missing value can be there,
        from the integers' own range."""
        if self.raw.size == 0:
            return np.nan, np.nan, False
        low, high = self.raw.min(), self.raw.max()
        return (*unpacked_range(low, high, self.scale, self.offset + shift),
                any(low <= value <= high for value in self.missing))


class NetcdfRead:
    """``read(first, stop, window)`` of one variable in one file: float64, north-up, NaN where missing.

    Holds the path, the index layout and the file's ``SharedDataset``, which reopens the dataset on
    first use after unpickling, so it pickles (a Dask worker reopens the file itself: docs/DESIGN.md,
    "Beyond one machine").
    """

    def __init__(self, path: str, name: str, rank: int, roles: dict, height: int, north_up: bool,
                 scale: float, offset: float, missing: list, times: np.ndarray, expvers: list = (),
                 shared: SharedDataset | None = None):
        self.path, self.name, self.rank, self.roles = path, name, rank, dict(roles)
        self.height, self.north_up = height, north_up
        self.scale, self.offset, self.missing = float(scale), float(offset), list(missing)
        self.times, self.expvers = times, list(expvers)
        self._shared = shared if shared is not None else SharedDataset(path, open_multidim)
        self._raw = KeptArrays()       # the packed values of the last read, kept for the next (not pickled)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_raw": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _raw=KeptArrays())

    def close(self) -> None:
        """Drop the file's dataset and its arrays; the next read reopens them."""
        self._shared.close()

    def _open(self):
        return self._shared.derived(self.name, lambda dataset: dataset.GetRootGroup().OpenMDArray(self.name))

    def _read_raw(self, first: int, stop: int, window: Window, kept: KeptArrays, role: str) -> np.ndarray:
        """The stored values of steps [first, stop) in ``window`` as (time[, expver], lat, lon), in ``kept``'s array
        of ``role``."""
        rows = int(window.height)
        row0 = int(window.row_off) if self.north_up else self.height - int(window.row_off) - rows
        start, count = [0] * self.rank, [1] * self.rank
        for axis_role, (lo, n) in (("time", (first, stop - first)), ("lat", (row0, rows)),
                                   ("lon", (window.col_off, window.width)), ("expver", (0, len(self.expvers)))):
            if axis_role in self.roles:
                start[self.roles[axis_role]], count[self.roles[axis_role]] = int(lo), int(n)
        array = self._open()
        dtype = gdal_array.GDALTypeCodeToNumericTypeCode(array.GetDataType().GetNumericDataType())
        raw = array.ReadAsArray(array_start_idx=start, count=count, buf_obj=kept.array(role, tuple(count), dtype))
        order = [self.roles[r] for r in ("time", "expver", "lat", "lon") if r in self.roles]
        singletons = [axis for axis in range(self.rank) if axis not in order]
        return np.transpose(raw, order + singletons).reshape([count[a] for a in order])

    def read_packed(self, first: int, stop: int, window: Window, kept: KeptArrays, role: str):
        """``Packed`` values of steps [first, stop) (in ``kept``'s array of ``role``), for the common layout of packed
        integers; None for any other (floats, expver, south-up rows), which ``__call__`` reads."""
        if "expver" in self.roles or not self.north_up or self._open().GetDataType().GetNumericDataType() not in (
                gdal.GDT_Byte, gdal.GDT_Int16, gdal.GDT_UInt16, gdal.GDT_Int32, gdal.GDT_UInt32):
            return None
        return Packed(self._read_raw(first, stop, window, kept, role), self.scale, self.offset, self.missing)

    def __call__(self, first: int, stop: int, window: Window, out: np.ndarray | None = None, shift: float = 0.0,
                 ranges: ValueRange | None = None) -> np.ndarray:
        raw = self._read_raw(first, stop, window, self._raw, "raw")
        if "expver" not in self.roles and self.north_up:     # the common layout: straight into ``out``
            return unpack(raw, self.scale, self.offset + shift, self.missing, out, ranges)
        values = unpack(raw, self.scale, self.offset + shift, self.missing)
        if "expver" in self.roles:
            values = self._collapse_expver(values, first)
        values = values if self.north_up else values[:, ::-1, :]
        if ranges is not None:
            ranges.add(values)
        if out is None:
            return values
        out[...] = values
        return out

    def _collapse_expver(self, values: np.ndarray, first: int) -> np.ndarray:
        """Per step and cell the one expver (ERA5 or ERA5T) that holds a value."""
        present = np.isfinite(values)
        out = np.full(values.shape[:1] + values.shape[2:], np.nan)
        holder = np.full(out.shape, -1)
        for k in range(values.shape[1]):
            plane = values[:, k]
            clash = present[:, k] & np.isfinite(out) & (plane != out)
            if clash.any():
                step, row, col = (int(i[0]) for i in np.nonzero(clash))
                raise InputError(f"{self.path}: variable {self.name} holds two different values at "
                                 f"{iso(self.times[first + step])} (expver {self.expvers[holder[step, row, col]]} "
                                 f"and expver {self.expvers[k]}); per step only one of ERA5 (expver 1) and ERA5T "
                                 f"(expver 5) may be present.")
            holder = np.where(present[:, k] & np.isnan(out), k, holder)
            out = np.where(present[:, k], plane, out)
        return out
