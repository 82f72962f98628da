"""ERA5 forcing exactly as users download it: every layout reads alike, and what does not fit is named."""
import pickle
import sys
import types
import zipfile

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window
from scipy.io import netcdf_file

from desert_carbon.core.era5_catalog import ForcingCatalog, expand_forcing_paths, field_series_of
from desert_carbon.core.era5_netcdf import netcdf_field_series
from desert_carbon.core.errors import InputError
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import Era5Forcing
from desert_carbon.core.parameters import load_parameters
from forcing_files import (representable, synthetic_forcing, write_cds_zip, write_era5_netcdf, write_new_cds_fields,
                           write_new_cds_netcdf, write_zarr)

PARAMS = load_parameters()
ROWS, COLS, RES = 3, 4, 0.5
MONTHS = (("2001-01", "2001-01-01", "2001-02-01"), ("2001-02", "2001-02-01", "2001-03-01"))
NAMES = ("skt", "stl1", "stl2", "swvl1", "swvl2")


def hourly(first, stop):
    a, b = (np.datetime64(x, "s").astype(np.int64) for x in (first, stop))
    return np.arange(a, b, 3600, dtype=np.int64)


@pytest.fixture(scope="module")
def forcing_data():
    """Two months of hourly fields every layout stores bit for bit (degC and m3 m-3)."""
    times = hourly("2001-01-01", "2001-03-01")
    t0, t10, theta = representable(*synthetic_forcing(times, ROWS, COLS, seed=5))
    return times, {"skt": t0, "stl1": t10, "stl2": t10 - 1.0, "swvl1": theta, "swvl2": theta + 2.0 ** -7}


def old_file(path, times, fields, **options):
    return write_era5_netcdf(path, times, *(fields[n] for n in NAMES), res=RES, exact=True, **options)


def new_file(path, times, fields, only=None, **options):
    return write_new_cds_netcdf(path, times, *(fields[n] for n in NAMES), res=RES, only=only, **options)


def month_slice(times, first, stop):
    a, b = np.searchsorted(times, [np.datetime64(x, "s").astype(np.int64) for x in (first, stop)])
    return slice(int(a), int(b))


def per_variable_months(folder, times, fields, skip=(), **options):
    """The new layout, one file per variable and month, as users hold it."""
    folder.mkdir(parents=True, exist_ok=True)
    for label, first, stop in MONTHS:
        part = month_slice(times, first, stop)
        for name in NAMES:
            if (name, label) not in skip:
                new_file(folder / f"{name}_{label}.nc", times[part], {k: v[part] for k, v in fields.items()},
                         only=[name], **options)
    return folder


def accumulated(times):
    """A fake tp / ssr / str for the accum file of the data store's zip."""
    ramp = ((times % 86400) / 3600.0).reshape(-1, 1, 1) * np.ones((1, ROWS, COLS))
    return {"tp": (1e-4 * ramp, "m"), "ssr": (3e5 * ramp, "J m**-2"), "str": (-1e5 * ramp, "J m**-2")}


@pytest.fixture(scope="module")
def layouts(forcing_data, tmp_path_factory):
    times, fields = forcing_data
    root = tmp_path_factory.mktemp("layouts")
    out = {"old": [old_file(root / "era5_old.nc", times, fields)],
           "monthly": [str(per_variable_months(root / "monthly", times, fields))]}
    zips = []
    for label, first, stop in MONTHS:
        part = month_slice(times, first, stop)
        instant = new_file(root / f"instant_{label}.nc", times[part], {k: v[part] for k, v in fields.items()})
        accum = write_new_cds_fields(root / f"accum_{label}.nc", times[part], accumulated(times[part]), res=RES)
        zips.append(write_cds_zip(root / f"cds_{label}.zip", instant, accum))
    out["zip"] = zips[::-1]                       # any order
    out["zarr"] = [write_zarr(root / "era5.zarr", new_file(root / "whole.nc", times, fields))]
    out["expver"] = [old_file(root / "era5_expver.nc", times, fields, expver_split=len(times) - 100)]
    return out


def read_all(forcing):
    return forcing.read(0, len(forcing.times), Window(0, 0, COLS, ROWS))


@pytest.mark.parametrize("layout", ["monthly", "zip", "zarr", "expver"])
def test_every_layout_reads_like_one_old_file(layouts, layout, tmp_path):
    reference = Era5Forcing(layouts["old"])
    forcing = Era5Forcing(layouts[layout])
    assert np.array_equal(forcing.times, reference.times) and forcing.step == 3600
    assert forcing.grid.same_as(reference.grid, tolerance=1e-9)
    for got, expected in zip(read_all(forcing), read_all(reference)):
        np.testing.assert_array_equal(got, expected)
    # windows that cross a file boundary are stitched: January's last hours and February's first
    window = Window(1, 1, 2, 2)
    cut = 31 * 24
    for got, expected in zip(forcing.read(cut - 5, cut + 5, window), reference.read(cut - 5, cut + 5, window)):
        np.testing.assert_array_equal(got, expected)
    a = run_flux_scheme(reference, PARAMS, tmp_path / "a.tif", include_partial_years=True)
    b = run_flux_scheme(forcing, PARAMS, tmp_path / "b.tif", include_partial_years=True)
    assert a.years == b.years == [2001]
    with rasterio.open(tmp_path / "a.tif") as ra, rasterio.open(tmp_path / "b.tif") as rb:
        np.testing.assert_allclose(rb.read(), ra.read(), rtol=1e-9)


