"""Forcing stacks: ERA5 / ERA5-Land files, or one time-stacked raster per variable.

Both give the same thing to the flux scheme: a grid, a regular time axis (epoch seconds) and
``read(first, stop, window)`` returning T0 and T10 in degC and theta10 in m3 m-3 as float64, NaN
where data are missing. Values are checked on every read, so kelvin declared as degC (or the
reverse) or VWC outside 0-1 stops the run with the file named.
"""
from pathlib import Path

import numpy as np
from osgeo import gdal
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window

from .errors import InputError
from .grid import Grid
from .timeaxis import regular_step, seconds_from_cf, seconds_from_iso
from .units import KELVIN

gdal.UseExceptions()

ERA5_VARIABLES = ("skt", "stl1", "stl2", "swvl1", "swvl2")
# ERA5 soil layers 0-7 and 7-28 cm have midpoints 3.5 and 17.5 cm; 10 cm lies 6.5/14 of the way.
DEPTH_WEIGHT_10CM = (10.0 - 3.5) / (17.5 - 3.5)
PLAUSIBLE_CELSIUS = (-100.0, 100.0)


def check_temperature(celsius: np.ndarray, declared: str, source: str) -> None:
    """Stop on temperatures that cannot be degC after conversion from the declared unit."""
    finite = celsius[np.isfinite(celsius)]
    if finite.size == 0:
        return
    low, high = float(finite.min()), float(finite.max())
    if high > PLAUSIBLE_CELSIUS[1]:
        raise InputError(f"{source}: temperatures up to {high:.1f} degC after reading them as {declared}; "
                         f"they look like kelvin. Declare the unit as K.")
    if low < PLAUSIBLE_CELSIUS[0]:
        raise InputError(f"{source}: temperatures down to {low:.1f} degC after reading them as {declared}; "
                         f"they look like degC already. Declare the unit as degC.")


def check_water_content(theta: np.ndarray, source: str) -> None:
    """Stop on volumetric water content outside 0-1 (percent is named as the likely cause)."""
    finite = theta[np.isfinite(theta)]
    if finite.size and (finite.min() < 0.0 or finite.max() > 1.0):
        hint = " (they look like percent)" if finite.max() <= 100.0 and finite.max() > 1.0 else ""
        raise InputError(f"{source}: volumetric water content from {finite.min():.3g} to "
                         f"{finite.max():.3g}{hint}; expected m3 m-3 between 0 and 1.")


class Era5Forcing:
    """ERA5 or ERA5-Land hourly NetCDF files as the Copernicus data store delivers them.

    GRIB is recognised and refused with the conversion command: GDAL renames and re-units GRIB
    fields by its own parameter tables, and without a genuine ERA5 GRIB sample to test against, a
    reader of it would only look finished.

    Read through GDAL's multidimensional API: rasterio sees a NetCDF time axis as thousands of
    bands and reads a window of them about 300 times slower (measured on 8784 hourly steps).
    """

    def __init__(self, paths):
        if not paths:
            raise InputError("FORCING: no ERA5 file given.")
        files = [_Era5File(Path(p)) for p in paths]
        files.sort(key=lambda f: f.times[0])
        reference = files[0]
        for other in files[1:]:
            if not other.grid.same_as(reference.grid, tolerance=1e-6):
                raise InputError(f"The grids of {reference.path} and {other.path} do not align: "
                                 f"all FORCING files must share one latitude/longitude grid.")
        self.files = files
        self.grid = reference.grid
        self.times = np.concatenate([f.times for f in files])
        self.source = ", ".join(str(f.path) for f in files)
        self.step = regular_step(self.times, f"FORCING ({self.source})")
        self._offsets = np.cumsum([0] + [len(f.times) for f in files])

    def read(self, first: int, stop: int, window: Window) -> tuple:
        pieces = []
        for f, offset in zip(self.files, self._offsets[:-1]):
            lo, hi = max(first - offset, 0), min(stop - offset, len(f.times))
            if lo < hi:
                pieces.append(f.read(lo, hi, window))
        return tuple(np.concatenate([p[i] for p in pieces]) for i in range(3))


