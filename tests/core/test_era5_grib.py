"""ERA5 / ERA5-Land GRIB1 and GRIB2 read into FieldSeries: files written by ecCodes, values checked
against ecCodes' own decoding and against the arrays written."""
import pickle
import subprocess
import zipfile

import numpy as np
import pytest
from grib_files import (ECCODES, NO_ECCODES, Field, eccodes_keys, eccodes_values, era5_fields, era5_land_fields,
                        varying_field, write_grib)
from osgeo import gdal
from rasterio.transform import Affine
from rasterio.windows import Window

from desert_carbon.core.era5_fields import PARAMETER_IDS
from desert_carbon.core.era5_grib import grib_field_series
from desert_carbon.core.errors import InputError

pytestmark = pytest.mark.skipif(not ECCODES, reason=NO_ECCODES)

HOUR = 3600
JAN1 = int(np.datetime64("2024-01-01T00:00", "s").astype(np.int64))
EDITIONS = (1, 2)


def _by_variable(series):
    return {s.variable: s for s in series}


def _whole(series):
    return series.read(0, len(series.times), Window(0, 0, series.grid.width, series.grid.height))


def _messages_of(fields, param):
    return [k for k, f in enumerate(fields) if f.param == param]


def _check_values(path, fields, series):
    """Values equal ecCodes' decoding (to float32 precision) and the arrays written (to the 16-bit packing)."""
    decoded = eccodes_values(path)
    for s in series:
        indices = _messages_of(fields, PARAMETER_IDS[s.variable])
        values = _whole(s)
        assert values.dtype == np.float64 and values.shape == (len(indices),) + decoded[indices[0]].shape
        for k, index in enumerate(indices):
            expected = decoded[index]
            scale = float(np.nanmax(np.abs(expected)))
            np.testing.assert_allclose(values[k], expected, rtol=0, atol=1e-6 * scale + 1e-12,
                                       err_msg=f"{s.variable} step {k} vs grib_get_data")
            written = fields[index].values
            packing = (np.nanmax(written) - np.nanmin(written)) / 2 ** 16     # one step of 16-bit packing
            assert np.nanmax(np.abs(values[k] - written)) <= packing + 1e-6 * scale, s.variable


@pytest.mark.parametrize("edition", EDITIONS)
def test_era5_land_like_file(tmp_path, edition):
    fields = era5_land_fields()
    path = write_grib(tmp_path / f"era5land.grib{edition}", fields, edition)
    series = _by_variable(grib_field_series(path))
    assert list(series) == ["skt", "stl1", "stl2", "swvl1", "swvl2", "ssr", "str", "tp"]
    expected_times = JAN1 + HOUR * np.arange(1, 25)
    for s in series.values():
        np.testing.assert_array_equal(s.times, expected_times)
        assert s.times.dtype == np.int64
        assert s.grid.width == 6 and s.grid.height == 4 and s.grid.crs.to_epsg() == 4326
        assert s.grid.transform.almost_equals(Affine(0.1, 0.0, 79.95, 0.0, -0.1, 38.35), 1e-9)
        assert s.attributes["GRIB_edition"] == edition and s.attributes["centre"] == 98
        assert s.attributes["dataType"] == "fc" and s.attributes["grid_step_degrees"] == 0.1
        assert s.attributes["reference_hours_utc"] == [0]
        assert s.source == path
    for name in ("ssr", "str", "tp"):
        assert series[name].attributes["stepType"] == "accum"
        assert series[name].attributes["period_hours"] == [float(h) for h in range(1, 25)]   # from 00 UTC
    assert series["skt"].attributes["stepType"] == "instant"
    assert {s.units for n, s in series.items() if n in ("skt", "stl1", "stl2")} == {"K"}
    assert series["swvl1"].units == "m**3 m**-3" and series["ssr"].units == "J m**-2" and series["tp"].units == "m"
    # kelvin stays kelvin (GDAL would turn it into degC unless GRIB_NORMALIZE_UNITS=NO)
    assert np.nanmin(_whole(series["stl1"])) > 250
    _check_values(path, fields, series.values())


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("make", [era5_land_fields, era5_fields])
def test_valid_times_agree_with_gdal_and_eccodes(tmp_path, edition, make):
    fields = make()
    path = write_grib(tmp_path / f"mixed.grib{edition}", fields, edition)
    dataset = gdal.Open(path)
    gdal_times = [int(dataset.GetRasterBand(k + 1).GetMetadataItem("GRIB_VALID_TIME").split()[0])
                  for k in range(dataset.RasterCount)]
    keys = eccodes_keys(path, "validityDate,validityTime")
    eccodes_times = [int(np.datetime64(f"{d[:4]}-{d[4:6]}-{d[6:]}T{int(t) // 100:02d}:{int(t) % 100:02d}", "s")
                         .astype(np.int64)) for d, t in keys]
    assert gdal_times == eccodes_times
    series = _by_variable(grib_field_series(path))
    for name, s in series.items():
        indices = _messages_of(fields, PARAMETER_IDS[name])
        np.testing.assert_array_equal(s.times, sorted(eccodes_times[k] for k in indices))


