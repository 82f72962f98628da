"""Real forcing files for the tests: time-stacked GeoTIFFs and ERA5-style NetCDF, zip and Zarr, written here."""
import zipfile

import numpy as np
import rasterio
from osgeo import gdal
from rasterio.transform import from_origin
from scipy.io import netcdf_file

from desert_carbon.core.era5_fields import PARAMETER_IDS

EPOCH_1900_HOURS = 613608        # hours from 1900-01-01 to 1970-01-01
# (scale_factor, add_offset) packing kelvin and m3 m-3 with power-of-two steps: representable values
# (multiples of the scale near the offset) survive int16 packing and float32 alike, bit for bit
EXACT_PACKING = {"temperature": (2.0 ** -7, 290.0), "water": (2.0 ** -16, 0.25)}
ERA5_NAMES = ("skt", "stl1", "stl2", "swvl1", "swvl2")


def representable(t0, t10, theta):
    """Synthetic forcing (degC, m3 m-3) rounded to values every layout stores exactly (EXACT_PACKING)."""
    def kelvin(celsius):
        return np.round((celsius + 273.15) / EXACT_PACKING["temperature"][0]) * EXACT_PACKING["temperature"][0] - 273.15
    water = np.round(theta / EXACT_PACKING["water"][0]) * EXACT_PACKING["water"][0]
    return kelvin(t0), kelvin(t10), water


def synthetic_forcing(times, rows, cols, seed=1):
    """Diel and seasonal temperature cycles and a few wet spells, in degC and m3 m-3."""
    rng = np.random.default_rng(seed)
    hours = (times / 3600.0).reshape(-1, 1, 1)
    day = 2 * np.pi * hours / 24.0
    season = 2 * np.pi * hours / 8766.0
    gradient = np.linspace(0, 3, rows * cols).reshape(1, rows, cols)
    t0 = 12 - 15 * np.cos(season) + 12 * np.sin(day) + gradient + rng.normal(0, 0.3, (len(times), rows, cols))
    t10 = 12 - 14 * np.cos(season - 0.1) + 4 * np.sin(day - 0.8) + 0.5 * gradient
    theta = 0.03 + 0.002 * gradient + 0.15 * np.maximum(np.sin(hours / 300.0), 0) ** 8
    return t0, t10, np.broadcast_to(theta, t0.shape).copy()


def write_stack(path, values, times, nodata=None, transform=None, crs="EPSG:4326", describe=True):
    """A time-stacked GeoTIFF, one band per step, band descriptions ISO 8601 (written with GDAL:
    rasterio takes seconds per thousand bands)."""
    rows, cols = values.shape[1:]
    transform = transform or from_origin(80.0, 40.0, 0.5, 0.5)
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, values.shape[0], gdal.GDT_Float64,
                                                   ["INTERLEAVE=BAND"])
    dataset.SetGeoTransform(transform.to_gdal())
    dataset.SetProjection(rasterio.crs.CRS.from_user_input(crs).to_wkt())
    dataset.WriteArray(values)
    for band, t in enumerate(times, start=1):
        if nodata is not None:
            dataset.GetRasterBand(band).SetNoDataValue(nodata)
        if describe:
            dataset.GetRasterBand(band).SetDescription(str(np.datetime64(int(t), "s"))[:16])
    dataset = None
    return str(path)