def test_the_zip_s_accumulated_variables_are_in_the_catalog(layouts, forcing_data):
    times, _ = forcing_data
    catalog = Era5Forcing(layouts["zip"]).catalog
    assert {"tp", "ssr", "str"} <= set(catalog.variables) and catalog.units["ssr"] == "J m**-2"
    expected = accumulated(times)["ssr"][0]
    np.testing.assert_allclose(catalog.read("ssr", 0, len(times), Window(0, 0, COLS, ROWS)), expected, rtol=1e-7)
    assert all(p.startswith("/vsizip/") for p in catalog.paths)


def test_new_layout_attributes_and_pickled_reads(layouts):
    series = netcdf_field_series(layouts["monthly"][0] + "/skt_2001-01.nc")
    assert [s.variable for s in series] == ["skt"]
    assert series[0].attributes["GRIB_paramId"] == 235 and series[0].attributes["grid_step"] == (RES, RES)
    for layout in ("zip", "zarr", "expver"):
        forcing = Era5Forcing(layouts[layout])
        copy = pickle.loads(pickle.dumps(forcing))        # what a Dask worker would get
        for got, expected in zip(read_all(copy), read_all(forcing)):
            np.testing.assert_array_equal(got, expected)
        read = forcing.catalog._variables["skt"].pieces[0].read
        assert pickle.loads(pickle.dumps(read))(0, 2, Window(0, 0, 2, 2)).shape == (2, 2, 2)


def test_folders_zips_and_files_expand_in_any_order(layouts, tmp_path):
    paths = expand_forcing_paths([layouts["zip"][0], layouts["monthly"][0], layouts["old"][0]])
    assert sum(p.startswith("/vsizip/") for p in paths) == 2 and sum(p.endswith(".nc") for p in paths) == 13
    assert expand_forcing_paths([layouts["old"][0], layouts["old"][0]]) == layouts["old"]
    empty = tmp_path / "nothing.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("README.txt", "the request failed")
    with pytest.raises(InputError, match=r"nothing\.zip: the zip holds no NetCDF, GRIB or Zarr"):
        Era5Forcing([empty])
    with pytest.raises(InputError, match=r"absent\.nc: no such file"):
        Era5Forcing([tmp_path / "absent.nc"])


def test_grib_goes_to_the_grib_reader(tmp_path, monkeypatch):
    path = tmp_path / "era5.grib"
    path.write_bytes(b"GRIB" + bytes(100))
    fake = types.ModuleType("desert_carbon.core.era5_grib")
    fake.grib_field_series = lambda p: [("read by the GRIB reader", p)]
    monkeypatch.setitem(sys.modules, "desert_carbon.core.era5_grib", fake)
    assert field_series_of(str(path)) == [("read by the GRIB reader", str(path))]


def test_a_variable_missing_in_one_month_is_named(forcing_data, tmp_path):
    times, fields = forcing_data
    folder = per_variable_months(tmp_path / "m", times, fields, skip={("swvl1", "2001-02")})
    with pytest.raises(InputError, match=r"swvl1 is missing from 2001-02-01T00:00:00 to 2001-02-28T23:00:00, "
                                         r"which skt covers \(.*skt_2001-02\.nc\).*swvl1_2001-01\.nc"):
        Era5Forcing([folder])
    alone = per_variable_months(tmp_path / "n", times, fields, skip={("stl2", m) for m, _, _ in MONTHS})
    with pytest.raises(InputError, match=r"missing ERA5 variable\(s\) \['stl2'\]"):
        Era5Forcing([alone])


def test_two_files_that_disagree_on_a_step_are_named(forcing_data, tmp_path):
    times, fields = forcing_data
    jan = month_slice(times, "2001-01-01", "2001-02-01")
    overlap = slice(jan.start, jan.stop + 1)          # January's file also gives 1 February 00:00
    feb = month_slice(times, "2001-02-01", "2001-03-01")
    a = old_file(tmp_path / "jan.nc", times[overlap], {k: v[overlap] for k, v in fields.items()})
    b = old_file(tmp_path / "feb.nc", times[feb], {k: v[feb] for k, v in fields.items()})
    assert len(Era5Forcing([a, b]).times) == len(times)           # the same step twice, same values: fine
    changed = {k: v[feb].copy() for k, v in fields.items()}
    changed["stl1"][0] += 0.5
    c = old_file(tmp_path / "feb_changed.nc", times[feb], changed)
    with pytest.raises(InputError, match=r"stl1 at 2001-02-01T00:00:00: .*jan\.nc and .*feb_changed\.nc both give "
                                         r"this step with different values"):
        Era5Forcing([c, a])