@pytest.mark.parametrize("edition", EDITIONS)
def test_era5_like_file(tmp_path, edition):
    fields = era5_fields(date=20240102)
    path = write_grib(tmp_path / f"era5.grib{edition}", fields, edition)
    series = _by_variable(grib_field_series(path))
    assert list(series) == ["skt", "stl1", "swvl1", "ssr"]
    jan2 = JAN1 + 24 * HOUR
    for s in series.values():
        np.testing.assert_array_equal(s.times, jan2 + HOUR * np.arange(6))
        assert s.grid.width == 4 and s.grid.height == 3
        assert s.grid.transform.almost_equals(Affine(0.25, 0.0, 79.875, 0.0, -0.25, 38.625), 1e-9)
        assert s.attributes["grid_step_degrees"] == 0.25
    assert series["skt"].attributes["dataType"] == "an"
    assert series["skt"].attributes["reference_hours_utc"] == list(range(6))
    # hourly accumulations, from the 18 UTC forecast of the day before
    assert series["ssr"].attributes["dataType"] == "fc" and series["ssr"].attributes["stepType"] == "accum"
    assert series["ssr"].attributes["period_hours"] == [1.0]
    assert series["ssr"].attributes["reference_hours_utc"] == [18]
    _check_values(path, fields, series.values())


@pytest.mark.parametrize("edition", EDITIONS)
def test_window_reads_part_of_the_steps_and_grid(tmp_path, edition):
    path = write_grib(tmp_path / f"w.grib{edition}", era5_land_fields(params=(139,)), edition)
    (s,) = grib_field_series(path)
    whole = _whole(s)
    part = s.read(3, 7, Window(2, 1, 3, 2))
    np.testing.assert_array_equal(part, whole[3:7, 1:3, 2:5])


@pytest.mark.parametrize("edition", EDITIONS)
def test_missing_values_are_nan(tmp_path, edition):
    values = varying_field(4, 6, 5, 280.0, 10.0, 1)
    values[1, 2] = np.nan
    path = write_grib(tmp_path / f"m.grib{edition}", [Field(235, 20240101, 0, 1, values)], edition)
    (s,) = grib_field_series(path)
    read = _whole(s)[0]
    assert np.isnan(read[1, 2]) and np.isfinite(np.delete(read.ravel(), 8)).all()
    np.testing.assert_allclose(read, values, atol=(np.nanmax(values) - np.nanmin(values)) / 2 ** 16 + 1e-4)