def write_era5_netcdf(path, times, t0, stl1, stl2, swvl1, swvl2, lat0=40.0, lon0=80.0, res=0.5,
                      units="K", ascending_latitude=False, exact=False, expver_split=None):
    """An ERA5-style NetCDF3 file with int16 packing, as the old CDS delivered (temperatures in degC given).

    ``exact``: pack with power-of-two scales (EXACT_PACKING) so that values made ``representable`` come
    back bit for bit, as they do from float32 files. ``expver_split``: write ``expver`` as a dimension
    (1 = ERA5, 5 = ERA5T) with the steps before that index in expver 1 and the rest in expver 5, the
    other slot filled, as older data-store files mixing ERA5 and ERA5T do.
    """
    nt, rows, cols = t0.shape
    f = netcdf_file(str(path), "w", version=2)
    f.createDimension("time", None)
    if expver_split is not None:
        f.createDimension("expver", 2)
        f.createVariable("expver", "i4", ("expver",))[:] = np.array([1, 5], dtype="i4")
    f.createDimension("latitude", rows)
    f.createDimension("longitude", cols)
    lat = lat0 - res / 2 - res * np.arange(rows)
    if ascending_latitude:
        lat = lat[::-1]
    f.createVariable("latitude", "f4", ("latitude",))[:] = lat
    f.createVariable("longitude", "f4", ("longitude",))[:] = lon0 + res / 2 + res * np.arange(cols)
    time = f.createVariable("time", "i4", ("time",))
    time.units = "hours since 1900-01-01 00:00:00.0"
    time.calendar = "gregorian"
    time[:] = (times // 3600 + EPOCH_1900_HOURS).astype("i4")
    offset_k = 273.15 if units == "K" else 0.0
    for name, values, unit in (("skt", t0 + offset_k, units), ("stl1", stl1 + offset_k, units),
                               ("stl2", stl2 + offset_k, units), ("swvl1", swvl1, "m**3 m**-3"),
                               ("swvl2", swvl2, "m**3 m**-3")):
        dims = ("time", "latitude", "longitude") if expver_split is None else ("time", "expver", "latitude",
                                                                                  "longitude")
        var = f.createVariable(name, "i2", dims)
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
        scale = max(high - low, 1e-6) / 60000.0
        var.scale_factor, var.add_offset = (scale, (high + low) / 2) if not exact else \
            EXACT_PACKING["water" if name.startswith("swvl") else "temperature"]
        scale = var.scale_factor
        var._FillValue = np.int16(-32767)
        var.missing_value = np.int16(-32767)
        var.units = unit
        packed = np.round((values - var.add_offset) / scale)
        packed = np.where(np.isfinite(values), packed, -32767).astype("i2")
        packed = packed[:, ::-1, :] if ascending_latitude else packed
        if expver_split is not None:
            both = np.full((nt, 2, rows, cols), -32767, dtype="i2")
            both[:expver_split, 0] = packed[:expver_split]
            both[expver_split:, 1] = packed[expver_split:]
            packed = both
        var[:] = packed
    f.close()
    return str(path)


def unpacked(values, path, name):
    """What a reader should get back from a packed variable (the int16 rounding included)."""
    with netcdf_file(str(path), "r", mmap=False) as f:
        var = f.variables[name]
        return var.data.astype(np.float64) * var.scale_factor + var.add_offset


def write_new_cds_netcdf(path, times, t0, stl1, stl2, swvl1, swvl2, lat0=40.0, lon0=80.0, res=0.1, only=None):
    """The layout the new CDS delivers: NetCDF4, ``valid_time`` in seconds since 1970, float32 with NaN fill
    (temperatures in degC given, kelvin written); ``only``: the variables to write (one file per variable)."""
    fields = {name: (values, unit) for name, values, unit in (
        ("skt", t0 + 273.15, "K"), ("stl1", stl1 + 273.15, "K"), ("stl2", stl2 + 273.15, "K"),
        ("swvl1", swvl1, "m**3 m**-3"), ("swvl2", swvl2, "m**3 m**-3")) if only is None or name in only}
    return write_new_cds_fields(path, times, fields, lat0, lon0, res)


def write_new_cds_fields(path, times, fields, lat0=40.0, lon0=80.0, res=0.1):
    """A new-layout CDS NetCDF4 file of any variables: ``fields`` maps short name to (values, units) as stored.

    Like the data store's files it carries ``number`` (scalar) and ``expver`` (a string per step) as
    coordinates and the GRIB_* attributes of each variable.
    """
    nt, rows, cols = next(iter(fields.values()))[0].shape
    dataset = gdal.GetDriverByName("netCDF").CreateMultiDimensional(str(path), [], ["FORMAT=NC4"])
    root = dataset.GetRootGroup()
    dims = [root.CreateDimension(name, None, None, size)
            for name, size in (("valid_time", nt), ("latitude", rows), ("longitude", cols))]

    def array(name, dimensions, values, data_type, unit=None):
        variable = root.CreateMDArray(name, dimensions, gdal.ExtendedDataType.Create(data_type))
        if unit:
            variable.SetUnit(unit)
        if data_type == gdal.GDT_Float32 and len(dimensions) == 3:
            variable.SetNoDataValueDouble(float("nan"))
        variable.Write(values)
        return variable

    array("valid_time", dims[:1], np.asarray(times, dtype=np.int64), gdal.GDT_Int64, "seconds since 1970-01-01")
    array("latitude", dims[1:2], lat0 - res / 2 - res * np.arange(rows), gdal.GDT_Float64, "degrees_north")
    array("longitude", dims[2:], lon0 + res / 2 + res * np.arange(cols), gdal.GDT_Float64, "degrees_east")
    array("number", [], np.array(0, dtype=np.int64), gdal.GDT_Int64)
    expver = root.CreateMDArray("expver", dims[:1], gdal.ExtendedDataType.CreateString())
    expver.Write(["0001"] * nt)
    for name, (values, unit) in fields.items():
        variable = array(name, dims, np.asarray(values).astype(np.float32), gdal.GDT_Float32, unit)
        for key, value in (("GRIB_paramId", PARAMETER_IDS.get(name, 0)), ("GRIB_shortName", name)):
            attribute = variable.CreateAttribute(key, [], gdal.ExtendedDataType.Create(gdal.GDT_Int32)
                                                 if isinstance(value, int) else gdal.ExtendedDataType.CreateString())
            attribute.Write(value)
    dataset = None
    return str(path)


def write_cds_zip(path, instant, accum):
    """The data store's zip for a request mixing instantaneous and accumulated variables."""
    with zipfile.ZipFile(str(path), "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(str(instant), "data_stream-oper_stepType-instant.nc")
        archive.write(str(accum), "data_stream-oper_stepType-accum.nc")
    return str(path)


def write_zarr(path, netcdf):
    """A Zarr store holding what a NetCDF file holds, as cloud users read it."""
    gdal.MultiDimTranslate(str(path), str(netcdf), format="ZARR")
    return str(path)


def write_annual(path, values, transform, first_year=2000, nodata=-9999.0, crs="EPSG:4326",
                 units="g CO2 m-2 a-1"):
    """An annual raster as fluxscheme writes one: a band a year, described by the year, with units."""
    values = np.asarray(values, dtype=np.float64)
    values = values[None] if values.ndim == 2 else values
    with rasterio.open(path, "w", driver="GTiff", width=values.shape[2], height=values.shape[1],
                       count=values.shape[0], dtype="float64", crs=crs, transform=transform,
                       nodata=nodata) as dataset:
        dataset.write(values)
        for band in range(values.shape[0]):
            dataset.set_band_description(band + 1, str(first_year + band))
            if units:
                dataset.update_tags(band + 1, units=units)
    return str(path)


def synthetic_radiation_and_rain(times, rows, cols, seed=3):
    """Hourly amounts over the hour ending at each time: ssr and str (J m-2) and tp (m), synthetic.

    Daily-mean net radiation runs from about 10 W m-2 in winter to about 200 W m-2 in summer, so the
    67 W m-2 criterion of the uptake season matters in spring and autumn; rain falls in a few showers.
    """
    rng = np.random.default_rng(seed)
    hours = (np.asarray(times) / 3600.0).reshape(-1, 1, 1)
    season = 2 * np.pi * hours / 8766.0
    sun = np.maximum(np.sin(2 * np.pi * (hours - 7.0) / 24.0), 0.0)          # 07..19 UTC
    gradient = np.linspace(0.0, 1.0, rows * cols).reshape(1, rows, cols)
    peak = 560.0 - 330.0 * np.cos(season) + 40.0 * gradient                 # W m-2 at noon
    ssr = 3600.0 * peak * sun
    str_ = -3600.0 * (75.0 + 10.0 * gradient + 5.0 * np.cos(2 * np.pi * hours / 24.0))
    showers = rng.random((len(times), 1, 1)) < 0.01
    tp = np.where(showers, rng.gamma(0.8, 0.6e-3, (len(times), rows, cols)), 0.0)
    shape = (len(times), rows, cols)
    return np.broadcast_to(ssr, shape).copy(), np.broadcast_to(str_, shape).copy(), tp


def era5_land_accumulation(hourly, times, unknown_day_before=1.0):
    """ERA5-Land's convention for hourly amounts: sums from 00 UTC of the day, the 00 UTC field holding the
    whole previous day. Hours before the series (a 00 UTC first step's day) are ``unknown_day_before``."""
    hourly = np.asarray(hourly, dtype=np.float64)
    out = np.empty_like(hourly)
    running = None
    for k, t in enumerate(np.asarray(times)):
        hour = (int(t) % 86400) // 3600
        if hour == 1:                              # one hour since the 00 UTC reset
            running = hourly[k].copy()
        elif k == 0:                               # the hours before the series: not in the data
            running = np.full(hourly.shape[1:], unknown_day_before * (hour or 24))
        else:
            running = running + hourly[k]
        out[k] = running
    return out


def write_era5_land_zip(folder, times, t0, t10, theta, ssr=None, str_=None, tp=None, lsm=None, res=0.1,
                        accumulate=True, name="era5land"):
    """The data store's zip of an ERA5-Land request: instant skt, stl1, stl2, swvl1, swvl2 (stl2 = T10 - 1,
    swvl2 = theta) and, when given, lsm; accum ssr, str, tp given as hourly amounts and written in
    ERA5-Land's accumulation convention (``accumulate``) or as they are (ERA5's hourly sums)."""
    folder.mkdir(parents=True, exist_ok=True)
    instant = {"skt": (t0 + 273.15, "K"), "stl1": (t10 + 273.15, "K"), "stl2": (t10 - 1.0 + 273.15, "K"),
               "swvl1": (theta, "m**3 m**-3"), "swvl2": (theta, "m**3 m**-3")}
    if lsm is not None:
        instant["lsm"] = (np.broadcast_to(lsm, t0.shape), "(0 - 1)")
    accum = {key: ((era5_land_accumulation(values, times) if accumulate else values), unit)
             for key, values, unit in (("ssr", ssr, "J m**-2"), ("str", str_, "J m**-2"), ("tp", tp, "m"))
             if values is not None}
    instant_path = write_new_cds_fields(folder / f"{name}_instant.nc", times, instant, res=res)
    if not accum:
        return instant_path
    accum_path = write_new_cds_fields(folder / f"{name}_accum.nc", times, accum, res=res)
    return write_cds_zip(folder / f"{name}.zip", instant_path, accum_path)


def write_invariant_lsm(path, lsm, lat0=40.0, lon0=80.0, res=0.1, coordinates=gdal.GDT_Float64):
    """A land-sea mask as a NetCDF4 file with no time axis (lsm of (latitude, longitude), float32);
    ``coordinates=gdal.GDT_Float32`` stores latitude and longitude as the old data-store layout does."""
    rows, cols = np.shape(lsm)
    dataset = gdal.GetDriverByName("netCDF").CreateMultiDimensional(str(path), [], ["FORMAT=NC4"])
    root = dataset.GetRootGroup()
    dims = [root.CreateDimension(name, None, None, size) for name, size in (("latitude", rows), ("longitude", cols))]
    for name, dimension, values in (("latitude", dims[:1], lat0 - res / 2 - res * np.arange(rows)),
                                    ("longitude", dims[1:], lon0 + res / 2 + res * np.arange(cols))):
        root.CreateMDArray(name, dimension, gdal.ExtendedDataType.Create(coordinates)).Write(values)
    variable = root.CreateMDArray("lsm", dims, gdal.ExtendedDataType.Create(gdal.GDT_Float32))
    variable.SetUnit("(0 - 1)")
    variable.Write(np.asarray(lsm, dtype=np.float32))
    dataset = None
    return str(path)


def write_zarr_chunked(path, netcdf, time_chunk):
    """A Zarr store of what a NetCDF file holds, its (time, latitude, longitude) arrays in chunks of
    ``time_chunk`` steps by the whole grid. ``write_zarr`` keeps the NetCDF's chunking, one step a
    chunk: a file per step and variable (43,800 for a year of five hourly variables), slow to write.
    String and scalar arrays (expver, number) are left out, as ``write_zarr`` leaves them.
    """
    source = gdal.OpenEx(str(netcdf), gdal.OF_MULTIDIM_RASTER).GetRootGroup()
    store = gdal.GetDriverByName("ZARR").CreateMultiDimensional(str(path))
    root = store.GetRootGroup()
    dims = {d.GetName(): root.CreateDimension(d.GetName(), d.GetType(), d.GetDirection(), d.GetSize())
            for d in source.GetDimensions()}
    names = source.GetMDArrayNames()
    # coordinates first, each made its dimension's indexing variable: GDAL 3.6 writes a Zarr array's
    # _ARRAY_DIMENSIONS (the dimension names) only when its dimensions have one
    for name in sorted(names, key=lambda n: n not in dims):
        array = source.OpenMDArray(name)
        data_type = array.GetDataType()
        if data_type.GetClass() != gdal.GEDTC_NUMERIC or array.GetDimensionCount() == 0:
            continue
        shape = [d.GetSize() for d in array.GetDimensions()]
        options = ["BLOCKSIZE=" + ",".join(str(n) for n in [min(time_chunk, shape[0])] + shape[1:])] \
            if len(shape) == 3 else []
        target = root.CreateMDArray(name, [dims[d.GetName()] for d in array.GetDimensions()], data_type, options)
        if array.GetUnit():
            target.SetUnit(array.GetUnit())
        if array.GetNoDataValueAsRaw() is not None:
            target.SetNoDataValueDouble(array.GetNoDataValueAsDouble())
        for attribute in array.GetAttributes() or []:
            copy = target.CreateAttribute(attribute.GetName(), list(attribute.GetDimensionsSize()),
                                          attribute.GetDataType())
            copy.Write(attribute.Read())
        target.Write(array.ReadAsArray())
        if name in dims:
            dims[name].SetIndexingVariable(target)
    store = None
    return str(path)
