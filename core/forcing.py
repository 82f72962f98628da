"""Forcing stacks: ERA5 / ERA5-Land files, or one time-stacked raster per variable.

Both give the same thing to the flux scheme: a grid, a regular time axis (epoch seconds) and
``read(first, stop, window)`` returning T0 and T10 in degC and theta10 in m3 m-3 as float64, NaN
where data are missing. Values are checked on every read, so kelvin declared as degC (or the
reverse) or VWC outside 0-1 stops the run with the file named.
"""
from typing import Iterable, NamedTuple, Optional

import numpy as np
from osgeo import gdal
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window

from .accumulation import hourly_amounts
from .cluster import local_path
from .era5_catalog import ForcingCatalog
from .era5_fields import REQUIRED_VARIABLES, TEMPERATURE_VARIABLES
from .errors import InputError
from .grid import Grid
from .era5_netcdf import unpack
from .kept_arrays import KeptArrays, kept_or_new
from .value_range import ValueRange, finite_range
from .timeaxis import regular_step, seconds_from_iso
from .units import KELVIN

gdal.UseExceptions()

CELSIUS_UNITS = ("degC", "C", "°C", "deg_C", "celsius")
# ERA5 soil layers 0-7 and 7-28 cm have midpoints 3.5 and 17.5 cm; 10 cm lies 6.5/14 of the way.
DEPTH_WEIGHT_10CM = (10.0 - 3.5) / (17.5 - 3.5)
PLAUSIBLE_CELSIUS = (-100.0, 100.0)
# ERA5 GRIB holds soil water 0 over sea, packed down to about -3e-6: negatives this small mean "no soil"
# (the cell is left out), larger ones are wrong data
SEA_SOIL_WATER_NOISE = 1e-5
SLAB_VALUES = 2 ** 16               # values interpolated to 10 cm at once: the three passes stay in the CPU's cache


def check_temperature_range(low: float, high: float, declared: str, source: str) -> None:
    """Stop on temperatures whose lowest and highest finite values (NaN, NaN: none) cannot be degC after conversion
    from the declared unit."""
    if np.isnan(low):
        return
    if high > PLAUSIBLE_CELSIUS[1]:
        raise InputError(f"{source}: temperatures up to {high:.1f} degC after reading them as {declared}; "
                         f"they look like kelvin. Declare the unit as K.")
    if low < PLAUSIBLE_CELSIUS[0]:
        raise InputError(f"{source}: temperatures down to {low:.1f} degC after reading them as {declared}; "
                         f"they look like degC already. Declare the unit as degC.")


def check_water_content(theta: np.ndarray, source: str) -> float:
    """Stop on volumetric water content outside 0-1 (percent is named as the likely cause); returns the lowest
    finite value (NaN without any).

    Negatives down to -SEA_SOIL_WATER_NOISE pass: ERA5's sea value of soil water after GRIB packing
    (``without_sea_noise`` turns them into missing values)."""
    return check_water_content_range(*finite_range(theta), source)


def check_water_content_range(low: float, high: float, source: str) -> float:
    """``check_water_content`` on the lowest and highest finite values (NaN, NaN: none)."""
    if not np.isnan(low) and (low < -SEA_SOIL_WATER_NOISE or high > 1.0):
        hint = " (they look like percent)" if high <= 100.0 and high > 1.0 else ""
        sea = (f" ERA5's sea value (0 down to {-SEA_SOIL_WATER_NOISE:g}) is accepted and leaves the cell out; "
               f"this is below it." if low < -SEA_SOIL_WATER_NOISE else "")
        raise InputError(f"{source}: volumetric water content from {low:.3g} to "
                         f"{high:.3g}{hint}; expected m3 m-3 between 0 and 1.{sea}")
    return low


