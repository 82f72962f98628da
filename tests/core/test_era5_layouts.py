"""Issue #11, "Measured": the same forcing in every layout users download gives the same annual sums.

The forcing is SYNTHETIC (``forcing_files.synthetic_forcing``: diel and seasonal cycles, wet spells),
ERA5-Land-like: 4 x 3 cells at 0.1 degree, hourly, the whole of 2001 (one complete annual sum).
It is written as GRIB1 and GRIB2 as ERA5-Land delivers them (dataType fc, steps 1..24 from 00 UTC),
read back through ``grib_field_series`` to get the values GRIB's 16-bit packing keeps, and THOSE
decoded values are written as every NetCDF / Zarr layout: the old layout (int16, exact packing), the
new one (float32), one file per variable and month, the data store's zips (one a month, instant and
accumulated members) and Zarr. Then:

- every layout reads the decoded values back bit for bit (window by window, as the runner reads);
- the NetCDF / Zarr layouts give bit-identical annual-sum rasters;
- GRIB1 and GRIB2 give the same annual sums to 1e-6 relative (the tolerance GRIB's packing sets);
- one ``Era5Forcing`` over a mix in one call (January as GRIB1, February as per-variable NetCDF, in a
  folder, or as files given in reverse order) equals the single-layout result.

Written files are cached for the module: a year of GRIB (43,800 messages an edition) takes ecCodes
about 2 s to write.
"""
import gc
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import rasterio
from grib_files import ECCODES, NO_ECCODES, era5_land_hourly, write_grib_series
from rasterio.windows import Window

from desert_carbon.core.era5_fields import PARAMETER_IDS, TEMPERATURE_VARIABLES
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import Era5Forcing, PackedField
from desert_carbon.core.parameters import load_parameters
from desert_carbon.core.kept_arrays import KeptArrays
from desert_carbon.core.value_range import ValueRange, finite_range
from forcing_files import (ERA5_NAMES, representable, synthetic_forcing, write_cds_zip, write_era5_netcdf,
                           write_new_cds_fields, write_new_cds_netcdf, write_zarr_chunked)

pytestmark = pytest.mark.skipif(not ECCODES, reason=NO_ECCODES)

PARAMS = load_parameters()
ROWS, COLS, RES = 3, 4, 0.1
NORTH, WEST = 38.3, 80.0                      # centre of the first cell, as GRIB headers give it
EDGES = {"lat0": NORTH + RES / 2, "lon0": WEST - RES / 2, "res": RES}   # the NetCDF writers take edges
KELVIN = 273.15
YEAR = 2001
NETCDF_LAYOUTS = ("old", "new", "per_variable_monthly", "zip", "zarr")
GRIB_LAYOUTS = ("grib1", "grib2")


def hourly(first, stop):
    a, b = (np.datetime64(x, "s").astype(np.int64) for x in (first, stop))
    return np.arange(a, b, 3600, dtype=np.int64)


def month_bounds(times):
    """(label, slice) of each calendar month of ``times``."""
    months = times.astype("datetime64[s]").astype("datetime64[M]")
    out = []
    for month in np.unique(months):
        index = np.flatnonzero(months == month)
        out.append((str(month), slice(int(index[0]), int(index[-1]) + 1)))
    return out


def whole():
    return Window(0, 0, COLS, ROWS)


def stored(fields):
    """degC / m3 m-3 -> what the files hold (K / m3 m-3)."""
    return {n: v + KELVIN if n in TEMPERATURE_VARIABLES else v for n, v in fields.items()}


def grib_messages(times, fields):
    return era5_land_hourly(times, {PARAMETER_IDS[n]: v for n, v in stored(fields).items()}, north=NORTH,
                            west=WEST, resolution=RES)


def new_file(path, times, fields, only=None):
    return write_new_cds_netcdf(path, times, *(fields[n] for n in ERA5_NAMES), only=only, **EDGES)