def test_overlapping_files_merge_into_runs_of_one_file_each(forcing_data, tmp_path):
    """Each step is read from the first file (by start) that gives it; the others' copies of it are checked, and
    a variable's steps are kept as runs of consecutive steps of one file."""
    times, fields = forcing_data
    jan = month_slice(times, "2001-01-01", "2001-02-01")
    overlap = slice(jan.start, jan.stop + 1)                 # January's file also gives 1 February 00:00
    feb = month_slice(times, "2001-02-01", "2001-03-01")
    middle = slice(jan.start + 100, jan.start + 110)          # and a file of ten January steps, given first
    paths = [old_file(tmp_path / f"{name}.nc", times[part], {k: v[part] for k, v in fields.items()})
             for name, part in (("middle", middle), ("feb", feb), ("jan", overlap))]
    forcing = Era5Forcing(paths)
    variable = forcing.catalog._variables["skt"]
    assert [(run.first, run.count, run.piece.source.rsplit("/", 1)[-1], run.local) for run in variable.runs] == [
        (0, jan.stop - jan.start + 1, "jan.nc", 0), (jan.stop - jan.start + 1, feb.stop - feb.start - 1, "feb.nc", 1)]
    np.testing.assert_array_equal(forcing.times, times[jan.start:feb.stop])
    assert variable.source_at(0).endswith("jan.nc") and variable.source_at(len(forcing.times) - 1).endswith("feb.nc")
    assert variable.source_at(jan.stop - jan.start).endswith("jan.nc")
    assert variable.source_at(jan.stop - jan.start + 1).endswith("feb.nc")


def test_a_grid_that_shifts_between_months_is_named(forcing_data, tmp_path):
    times, fields = forcing_data
    parts = []
    for label, first, stop in MONTHS:
        part = month_slice(times, first, stop)
        parts.append(new_file(tmp_path / f"era5_{label}.nc", times[part], {k: v[part] for k, v in fields.items()},
                              lon0=80.0 if label == "2001-01" else 80.5))
    with pytest.raises(InputError, match=r"grids of .*era5_2001-01\.nc and .*era5_2001-02\.nc do not align"):
        Era5Forcing(parts)


def test_a_gap_is_named_with_its_files(forcing_data, tmp_path):
    times, fields = forcing_data
    jan = month_slice(times, "2001-01-01", "2001-01-20")
    late = month_slice(times, "2001-01-25", "2001-03-01")
    a = old_file(tmp_path / "early.nc", times[jan], {k: v[jan] for k, v in fields.items()})
    b = old_file(tmp_path / "late.nc", times[late], {k: v[late] for k, v in fields.items()})
    with pytest.raises(InputError, match=r"early\.nc and .*late\.nc\): the time axis has a gap.*after "
                                         r"2001-01-19T23:00:00 \(next step at 2001-01-25T00:00:00"):
        Era5Forcing([b, a])


def test_expver_both_present_and_different_is_named(forcing_data, tmp_path):
    times, fields = forcing_data
    path = old_file(tmp_path / "mixed.nc", times[:48], {k: v[:48] for k, v in fields.items()}, expver_split=40)
    with netcdf_file(path, "a", mmap=False) as f:             # step 10 also in ERA5T, slightly different
        data = f.variables["skt"].data.copy()
        data[10, 1] = data[10, 0] + 3
        f.variables["skt"][:] = data
    forcing = Era5Forcing([path])
    with pytest.raises(InputError, match=r"mixed\.nc: variable skt holds two different values at "
                                         r"2001-01-01T10:00:00 \(expver 1 and expver 5\)"):
        read_all(forcing)


def test_one_catalog_of_many_variables_is_not_cut_to_the_shortest(forcing_data, tmp_path):
    times, fields = forcing_data
    short = slice(0, len(times) - 24)
    folder = tmp_path / "f"
    folder.mkdir()
    for name in NAMES:
        span = short if name == "swvl2" else slice(None)
        new_file(folder / f"{name}.nc", times[span], {k: v[span] for k, v in fields.items()}, only=[name])
    with pytest.raises(InputError, match=r"swvl2 is missing from 2001-02-28T00:00:00 to 2001-02-28T23:00:00"):
        ForcingCatalog([folder])


def test_zip_members_open_at_once_are_bounded_and_reopen_on_demand(layouts, monkeypatch):
    from desert_carbon.core import era5_fields
    monkeypatch.setattr(era5_fields, "MAX_OPEN_ZIP_BYTES", 1)        # one member at a time: every read closes one
    reference = Era5Forcing(layouts["old"])
    forcing = Era5Forcing(layouts["zip"])
    for got, expected in zip(read_all(forcing), read_all(reference)):
        np.testing.assert_array_equal(got, expected)
    assert len(era5_fields._open_zip_members) <= 1
    forcing.close()
    assert not era5_fields._open_zip_members