class _Era5File:
    def __init__(self, path):
        self.path = path
        try:
            dataset = gdal.OpenEx(str(path), gdal.OF_MULTIDIM_RASTER)
        except RuntimeError as error:
            raise InputError(f"{path}: cannot be opened as NetCDF ({error}).") from None
        if dataset.GetDriver().ShortName == "GRIB":
            raise InputError(f"{path}: GRIB is not read yet. Convert it to NetCDF first, e.g. "
                             f"`grib_to_netcdf -o {path.stem}.nc {path.name}` (ecCodes) or "
                             f"`cdo -f nc4 copy {path.name} {path.stem}.nc`, or download NetCDF from the CDS.")
        self._dataset = dataset
        root = dataset.GetRootGroup()
        names = set(root.GetMDArrayNames() or [])
        missing = [v for v in ERA5_VARIABLES if v not in names]
        if missing:
            raise InputError(f"{path}: missing ERA5 variable(s) {missing}; the flux scheme needs "
                             f"{list(ERA5_VARIABLES)} (skin temperature, soil temperature and soil "
                             f"water of layers 1 and 2). Found {sorted(names)}.")
        self.arrays = {v: root.OpenMDArray(v) for v in ERA5_VARIABLES}
        dims = [d.GetName() for d in self.arrays["skt"].GetDimensions()]
        if len(dims) != 3 or dims[1] not in ("latitude", "lat") or dims[2] not in ("longitude", "lon"):
            raise InputError(f"{path}: variable skt has dimensions {dims}; expected (time, latitude, "
                             f"longitude). Split files with an 'expver' or ensemble dimension first.")
        for name, array in self.arrays.items():
            other = [d.GetName() for d in array.GetDimensions()]
            if other != dims:
                raise InputError(f"{path}: variable {name} has dimensions {other}, skt has {dims}.")
        time_array = root.OpenMDArray(dims[0])
        attributes = {a.GetName(): a.Read() for a in time_array.GetAttributes()}
        self.times = seconds_from_cf(time_array.ReadAsArray(), attributes.get("units", time_array.GetUnit()),
                                     attributes.get("calendar", "standard"), f"{path}, variable {dims[0]}")
        self.latitudes = root.OpenMDArray(dims[1]).ReadAsArray().astype(np.float64)
        self.longitudes = root.OpenMDArray(dims[2]).ReadAsArray().astype(np.float64)
        self.north_up = self.latitudes.size < 2 or self.latitudes[0] > self.latitudes[-1]
        self.grid = self._grid()
        self.units = {v: (a.GetUnit() or "") for v, a in self.arrays.items()}
        self.packing = {v: _packing(a) for v, a in self.arrays.items()}
        for v in ("skt", "stl1", "stl2"):
            if self.units[v] not in ("K", "degC", "C", "°C", "deg_C", "celsius"):
                raise InputError(f"{path}: variable {v} has units {self.units[v]!r}; expected K or degC.")

    def _grid(self):
        lat, lon = self.latitudes, self.longitudes
        if lat.size < 2 or lon.size < 2:
            raise InputError(f"{self.path}: the grid needs at least two latitudes and two longitudes.")
        dx = (lon[-1] - lon[0]) / (lon.size - 1)
        dy = abs(lat[-1] - lat[0]) / (lat.size - 1)
        # coordinates are often float32 (7 digits): at 80 degE a 0.1 degree spacing carries 1e-4
        # relative noise, so allow a thousandth of a cell
        if not (np.allclose(np.diff(lon), dx, rtol=0, atol=1e-3 * abs(dx))
                and np.allclose(np.abs(np.diff(lat)), dy, rtol=0, atol=1e-3 * dy)):
            raise InputError(f"{self.path}: latitudes or longitudes are not equally spaced.")
        top = lat.max() + dy / 2
        return Grid(CRS.from_epsg(4326), Affine(dx, 0.0, lon[0] - dx / 2, 0.0, -dy, top),
                    lon.size, lat.size)

    def _variable(self, name, first, stop, window):
        array = self.arrays[name]
        rows = window.height
        row0 = window.row_off if self.north_up else self.grid.height - window.row_off - rows
        raw = array.ReadAsArray(array_start_idx=[int(first), int(row0), int(window.col_off)],
                                count=[int(stop - first), int(rows), int(window.width)]).astype(np.float64)
        scale, offset, missing = self.packing[name]
        invalid = ~np.isfinite(raw)
        for value in missing:
            invalid |= raw == value
        values = raw * scale + offset
        values[invalid] = np.nan
        return values if self.north_up else values[:, ::-1, :]

    def _temperature(self, name, first, stop, window):
        values = self._variable(name, first, stop, window)
        if self.units[name] == "K":
            values -= KELVIN
        check_temperature(values, self.units[name], f"{self.path}, variable {name}")
        return values

    def read(self, first: int, stop: int, window: Window) -> tuple:
        t0 = self._temperature("skt", first, stop, window)
        stl1 = self._temperature("stl1", first, stop, window)
        stl2 = self._temperature("stl2", first, stop, window)
        swvl1 = self._variable("swvl1", first, stop, window)
        swvl2 = self._variable("swvl2", first, stop, window)
        check_water_content(swvl1, f"{self.path}, variable swvl1")
        check_water_content(swvl2, f"{self.path}, variable swvl2")
        return (t0, stl1 + DEPTH_WEIGHT_10CM * (stl2 - stl1),
                swvl1 + DEPTH_WEIGHT_10CM * (swvl2 - swvl1))


def _packing(array):
    """(scale, offset, raw values that mean missing) of a NetCDF variable, read once per file."""
    missing = []
    if array.GetNoDataValueAsRaw() is not None:
        missing.append(array.GetNoDataValueAsDouble())
    attributes = {a.GetName(): a.Read() for a in array.GetAttributes()}
    if "missing_value" in attributes:
        missing.append(float(np.atleast_1d(attributes["missing_value"])[0]))
    return array.GetScale() or 1.0, array.GetOffset() or 0.0, missing


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
        self.paths = {"T0": t0_path, "T10": t10_path, "VWC10": vwc_path}
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

    def _read(self, name, first, stop, window):
        dataset = self.datasets[name]
        bands = list(range(int(first) + 1, int(stop) + 1))
        raw = dataset.ReadAsArray(int(window.col_off), int(window.row_off), int(window.width),
                                  int(window.height), band_list=bands).astype(np.float64)
        raw = raw.reshape(len(bands), int(window.height), int(window.width))
        band = dataset.GetRasterBand(1)
        invalid = ~np.isfinite(raw)
        if band.GetNoDataValue() is not None:
            invalid |= raw == band.GetNoDataValue()
        values = raw * (band.GetScale() or 1.0) + (band.GetOffset() or 0.0)
        values[invalid] = np.nan
        return values

    def read(self, first: int, stop: int, window: Window) -> tuple:
        values = {}
        for name in ("T0", "T10"):
            temperature = self._read(name, first, stop, window)
            if self.temperature_unit == "K":
                temperature -= KELVIN
            check_temperature(temperature, self.temperature_unit, f"{name} ({self.paths[name]})")
            values[name] = temperature
        theta = self._read("VWC10", first, stop, window)
        check_water_content(theta, f"VWC10 ({self.paths['VWC10']})")
        return values["T0"], values["T10"], theta


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