def without_sea_noise(theta: np.ndarray, lowest: float = -np.inf) -> np.ndarray:
    """Soil water with ERA5's sea values (tiny negatives, after ``check_water_content``) as missing; nothing to do
    when the ``lowest`` value is known not to be negative."""
    if not lowest >= 0.0:
        theta[theta < 0.0] = np.nan
    return theta


def between_layers(upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """``upper + DEPTH_WEIGHT_10CM * (lower - upper)``: the value at 10 cm, computed in ``lower``'s memory."""
    np.subtract(lower, upper, out=lower)
    lower *= DEPTH_WEIGHT_10CM
    lower += upper
    return lower


class ForcingFields(NamedTuple):
    """T0, T10 (degC) and theta10 (m3 m-3) as a forcing read them, with what the read found out on the way."""
    t0: np.ndarray
    t10: np.ndarray
    theta10: np.ndarray
    complete: bool                  # no value missing in any of the three
    theta10_high: float             # theta10 is at most this (NaN: no value)


def _found(ranges: Iterable[ValueRange], water: Iterable[ValueRange]) -> tuple:
    """(complete, theta10_high) from the ranges of the fields read and of the soil water fields theta10 is made of
    (a weighted mean of them: never above the highest; a negative sea value becomes missing)."""
    water = list(water)
    complete = not any(part.missing for part in ranges) and all(not part.low < 0.0 for part in water)
    return complete, max((part.high for part in water), default=np.nan)


class Era5Forcing:
    """ERA5 or ERA5-Land hourly fields as the Copernicus data store delivers them.

    Files, folders and zips in any order, NetCDF (both layouts), GRIB and Zarr: ``core.era5_catalog``
    finds the variables, puts the months together and refuses gaps, clashing duplicates, grids that
    differ and variables missing for part of the period. ``catalog`` stays available for the
    variables beyond the five read here (ssr, str, tp).
    """

    def __init__(self, paths: Iterable):
        self.catalog = ForcingCatalog(list(paths or []), REQUIRED_VARIABLES)
        self.grid = self.catalog.grid
        self.times = self.catalog.times
        self.step = self.catalog.step
        self.source = self.catalog.source
        for name in TEMPERATURE_VARIABLES:
            unit = self.catalog.units[name]
            if unit not in CELSIUS_UNITS + ("K",):
                self.close()
                raise InputError(f"{', '.join(self.catalog.sources(name, 0, len(self.times)))}: variable {name} "
                                 f"has units {unit!r}; expected K or degC.")

    def close(self) -> None:
        """Let go of the files' GDAL handles (a later read reopens them)."""
        self.catalog.close()

    def _variable(self, name: str, first: int, stop: int, window: Window, buffers: Optional[KeptArrays] = None,
                  ranges: Optional[ValueRange] = None) -> tuple:
        """(values, label) of ``name`` in its file unit, or in degC for a temperature read with ``ranges`` (its lowest
        and highest values gathered there, for the check)."""
        label = self._label(name, first, stop)
        out = None if buffers is None else buffers.array(name, (stop - first, int(window.height), int(window.width)))
        shift = -KELVIN if ranges is not None and self.catalog.units[name] == "K" else 0.0
        return self.catalog.read(name, first, stop, window, out, shift=shift, ranges=ranges), label

    def has(self, *names: str) -> bool:
        """Whether the files hold all of these variables (ssr, str, tp, lsm)."""
        return all(name in self.catalog.variables for name in names)

    def accumulated(self, name: str, first: int, stop: int, window: Window, rule: str) -> np.ndarray:
        """Amounts of ``name`` (ssr, str, tp) over the hour ending at each of steps [first, stop), in the
        file's unit, de-accumulated under ``rule``; the first step read is NaN under ERA5-Land, so read
        one step before the ones needed."""
        values, label = self._variable(name, first, stop, window)
        return hourly_amounts(values, self.times[first:stop], rule, name, label)

    def no_soil(self, window: Window) -> np.ndarray:
        """Cells where the first step's soil water (swvl1 or swvl2) is 0 or ERA5's tiny negative sea value:
        sea in ERA5, which has no NaN over sea; left out of the run."""
        sea = np.zeros((int(window.height), int(window.width)), dtype=bool)
        for name in ("swvl1", "swvl2"):
            values, label = self._variable(name, 0, 1, window)
            check_water_content(values, label)
            sea |= values[0] <= 0.0
        return sea

    def read(self, first: int, stop: int, window: Window, buffers: Optional[KeptArrays] = None,
             packed: bool = False) -> tuple:
        """T0 (degC), T10 (degC) and theta10 (m3 m-3) of steps [first, stop), T10 and theta10 linear in
        depth between the layer midpoints; in ``buffers``' arrays when given (overwritten by its next read);
        ``packed``: see ``read_fields``."""
        return tuple(self.read_fields(first, stop, window, buffers, packed)[:3])

    def read_fields(self, first: int, stop: int, window: Window, buffers: Optional[KeptArrays] = None,
                    packed: bool = False) -> ForcingFields:
        """``read``'s arrays and what was found on the way. The readers convert kelvin to degC as they unpack and
        gather each field's range (from the packed integers where the file is packed): no pass of its own over the
        values for either. ``packed``: where one file holds the chunk of every field as packed integers and no value
        is missing, the fields are ``PackedField`` / ``LayersAt10cm``, unpacked block by block where they are used
        (the same values, without writing and reading the whole chunk in float64 once more)."""
        if packed:
            fields = self._read_packed(first, stop, window, buffers if buffers is not None else KeptArrays())
            if fields is not None:
                return fields
        ranges = {name: ValueRange() for name in REQUIRED_VARIABLES}
        fields = {name: self._variable(name, first, stop, window, buffers, ranges[name]) for name in REQUIRED_VARIABLES}
        for name, (_, label) in fields.items():
            self._check_unit(name, ranges[name].low, ranges[name].high, label)
        for name in ("swvl1", "swvl2"):
            without_sea_noise(fields[name][0], ranges[name].low)
        t0, stl1, stl2, swvl1, swvl2 = (fields[name][0] for name in ("skt", "stl1", "stl2", "swvl1", "swvl2"))
        step = max(1, SLAB_VALUES // max(1, t0[0].size))
        for k in range(0, len(t0), step):
            between_layers(stl1[k:k + step], stl2[k:k + step])
            between_layers(swvl1[k:k + step], swvl2[k:k + step])
        return ForcingFields(t0, stl2, swvl2,
                             *_found(ranges.values(), (ranges["swvl1"], ranges["swvl2"])))

    def _check_unit(self, name: str, low: float, high: float, label: str) -> None:
        """A field's lowest and highest value against its unit: degC (after conversion) or m3 m-3."""
        if name in TEMPERATURE_VARIABLES:
            check_temperature_range(low, high, self.catalog.units[name], label)
        else:
            check_water_content_range(low, high, label)

    def _label(self, name: str, first: int, stop: int) -> str:
        return f"{', '.join(self.catalog.sources(name, first, stop))}, variable {name}"

    def _read_packed(self, first: int, stop: int, window: Window, kept: KeptArrays) -> Optional[ForcingFields]:
        parts = {}
        for name in REQUIRED_VARIABLES:
            part = self.catalog.read_packed(name, first, stop, window, kept, f"packed_{name}")
            if part is None:
                return None
            shift = -KELVIN if self.catalog.units[name] == "K" else 0.0
            low, high, missing = part.bounds(shift)
            if missing or (name in ("swvl1", "swvl2") and low < 0.0):    # gaps or sea: read as floats
                return None
            self._check_unit(name, low, high, self._label(name, first, stop))
            parts[name] = (PackedField(part, shift, kept, f"block_{name}"), high)
        return ForcingFields(parts["skt"][0], LayersAt10cm(parts["stl1"][0], parts["stl2"][0]),
                             LayersAt10cm(parts["swvl1"][0], parts["swvl2"][0]), True,
                             max(parts["swvl1"][1], parts["swvl2"][1]))


class PackedField:
    """A chunk of one field as the packed integers read (``era5_netcdf.Packed``), unpacked block by block when indexed
    (``t0[steps, rows, cols]``), into a kept array: the values are those of the chunk unpacked whole, bit for bit."""

    def __init__(self, packed, shift: float, kept: Optional[KeptArrays], role: str):
        self.packed, self.shift, self.kept, self.role = packed, shift, kept, role
        self.shape = packed.raw.shape

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key) -> np.ndarray:
        raw = self.packed.raw[key]          # no missing value in the chunk (``_read_packed``): none to look for
        return unpack(raw, self.packed.scale, self.packed.offset + self.shift, [],
                      kept_or_new(self.kept, self.role, raw.shape))

    def __array__(self, dtype=None) -> np.ndarray:
        values = unpack(self.packed.raw, self.packed.scale, self.packed.offset + self.shift, self.packed.missing)
        return values if dtype is None else values.astype(dtype)


class LayersAt10cm:
    """T10 or theta10 of a chunk from two ``PackedField`` layers, interpolated to 10 cm (``between_layers``) block by
    block when indexed, times ``factor`` (VWC10_SCALE: ``theta10 *= factor``)."""

    def __init__(self, upper: PackedField, lower: PackedField, factor: float = 1.0):
        self.upper, self.lower, self.factor = upper, lower, factor
        self.shape = upper.shape

    def __len__(self) -> int:
        return self.shape[0]

    def __imul__(self, factor: float) -> "LayersAt10cm":
        self.factor *= factor
        return self

    def __getitem__(self, key) -> np.ndarray:
        values = between_layers(self.upper[key], self.lower[key])
        if self.factor != 1.0:
            values *= self.factor
        return values

    def __array__(self, dtype=None) -> np.ndarray:
        values = between_layers(np.asarray(self.upper), np.asarray(self.lower))
        if self.factor != 1.0:
            values *= self.factor
        return values if dtype is None else values.astype(dtype)


class RasterStackForcing:
    """T0, T10 and VWC10 as one multiband raster each, one band per time step.

    The time of each band comes from its description (ISO 8601) or from ``start`` and ``step_seconds``.
    Read through GDAL directly: rasterio 1.3 spends about 0.6 ms per band on a window read, which
    for a year of hourly bands is 100 times the cost of the data.
    """

    def __init__(self, t0_path, t10_path, vwc_path, temperature_unit="degC", start=None, step_seconds=None):
        if temperature_unit not in ("degC", "K"):
            raise InputError(f"Temperature unit {temperature_unit!r}: expected degC or K.")
        self.temperature_unit = temperature_unit
        self.paths = {"T0": local_path(str(t0_path)), "T10": local_path(str(t10_path)),
                      "VWC10": local_path(str(vwc_path))}
        self.datasets = {name: _open_stack(name, path) for name, path in self.paths.items()}
        first = self.datasets["T0"]
        self.grid = _gdal_grid(first)
        if not first.GetProjection():
            raise InputError(f"T0 ({t0_path}): the raster has no coordinate reference system.")
        for name, dataset in self.datasets.items():
            if not self.grid.same_as(_gdal_grid(dataset)):
                raise InputError(f"The grids of T0 ({t0_path}) and {name} ({self.paths[name]}) do not "
                                 f"align: same size, extent and CRS expected.")
            if dataset.RasterCount != first.RasterCount:
                raise InputError(f"{name} ({self.paths[name]}) has {dataset.RasterCount} bands, T0 has "
                                 f"{first.RasterCount}: one band per time step expected in each.")
        if start is not None and step_seconds:
            begin = np.datetime64(start, "s").astype(np.int64)
            self.times = begin + int(step_seconds) * np.arange(first.RasterCount, dtype=np.int64)
        else:
            self.times = _band_times(first, f"T0 ({t0_path})")
            regular_step(self.times, f"T0 ({t0_path})")
            for name, dataset in self.datasets.items():
                label = f"{name} ({self.paths[name]})"
                if name != "T0" and not np.array_equal(_band_times(dataset, label), self.times):
                    raise InputError(f"{label}: band times differ from those of T0 ({t0_path}).")
        self.step = regular_step(self.times, f"T0 ({t0_path})")
        self.source = ", ".join(f"{k}={v}" for k, v in self.paths.items())

    def close(self) -> None:
        """Let go of the stacks' GDAL handles (a later read reopens them)."""
        self.datasets = {}

    def __getstate__(self) -> dict:
        """Pickled without the GDAL handles (a Dask worker reopens the stacks on its first read)."""
        return {**self.__dict__, "datasets": {}}

    def _read(self, name, first, stop, window, buffers=None):
        if name not in self.datasets:
            self.datasets[name] = _open_stack(name, self.paths[name])
        dataset = self.datasets[name]
        bands = list(range(int(first) + 1, int(stop) + 1))
        shape = (len(bands), int(window.height), int(window.width))
        raw = kept_or_new(buffers, name, shape)
        dataset.ReadAsArray(int(window.col_off), int(window.row_off), int(window.width), int(window.height),
                            band_list=bands, buf_obj=raw)
        band = dataset.GetRasterBand(1)
        invalid = ~np.isfinite(raw)
        if band.GetNoDataValue() is not None:
            invalid |= raw == band.GetNoDataValue()
        raw *= band.GetScale() or 1.0
        raw += band.GetOffset() or 0.0
        raw[invalid] = np.nan
        return raw

    def read(self, first: int, stop: int, window: Window, buffers: Optional[KeptArrays] = None,
             packed: bool = False) -> tuple:
        """T0, T10 (degC) and VWC10 (m3 m-3) of steps [first, stop); in ``buffers``' arrays when given."""
        return tuple(self.read_fields(first, stop, window, buffers, packed)[:3])

    def read_fields(self, first: int, stop: int, window: Window, buffers: Optional[KeptArrays] = None,
                    packed: bool = False) -> ForcingFields:
        """``read``'s arrays and what was found on the way (``packed``: a stack of rasters is read as floats)."""
        values, ranges = {}, {name: ValueRange() for name in self.paths}
        for name in ("T0", "T10"):
            temperature = self._read(name, first, stop, window, buffers)
            if self.temperature_unit == "K":
                temperature -= KELVIN
            ranges[name].add(temperature)
            check_temperature_range(ranges[name].low, ranges[name].high, self.temperature_unit,
                                    f"{name} ({self.paths[name]})")
            values[name] = temperature
        theta = self._read("VWC10", first, stop, window, buffers)
        ranges["VWC10"].add(theta)
        lowest = check_water_content_range(ranges["VWC10"].low, ranges["VWC10"].high, f"VWC10 ({self.paths['VWC10']})")
        return ForcingFields(values["T0"], values["T10"], without_sea_noise(theta, lowest),
                             *_found(ranges.values(), (ranges["VWC10"],)))


def _open_stack(name, path):
    try:
        return gdal.Open(str(path))
    except RuntimeError as error:
        raise InputError(f"{name} ({path}): cannot be opened as a raster ({error}).") from None


def _gdal_grid(dataset):
    wkt = dataset.GetProjection()
    return Grid(CRS.from_wkt(wkt) if wkt else None, Affine.from_gdal(*dataset.GetGeoTransform()),
                dataset.RasterXSize, dataset.RasterYSize)


def _band_times(dataset, label):
    return seconds_from_iso([dataset.GetRasterBand(i).GetDescription() for i in range(1, dataset.RasterCount + 1)],
                            label)