@pytest.mark.parametrize("edition", EDITIONS)
def test_constant_field_packed_with_zero_bits(tmp_path, edition):
    """ecCodes packs a constant field with 0 bits per value; GDAL 3.6 decodes GRIB1 ones wrongly."""
    constant = np.full((4, 6), 1.0)
    with_gap = np.full((4, 6), 0.25)
    with_gap[0, 0] = np.nan
    path = write_grib(tmp_path / f"c.grib{edition}", [Field(172, 20240101, 0, 0, constant, data_type="an"),
                                                    Field(172, 20240101, 100, 0, with_gap, data_type="an")], edition)
    assert [k[0] for k in eccodes_keys(path, "bitsPerValue")] == ["0", "0"]
    (s,) = grib_field_series(path)
    read = _whole(s)
    np.testing.assert_array_equal(read[0], constant)
    assert np.isnan(read[1, 0, 0]) and (np.delete(read[1].ravel(), 0) == 0.25).all()


@pytest.mark.parametrize("edition", EDITIONS)
def test_unknown_parameters_only_refused(tmp_path, edition):
    values = varying_field(4, 6, 1, 280.0, 10.0, 3)
    path = write_grib(tmp_path / f"t2m.grib{edition}", [Field(167, 20240101, 0, 1, values)], edition)
    with pytest.raises(InputError) as error:
        grib_field_series(path)
    assert "t2m.grib" in str(error.value)
    assert ("parameter 167" if edition == 1 else "0/0/0") in str(error.value)


@pytest.mark.parametrize("edition", EDITIONS)
def test_unknown_parameters_skipped_next_to_ours(tmp_path, edition):
    fields = [Field(167, 20240101, 0, 1, varying_field(4, 6, 1, 280.0, 10.0, 3))] + era5_land_fields(params=(139,))
    path = write_grib(tmp_path / f"t.grib{edition}", fields, edition)
    assert [s.variable for s in grib_field_series(path)] == ["stl1"]


def test_not_a_grib_file_refused(tmp_path):
    path = tmp_path / "notes.grib"
    path.write_text("no messages here")
    with pytest.raises(InputError, match="notes.grib"):
        grib_field_series(str(path))


@pytest.mark.parametrize("edition", EDITIONS)
def test_vsizip_path(tmp_path, edition):
    fields = era5_land_fields(params=(139, 228))
    plain = write_grib(tmp_path / f"a.grib{edition}", fields, edition)
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(plain, "data.grib")
    virtual = f"/vsizip/{archive}/data.grib"
    zipped = grib_field_series(virtual)
    direct = grib_field_series(plain)
    assert [s.variable for s in zipped] == ["stl1", "tp"] and zipped[0].source == virtual
    for a, b in zip(zipped, direct):
        np.testing.assert_array_equal(a.times, b.times)
        np.testing.assert_array_equal(_whole(a), _whole(b))


@pytest.mark.parametrize("edition", EDITIONS)
def test_identical_duplicates_kept_once(tmp_path, edition):
    fields = era5_land_fields(params=(139,))
    path = write_grib(tmp_path / f"d.grib{edition}", fields + fields[:5], edition)
    (s,) = grib_field_series(path)
    np.testing.assert_array_equal(s.times, JAN1 + HOUR * np.arange(1, 25))
    np.testing.assert_array_equal(_whole(s), _whole(grib_field_series(write_grib(
        tmp_path / f"single.grib{edition}", fields, edition))[0]))


@pytest.mark.parametrize("edition", EDITIONS)
def test_different_duplicates_refused(tmp_path, edition):
    fields = era5_land_fields(params=(139,))
    other = Field(139, 20240101, 0, 3, fields[2].values + 1.0)
    path = write_grib(tmp_path / f"dd.grib{edition}", fields + [other], edition)
    with pytest.raises(InputError) as error:
        grib_field_series(path)
    message = str(error.value)
    assert "dd.grib" in message and "stl1" in message and "2024-01-01T03:00:00" in message