def fake_accumulations(times):
    """tp / ssr / str for the accumulated member of the data store's zip (not read by the scheme)."""
    ramp = ((times % 86400) / 3600.0).reshape(-1, 1, 1) * np.ones((1, ROWS, COLS))
    return {"tp": (1e-4 * ramp, "m"), "ssr": (3e5 * ramp, "J m**-2"), "str": (-1e5 * ramp, "J m**-2")}


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """Every layout's paths, the time axis and the decoded forcing (degC, m3 m-3) they all hold."""
    root = tmp_path_factory.mktemp("layouts")
    times = hourly(f"{YEAR}-01-01", f"{YEAR + 1}-01-01")
    t0, t10, theta = representable(*synthetic_forcing(times, ROWS, COLS, seed=11))
    synthetic = {"skt": t0, "stl1": t10, "stl2": t10 - 1.0, "swvl1": theta, "swvl2": theta + 2.0 ** -7}
    messages = grib_messages(times, synthetic)
    with ThreadPoolExecutor(2) as pool:         # grib_filter runs in its own process: both editions at once
        written = [pool.submit(write_grib_series, root / f"era5land_{YEAR}.grib{e}", messages, e) for e in (1, 2)]
        out = {f"grib{e}": [job.result()] for e, job in zip((1, 2), written)}

    # the values GRIB keeps: read back through grib_field_series (the catalog's GRIB reader)
    grib1 = Era5Forcing(out["grib1"])
    catalog = grib1.catalog
    decoded = {n: catalog.read(n, 0, len(times), whole()) for n in ERA5_NAMES}
    for name, values in stored(synthetic).items():      # within one 16-bit packing step of what was written
        assert np.max(np.abs(decoded[name] - values)) <= np.ptp(values, axis=(1, 2)).max() / 2 ** 16 + 1e-12, name
    fields = {n: v - KELVIN if n in TEMPERATURE_VARIABLES else v for n, v in decoded.items()}
    # the old layout's int16 holds them only if they lie on its packing lattice (EXACT_PACKING)
    for name, values in fields.items():
        on_lattice = representable(values, values, values)[0 if name in TEMPERATURE_VARIABLES else 2]
        assert np.array_equal(on_lattice, values), f"{name}: GRIB decoded values the int16 layout cannot hold"

    out["old"] = [write_era5_netcdf(root / "era5_old.nc", times, *(fields[n] for n in ERA5_NAMES), exact=True,
                                    **EDGES)]
    out["new"] = [new_file(root / "era5_new.nc", times, fields)]
    monthly, zips = root / "monthly", []
    monthly.mkdir()
    for label, part in month_bounds(times):
        month = {k: v[part] for k, v in fields.items()}
        for name in ERA5_NAMES:
            new_file(monthly / f"{name}_{label}.nc", times[part], month, only=[name])
        instant = new_file(root / f"instant_{label}.nc", times[part], month)
        accum = write_new_cds_fields(root / f"accum_{label}.nc", times[part], fake_accumulations(times[part]),
                                     **EDGES)
        zips.append(write_cds_zip(root / f"cds_{label}.zip", instant, accum))
    out["per_variable_monthly"] = [str(monthly)]
    out["zip"] = zips[::-1]                                   # any order
    out["zarr"] = [write_zarr_chunked(root / "era5.zarr", out["new"][0], time_chunk=744)]
    forcings = {name: grib1 if name == "grib1" else Era5Forcing(paths) for name, paths in out.items()}
    yield {"paths": out, "forcings": forcings, "times": times, "fields": fields, "root": root}
    # GDAL handles must go before the session ends: pytest-qgis calls exitQgis() then, which tears GDAL
    # down, and pytest drops the last test's arguments (this dict) only after that (a segfault)
    forcings.clear()
    del grib1, catalog
    gc.collect()


@pytest.fixture(scope="module")
def annual_sums(layouts):
    """The annual-sum raster (Rs, 2001) of each layout, from ``run_flux_scheme``."""
    out = {}
    for name, forcing in layouts["forcings"].items():
        target = layouts["root"] / f"annual_{name}.tif"
        result = run_flux_scheme(forcing, PARAMS, target)
        assert result.years == [YEAR] and not result.partial_years
        with rasterio.open(target) as dataset:
            out[name] = dataset.read(1)
    return out