@pytest.mark.parametrize("edition", EDITIONS)
def test_fields_on_different_grids_refused(tmp_path, edition):
    """GDAL 3.6 reads one grid per GRIB file (and crashed on a file mixing grid sizes): refused before."""
    fields = era5_land_fields(params=(139,))[:2]
    fields[1] = Field(139, 20240101, 0, 2, fields[1].values, west=81.0)
    path = write_grib(tmp_path / f"g.grib{edition}", fields, edition)
    with pytest.raises(InputError, match="message 2 .*2024-01-01T02:00:00"):
        grib_field_series(path)


@pytest.mark.parametrize("edition", EDITIONS)
def test_gaussian_grid_refused(tmp_path, edition):
    path = str(tmp_path / f"gg.grib{edition}")
    sample = f"/usr/share/eccodes/samples/regular_gg_sfc_grib{edition}.tmpl"
    subprocess.run(["grib_set", "-s", "paramId=235", sample, path], check=True, capture_output=True)
    with pytest.raises(InputError, match="gg.grib.*regular_gg"):
        grib_field_series(path)


@pytest.mark.parametrize("keys, variable", [
    ("discipline=2,parameterCategory=3,parameterNumber=18,typeOfFirstFixedSurface=151,"
     "scaleFactorOfFirstFixedSurface=0,scaledValueOfFirstFixedSurface=2", "stl2"),
    ("discipline=2,parameterCategory=3,parameterNumber=18,typeOfFirstFixedSurface=106,"
     "scaleFactorOfFirstFixedSurface=0,scaledValueOfFirstFixedSurface=0,typeOfSecondFixedSurface=106,"
     "scaleFactorOfSecondFixedSurface=2,scaledValueOfSecondFixedSurface=7", "stl1"),
    ("discipline=2,parameterCategory=0,parameterNumber=25,typeOfFirstFixedSurface=151,"
     "scaleFactorOfFirstFixedSurface=0,scaledValueOfFirstFixedSurface=1", "swvl1"),
    # (ecCodes 2.28 resets the first surface's value when the second surface's type is set after it)
    ("discipline=2,parameterCategory=0,parameterNumber=25,typeOfFirstFixedSurface=106,typeOfSecondFixedSurface=106,"
     "scaleFactorOfFirstFixedSurface=2,scaledValueOfFirstFixedSurface=7,"
     "scaleFactorOfSecondFixedSurface=2,scaledValueOfSecondFixedSurface=28", "swvl2"),
])
def test_grib2_wmo_soil_encodings(tmp_path, keys, variable):
    """IFS 49r1 and later write soil temperature / water as WMO sot / vsw on soil levels or depths.

    ecCodes 2.28 calls these paramId 260360 (sot) and 260199 (vsw); the layer makes them stl1/2, swvl1/2."""
    local = write_grib(tmp_path / "local.grib2", era5_land_fields(params=(139,))[:3], 2)
    path = str(tmp_path / "wmo.grib2")
    subprocess.run(["grib_set", "-s", keys, local, path], check=True, capture_output=True)
    (s,) = grib_field_series(path)
    assert s.variable == variable
    np.testing.assert_array_equal(_whole(s), _whole(grib_field_series(local)[0]))


@pytest.mark.parametrize("edition", EDITIONS)
def test_read_survives_pickle(tmp_path, edition):
    path = write_grib(tmp_path / f"p.grib{edition}", era5_land_fields(params=(139, 228)), edition)
    series = grib_field_series(path)
    for s in series:
        before = _whole(s)                       # opens the GDAL dataset inside the reader
        read = pickle.loads(pickle.dumps(s.read))
        window = Window(0, 0, s.grid.width, s.grid.height)
        np.testing.assert_array_equal(read(0, len(s.times), window), before)
        again = pickle.loads(pickle.dumps(s))    # the whole FieldSeries goes to a worker too
        np.testing.assert_array_equal(_whole(again), before)