@pytest.mark.parametrize("layout", GRIB_LAYOUTS + NETCDF_LAYOUTS)
def test_every_layout_reads_the_decoded_values_bit_for_bit(layouts, layout):
    forcing = layouts["forcings"][layout]
    times, fields = layouts["times"], layouts["fields"]
    assert np.array_equal(forcing.times, times) and forcing.step == 3600
    assert forcing.grid.width == COLS and forcing.grid.height == ROWS
    assert forcing.grid.transform.almost_equals(rasterio.Affine(RES, 0, WEST - RES / 2, 0, -RES, NORTH + RES / 2),
                                                1e-9)
    for name in ERA5_NAMES:
        expected = fields[name] + KELVIN if name in TEMPERATURE_VARIABLES else fields[name]
        np.testing.assert_array_equal(forcing.catalog.read(name, 0, len(times), whole()), expected,
                                      err_msg=f"{layout}: {name}")
    # a window across a month boundary and a chunk of the runner's size, as the runner reads them
    window, cut = Window(1, 1, 2, 2), 31 * 24
    reference = layouts["forcings"]["new"]
    for got, expected in zip(forcing.read(cut - 5, cut + 770, window), reference.read(cut - 5, cut + 770, window)):
        np.testing.assert_array_equal(got, expected)


def test_netcdf_and_zarr_layouts_give_bit_identical_annual_sums(annual_sums):
    reference = annual_sums["old"]
    assert np.isfinite(reference).all() and np.ptp(reference) > 0
    for layout in NETCDF_LAYOUTS:
        np.testing.assert_array_equal(annual_sums[layout], reference, err_msg=layout)


@pytest.mark.parametrize("layout", GRIB_LAYOUTS)
def test_grib_gives_the_same_annual_sums_to_1e_6(annual_sums, layout):
    np.testing.assert_allclose(annual_sums[layout], annual_sums["old"], rtol=1e-6, atol=0)


def test_grib1_and_grib2_decode_alike(annual_sums):
    np.testing.assert_allclose(annual_sums["grib2"], annual_sums["grib1"], rtol=1e-6, atol=0)


def test_a_mix_of_grib_and_netcdf_months_in_one_call(layouts, tmp_path):
    """January as GRIB1 and February as per-variable NetCDF: as a folder, and as files in reverse order."""
    times, fields = layouts["times"], layouts["fields"]
    (_, january), (february_label, february) = month_bounds(times)[:2]
    folder = tmp_path / "mixed"
    folder.mkdir()
    january_fields = {n: v[january] for n, v in fields.items()}
    write_grib_series(folder / f"era5land_{YEAR}-01.grib", grib_messages(times[january], january_fields), 1)
    files = [new_file(folder / f"{name}_{february_label}.nc", times[february],
                      {n: v[february] for n, v in fields.items()}, only=[name]) for name in ERA5_NAMES]
    monthly = layouts["paths"]["per_variable_monthly"][0]
    single = Era5Forcing(sorted(f"{monthly}/{name}_{label}.nc" for name in ERA5_NAMES
                                for label in (f"{YEAR}-01", february_label)))
    span = slice(0, february.stop)
    a = run_flux_scheme(single, PARAMS, tmp_path / "single.tif", include_partial_years=True)
    for k, given in enumerate(([str(folder)], sorted(files + [str(folder / f"era5land_{YEAR}-01.grib")])[::-1])):
        mixed = Era5Forcing(given)
        assert np.array_equal(mixed.times, times[span])
        for got, expected in zip(mixed.read(0, february.stop, whole()), single.read(0, february.stop, whole())):
            np.testing.assert_array_equal(got, expected)
        b = run_flux_scheme(mixed, PARAMS, tmp_path / f"mixed{k}.tif", include_partial_years=True)
        assert a.years == b.years == [YEAR] and b.partial_years == [YEAR]
        with rasterio.open(tmp_path / "single.tif") as ra, rasterio.open(tmp_path / f"mixed{k}.tif") as rb:
            np.testing.assert_array_equal(rb.read(), ra.read())


def test_old_layout_months_combine_with_grib_and_new_layout_months(layouts, tmp_path):
    """The old layout stores latitude and longitude as float32 (80.05 as 80.05000305, a 4-cell 0.1 degree
    step as 0.100001): read as the decimals meant, its grid is GRIB's and the new layout's, so an old
    January, a GRIB2 February and a new-layout March make one forcing (they were refused as grids
    that do not align)."""
    times, fields = layouts["times"], layouts["fields"]
    (jan_label, january), (_, february), (mar_label, march) = month_bounds(times)[:3]
    part = {n: v[january] for n, v in fields.items()}
    old = write_era5_netcdf(tmp_path / f"old_{jan_label}.nc", times[january], *(part[n] for n in ERA5_NAMES),
                            exact=True, **EDGES)
    assert Era5Forcing([old]).grid.transform.almost_equals(layouts["forcings"]["grib1"].grid.transform, 1e-9)
    grib = write_grib_series(tmp_path / "february.grib2",
                             grib_messages(times[february], {n: v[february] for n, v in fields.items()}), 2)
    new = new_file(tmp_path / f"new_{mar_label}.nc", times[march], {n: v[march] for n, v in fields.items()})
    mixed = Era5Forcing([new, grib, old])
    assert np.array_equal(mixed.times, times[:march.stop])
    for got, expected in zip(mixed.read(0, march.stop, whole()), layouts["forcings"]["new"].read(0, march.stop,
                                                                                                   whole())):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("layout", ["grib2", "new", "zip"])
def test_the_variables_of_one_file_share_one_dataset(layouts, layout):
    """A file is opened once for all its variables (it was once per variable: GDAL indexes a GRIB file's
    every message on opening, and a zip member is inflated per handle), also after pickling."""
    forcing = Era5Forcing(layouts["paths"][layout])
    copy = pickle.loads(pickle.dumps(forcing))          # what a Dask worker would get
    for each in (forcing, copy):
        holders = {}
        for name in ERA5_NAMES:
            for piece in each.catalog._variables[name].pieces:
                holders.setdefault(piece.source, set()).add(id(piece.read._shared))
        assert holders and all(len(h) == 1 for h in holders.values())
    for got, expected in zip(copy.read(0, 50, whole()), forcing.read(0, 50, whole())):
        np.testing.assert_array_equal(got, expected)
    del forcing, copy
    gc.collect()


@pytest.mark.parametrize("layout", GRIB_LAYOUTS + NETCDF_LAYOUTS)
def test_reads_into_kept_buffers_and_the_ranges_gathered_on_the_way_are_those_of_the_values(layouts, layout):
    """The runner reads chunk after chunk into the same arrays, and takes each field's range for the unit checks
    from the reader (the packed integers' range where packed): both must be what a fresh read gives."""
    forcing = layouts["forcings"][layout]
    window, buffers = Window(1, 0, 3, 2), KeptArrays()
    for first, stop in ((0, 770), (700, 1470), (8000, 8760)):     # the same buffers, grown and shrunk
        fields = forcing.read_fields(first, stop, window, buffers)
        for got, expected in zip(fields[:3], forcing.read(first, stop, window)):
            np.testing.assert_array_equal(got, expected)
        assert fields.complete and fields.theta10_high >= np.max(fields.theta10)
        assert np.shares_memory(fields.t0, buffers.array("skt", fields.t0.shape))
        for name in ERA5_NAMES:
            ranges = ValueRange()
            shift = -KELVIN if name in TEMPERATURE_VARIABLES else 0.0
            values = forcing.catalog.read(name, first, stop, window, shift=shift, ranges=ranges)
            assert (ranges.low, ranges.high, ranges.missing) == (*finite_range(values), False), name


@pytest.mark.parametrize("layout", GRIB_LAYOUTS + NETCDF_LAYOUTS)
def test_fields_left_packed_unpack_block_by_block_to_the_same_bits(layouts, layout):
    """``packed=True``: a chunk one file holds as packed integers comes as fields unpacked where they are indexed;
    every block, and the whole, is the same bits as the chunk read as floats (other layouts come as floats)."""
    forcing = layouts["forcings"][layout]
    window, kept = Window(0, 0, COLS, ROWS), KeptArrays()
    fields = forcing.read_fields(100, 300, window, kept, packed=True)
    floats = forcing.read_fields(100, 300, window)
    assert fields.complete and fields.theta10_high == floats.theta10_high      # the same arithmetic: exact
    left_packed = isinstance(fields.t0, PackedField)
    assert left_packed == (layout == "old")         # one file, int16 packing; new layout is float32, GRIB decoded
    if left_packed:
        fields.theta10.__imul__(1.25)               # VWC10_SCALE as read_chunk applies it
        floats.theta10[...] *= 1.25
    for got, expected in zip(fields[:3], floats[:3]):
        assert len(got) == 200 and got.shape == expected.shape
        for block in ((slice(0, 200), slice(0, ROWS), slice(0, COLS)), (slice(7, 90), slice(1, 2), slice(2, 4))):
            np.testing.assert_array_equal(got[block], expected[block])
        np.testing.assert_array_equal(np.asarray(got), expected)
