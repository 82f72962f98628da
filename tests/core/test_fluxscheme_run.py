"""Annual sums window by window against one whole-series pass; bad input; cancel leaves nothing."""
import json
import pickle

import numpy as np
import pytest
import rasterio
from osgeo import gdal

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.fluxscheme_run import NEIGHBOUR_ONLY, REGIME_COUNTS, WindowSums, run_flux_scheme, window_sums
from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.forcing import DEPTH_WEIGHT_10CM, Era5Forcing, RasterStackForcing
from desert_carbon.core.parameters import load_parameters, parameters_from_document
from desert_carbon.core.timeaxis import day_index, years_of
from parameter_sets import document_with
from forcing_files import synthetic_forcing, unpacked, write_era5_netcdf, write_stack

PARAMS = load_parameters()
HOUR = 3600


def hourly(first, last):
    start = np.datetime64(first, "s").astype(np.int64)
    stop = np.datetime64(last, "s").astype(np.int64)
    return np.arange(start, stop, HOUR, dtype=np.int64)


def whole_series_annual(t0, t10, theta, times, params, years):
    """The reference: one pass over the whole series, then a sum per calendar year."""
    tendency = fs.mean_temperature_tendency(t0, t10, times / 3600.0)
    rs = sum(fs.flux_components(t0, t10, theta, tendency, params))
    grams = fs.step_grams_co2(rs, HOUR)
    y = years_of(times)
    return np.stack([grams[y == year].sum(axis=0) for year in years])


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    times = hourly("2003-01-01", "2005-01-01")
    t0, t10, theta = synthetic_forcing(times, 3, 4)
    t0[5000, 1, 2] = np.nan      # one missing step: that cell's 2003 sum must be nodata
    paths = [write_stack(folder / f"{n}.tif", v, times, nodata=np.nan if n == "t0" else None)
             for n, v in (("t0", t0), ("t10", t10), ("vwc", theta))]
    return folder, times, t0, t10, theta, paths


def test_windowed_run_equals_one_whole_series_pass(two_years, tmp_path):
    _, times, t0, t10, theta, paths = two_years
    forcing = RasterStackForcing(*paths)
    out = tmp_path / "annual.tif"
    comps = tmp_path / "components.tif"
    regimes = tmp_path / "regimes.tif"
    # a budget of a few pixels' worth forces several windows and many time chunks with halos
    result = run_flux_scheme(forcing, PARAMS, out, components_output=comps, regimes_output=regimes,
                             budget_bytes=2 * 800 * 8 * 24, max_gap_hours=0)     # the one missing step stays a gap
    expected = whole_series_annual(t0, t10, theta, times, PARAMS, [2003, 2004])
    with rasterio.open(out) as src:
        got = src.read(masked=True)
        assert src.descriptions == ("2003", "2004")
        assert src.tags(1)["units"] == "g CO2 m-2 a-1"
        assert src.count == 2
    assert got.mask[0, 1, 2] and not got.mask[1, 1, 2] and got.mask.sum() == 1
    np.testing.assert_allclose(got.filled(np.nan)[~got.mask], expected[~got.mask], rtol=1e-12)
    assert result.years == [2003, 2004] and result.partial_years == []
    assert result.pixel_steps == 12 * len(times)
    with rasterio.open(comps) as src:
        parts = src.read(masked=True)
        assert src.descriptions[:2] == ("R1_2003", "R1_2004") and src.descriptions[4] == "R3_2003"
    np.testing.assert_allclose(parts.reshape(3, 2, 3, 4).sum(axis=0)[~got.mask], got[~got.mask], rtol=1e-12)
    with rasterio.open(regimes) as src:
        fractions = src.read()
    np.testing.assert_allclose(fractions[0] + fractions[1], 1.0, rtol=1e-12)
    expected_moist = (theta > PARAMS.theta_c).mean(axis=0)
    np.testing.assert_allclose(fractions[2][[0, 2]], expected_moist[[0, 2]], rtol=1e-12)


def window_arguments(two_years):
    """The pure window function's arguments for the whole two-year series of the fixture, with a mask."""
    _, times, t0, t10, theta, _ = two_years
    mask = np.ones(t0.shape[1:])
    mask[0, 0], mask[2, 3] = 0.0, np.nan                 # left out: 0 and nodata
    years = years_of(times)
    year_of_step = np.where(years == 2003, 0, 1)
    return ((t0, t10, theta, times / 3600.0, day_index(times), year_of_step, 2, HOUR, PARAMS),
            {"statics": {"mask": mask}})


def test_the_pure_window_function_equals_a_whole_series_pass(two_years):
    _, times, t0, t10, theta, _ = two_years
    args, kwargs = window_arguments(two_years)
    fractions = []
    sums = window_sums(*args, progress=fractions.append, **kwargs)
    expected = whole_series_annual(t0, t10, theta, times, PARAMS, [2003, 2004])
    got = sums.annual.sum(axis=0)
    left_out = np.zeros((3, 4), dtype=bool)
    left_out[0, 0] = left_out[2, 3] = True
    assert np.isnan(got[:, left_out]).all() and np.isnan(got[0, 1, 2]) and np.isfinite(got[1, 1, 2])
    computed = np.isfinite(got)
    np.testing.assert_allclose(got[computed], expected[computed], rtol=1e-12)
    assert sums.pixel_steps == len(times) * 10
    valid = sums.regimes[REGIME_COUNTS.index("valid")]
    assert (valid[left_out] == 0).all() and valid[1, 2] == len(times) - 1 and valid[0, 1] == len(times)
    moist = sums.regimes[REGIME_COUNTS.index("moist")]
    np.testing.assert_array_equal(moist[~left_out], (theta > PARAMS.theta_c).sum(axis=0)[~left_out])
    assert len(fractions) > 2 and fractions == sorted(fractions) and fractions[-1] == 1.0


def test_window_sums_of_two_spans_with_halos_add_up_to_the_whole(two_years):
    (t0, t10, theta, hours, days, year_of_step, *rest), kwargs = window_arguments(two_years)
    whole = window_sums(t0, t10, theta, hours, days, year_of_step, *rest, **kwargs)
    cut = 9000                                           # mid-day, mid-chunk: the halos must carry the tendency
    total = WindowSums.zeros(2, np.isfinite(kwargs["statics"]["mask"]) & (kwargs["statics"]["mask"] > 0))
    for lo, hi, counted in ((0, cut + 1, slice(0, cut)), (cut - 1, len(hours), slice(1, None))):
        marks = np.full(hi - lo, NEIGHBOUR_ONLY)
        marks[counted] = year_of_step[lo:hi][counted]
        total += window_sums(t0[lo:hi], t10[lo:hi], theta[lo:hi], hours[lo:hi], days[lo:hi], marks, *rest, **kwargs)
    np.testing.assert_allclose(total.annual, whole.annual, rtol=1e-12)
    np.testing.assert_array_equal(total.regimes, whole.regimes)
    assert total.pixel_steps == whole.pixel_steps


def test_window_arguments_and_results_survive_a_pickle_round_trip(two_years):
    """What a Dask task carries must pickle: arrays, the ParameterSet, the statics, the result."""
    args, kwargs = window_arguments(two_years)
    expected = window_sums(*args, **kwargs)
    carried_args, carried_kwargs = pickle.loads(pickle.dumps((args, kwargs)))
    assert carried_args[-1] == PARAMS and carried_args[-1].k1 == PARAMS.k1
    got = pickle.loads(pickle.dumps(window_sums(*carried_args, **carried_kwargs)))
    assert isinstance(got, WindowSums) and got.pixel_steps == expected.pixel_steps
    np.testing.assert_array_equal(got.annual, expected.annual)
    np.testing.assert_array_equal(got.regimes, expected.regimes)


def test_a_parameter_set_unpickles_and_keeps_its_values():
    params = parameters_from_document(document_with(a_soc=0.002), "r3.json")
    copy = pickle.loads(pickle.dumps(params))
    assert copy == params and copy.a_soc == 0.002 and copy.r3_active and copy.source == "r3.json"
    assert copy.bounds == params.bounds and copy.provenance == params.provenance
    assert not hasattr(copy, "k3")


def test_cancel_leaves_no_output(two_years, tmp_path):
    forcing = RasterStackForcing(*two_years[5])
    calls = []
    with pytest.raises(RunCancelled):
        run_flux_scheme(forcing, PARAMS, tmp_path / "annual.tif", components_output=tmp_path / "c.tif",
                        budget_bytes=2 * 800 * 8 * 24, is_cancelled=lambda: len(calls) > 3 or calls.append(1))
    assert list(tmp_path.iterdir()) == []


def test_partial_years_are_left_out_or_flagged(tmp_path):
    times = hourly("2010-07-01", "2012-01-01")
    paths = [write_stack(tmp_path / f"{i}.tif", v, times) for i, v in enumerate(synthetic_forcing(times, 2, 2))]
    skipped = run_flux_scheme(RasterStackForcing(*paths), PARAMS, tmp_path / "a.tif")
    assert skipped.years == [2011] and skipped.skipped_years == [2010]
    assert any("Partial year" in w for w in skipped.warnings)
    flagged = run_flux_scheme(RasterStackForcing(*paths), PARAMS, tmp_path / "b.tif", include_partial_years=True)
    assert flagged.years == [2010, 2011]
    with rasterio.open(tmp_path / "b.tif") as src:
        assert src.tags(1)["PARTIAL_YEAR"] == "yes" and src.tags(2)["PARTIAL_YEAR"] == "no"
        assert int(src.tags(1)["steps"]) == 184 * 24


def test_era5_files_read_and_computed_like_the_reference(tmp_path):
    times = hourly("2001-01-01", "2003-01-01")
    t0, t10, theta = synthetic_forcing(times, 3, 5, seed=7)
    stl2 = t10 - 2.0
    split = np.searchsorted(times, np.datetime64("2002-01-01", "s").astype(np.int64))
    paths = []
    for part, (a, b) in enumerate(((0, split), (split, len(times)))):
        # the second file stores latitudes south to north: the reader must flip it
        paths.append(write_era5_netcdf(tmp_path / f"era5_{part}.nc", times[a:b], t0[a:b], t10[a:b], stl2[a:b],
                                       theta[a:b], theta[a:b] * 1.2, ascending_latitude=part == 1))
    forcing = Era5Forcing(paths[::-1])          # order of the files does not matter
    assert forcing.grid.width == 5 and forcing.grid.height == 3
    assert forcing.grid.transform.c == pytest.approx(80.0) and forcing.grid.transform.f == pytest.approx(40.0)
    result = run_flux_scheme(forcing, PARAMS, tmp_path / "annual.tif")

    def stacked(name):
        return np.concatenate([unpacked(None, p, name) for p in paths])
    k = 273.15
    ref_t0 = stacked("skt") - k
    stl1, stl2_read = stacked("stl1") - k, stacked("stl2") - k
    swvl1, swvl2 = stacked("swvl1"), stacked("swvl2")
    ref_t10 = stl1 + DEPTH_WEIGHT_10CM * (stl2_read - stl1)
    ref_theta = swvl1 + DEPTH_WEIGHT_10CM * (swvl2 - swvl1)
    second = slice(split, None)
    for array in (ref_t0, ref_t10, ref_theta):
        array[second] = array[second][:, ::-1, :]
    expected = whole_series_annual(ref_t0, ref_t10, ref_theta, times, PARAMS, [2001, 2002])
    with rasterio.open(tmp_path / "annual.tif") as src:
        np.testing.assert_allclose(src.read(), expected, rtol=1e-12)
    assert result.years == [2001, 2002]


def test_bad_forcing_is_named(tmp_path):
    times = hourly("2005-01-01", "2005-01-03")
    t0, t10, theta = synthetic_forcing(times, 2, 2)
    good = [write_stack(tmp_path / f"{n}.tif", v, times) for n, v in (("t0", t0), ("t10", t10), ("vwc", theta))]

    kelvin = write_stack(tmp_path / "kelvin.tif", t0 + 273.15, times)
    with pytest.raises(InputError, match=r"kelvin\.tif.*look like kelvin"):
        run_flux_scheme(RasterStackForcing(kelvin, good[1], good[2]), PARAMS, tmp_path / "o.tif",
                        include_partial_years=True)
    with pytest.raises(InputError, match=r"t0\.tif.*look like degC"):
        run_flux_scheme(RasterStackForcing(*good, temperature_unit="K"), PARAMS, tmp_path / "o.tif",
                        include_partial_years=True)
    percent = write_stack(tmp_path / "percent.tif", theta * 100, times)
    with pytest.raises(InputError, match=r"percent\.tif.*look like percent"):
        run_flux_scheme(RasterStackForcing(good[0], good[1], percent), PARAMS, tmp_path / "o.tif",
                        include_partial_years=True)
    gap = np.delete(times, 10)
    gappy = [write_stack(tmp_path / f"gap{n}.tif", np.delete(v, 10, axis=0), gap)
             for n, v in (("t0", t0), ("t10", t10), ("vwc", theta))]
    with pytest.raises(InputError, match=r"gapt0\.tif.*gap.*2005-01-01T09:00"):
        RasterStackForcing(*gappy)
    backwards = write_stack(tmp_path / "back.tif", t0, times[::-1])
    with pytest.raises(InputError, match=r"back\.tif.*not increasing"):
        RasterStackForcing(backwards, good[1], good[2])
    shifted = write_stack(tmp_path / "shifted.tif", t10, times,
                          transform=rasterio.transform.from_origin(81, 40, 0.5, 0.5))
    with pytest.raises(InputError, match=r"shifted\.tif.*do not\s+align"):
        RasterStackForcing(good[0], shifted, good[2])
    undescribed = write_stack(tmp_path / "nodesc.tif", t0, times, describe=False)
    with pytest.raises(InputError, match=r"nodesc\.tif.*band 1.*not an ISO 8601"):
        RasterStackForcing(undescribed, good[1], good[2])
    assert RasterStackForcing(undescribed, good[1], good[2], start="2005-01-01T00:00", step_seconds=HOUR).step == HOUR
    all_nodata = write_stack(tmp_path / "empty.tif", np.full_like(t0, -9999.0), times, nodata=-9999.0)
    result = run_flux_scheme(RasterStackForcing(all_nodata, good[1], good[2]), PARAMS, tmp_path / "o.tif",
                             include_partial_years=True)
    assert result.valid_cells == {2005: 0} and any("no valid data" in w for w in result.warnings)


def test_missing_era5_variable_is_named(tmp_path):
    times = hourly("2005-01-01", "2005-01-02")
    t0, t10, theta = synthetic_forcing(times, 2, 2)
    path = write_era5_netcdf(tmp_path / "era5.nc", times, t0, t10, t10, theta, theta)
    from scipy.io import netcdf_file
    with netcdf_file(path, "r", mmap=False) as src:
        keep = {k: (v.dimensions, v.data.copy(), dict(v._attributes)) for k, v in src.variables.items() if k != "swvl2"}
    broken = tmp_path / "no_swvl2.nc"
    with netcdf_file(str(broken), "w", version=2) as dst:
        dst.createDimension("time", None)
        dst.createDimension("latitude", 2)
        dst.createDimension("longitude", 2)
        for name, (dims, data, attrs) in keep.items():
            var = dst.createVariable(name, data.dtype, dims)
            var[:] = data
            for key, value in attrs.items():
                setattr(var, key, value)
    with pytest.raises(InputError, match=r"no_swvl2\.nc.*missing ERA5 variable.*swvl2"):
        Era5Forcing([broken])
    other_grid = write_era5_netcdf(tmp_path / "other.nc", times + 86400, t0, t10, t10, theta, theta, lon0=81)
    with pytest.raises(InputError, match=r"era5\.nc and .*other\.nc do not align"):
        Era5Forcing([path, other_grid])


def test_parameter_files_are_checked(tmp_path):
    bad = document_with()
    bad["parameters"]["k3"] = {"value": 1, "unit": "1", "bounds": [0, 1], "provenance": "P"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(InputError, match=r"bad\.json.*unknown parameter.*k3"):
        load_parameters(path)
    path.write_text(json.dumps(document_with(theta_c=0.9)))
    with pytest.raises(InputError, match=r"bad\.json.*theta_c.*outside its bounds"):
        load_parameters(path)
    path.write_text("{not json")
    with pytest.raises(InputError, match=r"bad\.json.*not valid JSON"):
        load_parameters(path)
    wrong_unit = document_with()
    wrong_unit["parameters"]["k1"]["unit"] = "mg m-2 s-1 K-1"
    path.write_text(json.dumps(wrong_unit))
    with pytest.raises(InputError, match=r"\"k1\".*unit must be"):
        load_parameters(path)
    assert all(PARAMS.provenance[k] in "RLP" for k in PARAMS.values)


def test_coefficients_fitted_at_another_step_are_refused(two_years, tmp_path):
    daily = document_with()
    daily["time_step"] = {"seconds": 86400}
    params = parameters_from_document(daily, "daily.json")
    with pytest.raises(InputError, match=r"daily\.json.*86400 s step.*3600 s step"):
        run_flux_scheme(RasterStackForcing(*two_years[5]), params, tmp_path / "o.tif")
    assert list(tmp_path.iterdir()) == []


def test_r3_needs_its_rasters_and_uses_them_on_the_forcing_grid(two_years, tmp_path):
    params = parameters_from_document(document_with(a_soc=0.002, a_ph=0.004, a_salt=0.002), "r3.json")
    with pytest.raises(InputError, match=r"r3\.json.*SOC, PH and SALT"):
        run_flux_scheme(RasterStackForcing(*two_years[5]), params, tmp_path / "o.tif")
    # statics on a grid twice as fine: resampled (with a warning); constant fields stay exact
    fine = rasterio.transform.from_origin(80.0, 40.0, 0.25, 0.25)
    statics = {}
    for name, value in (("soc", 2.0), ("ph", 9.5), ("salt", 1.5)):
        statics[name] = str(tmp_path / f"{name}.tif")
        with rasterio.open(statics[name], "w", driver="GTiff", width=8, height=6, count=1, dtype="float64",
                           crs="EPSG:4326", transform=fine) as dst:
            dst.write(np.full((1, 6, 8), value))
    result = run_flux_scheme(RasterStackForcing(*two_years[5]), params, tmp_path / "o.tif", **statics)
    assert sum("resampled" in w for w in result.warnings) == 3
    _, times, t0, t10, theta, _ = two_years
    tendency = fs.mean_temperature_tendency(t0, t10, times / 3600.0)
    r3 = fs.soil_property_flux(t10, 2.0, 9.5, 1.5, params)
    rs = sum(fs.flux_components(t0, t10, theta, tendency, params, 2.0, 9.5, 1.5))
    assert np.any(r3 != 0)
    expected = fs.step_grams_co2(rs, HOUR)[years_of(times) == 2004].sum(axis=0)
    with rasterio.open(tmp_path / "o.tif") as src:
        np.testing.assert_allclose(src.read(2), expected, rtol=1e-12)


def test_new_cds_netcdf4_layout_is_read(tmp_path):
    from forcing_files import write_new_cds_netcdf
    times = hourly("2021-01-01", "2022-01-01")
    t0, t10, theta = synthetic_forcing(times, 2, 3, seed=11)
    t0[100, 1, 1] = np.nan                     # a missing value stored as the NaN fill
    path = write_new_cds_netcdf(tmp_path / "new_cds.nc", times, t0, t10, t10 - 1.0, theta, theta)
    forcing = Era5Forcing([path])
    assert np.array_equal(forcing.times, times)
    assert forcing.grid.transform.a == pytest.approx(0.1) and forcing.grid.transform.f == pytest.approx(40.0)
    read_t0, read_t10, read_theta = forcing.read(0, len(times), rasterio.windows.Window(0, 0, 3, 2))
    stored = lambda celsius: (celsius + 273.15).astype(np.float32).astype(np.float64) - 273.15   # noqa: E731
    np.testing.assert_array_equal(read_t0, stored(t0))
    stl1, stl2 = stored(t10), stored(t10 - 1.0)
    np.testing.assert_allclose(read_t10, stl1 + DEPTH_WEIGHT_10CM * (stl2 - stl1), rtol=0, atol=1e-12)
    result = run_flux_scheme(forcing, PARAMS, tmp_path / "annual.tif", max_gap_hours=0)
    assert result.valid_cells == {2021: 5}       # the cell with the missing step is nodata when gaps stay gaps
    assert run_flux_scheme(forcing, PARAMS, tmp_path / "filled.tif").valid_cells == {2021: 6}   # a 1 h gap filled


def test_sand_wet_all_dry_season_is_warned_about(tmp_path):
    times = hourly("2007-01-01", "2008-01-01")
    t0, t10, theta = synthetic_forcing(times, 2, 2)
    dry = [write_stack(tmp_path / f"dry_{n}.tif", v, times) for n, v in (("t0", t0), ("t10", t10), ("vwc", theta))]
    wet_theta = write_stack(tmp_path / "wet_vwc.tif", np.full_like(theta, 0.08), times)   # above theta_c = 0.05
    quiet = run_flux_scheme(RasterStackForcing(*dry), PARAMS, tmp_path / "dry.tif")
    assert not any("dry (uptake) season" in w for w in quiet.warnings)
    warned = run_flux_scheme(RasterStackForcing(dry[0], dry[1], wet_theta), PARAMS, tmp_path / "wet.tif")
    assert any("in 100% of the dry (uptake) season's steps" in w and "VWC10_SCALE" in w for w in warned.warnings)
    scaled = run_flux_scheme(RasterStackForcing(dry[0], dry[1], wet_theta), PARAMS, tmp_path / "scaled.tif",
                             vwc_scale=0.5)                                             # 0.04: below again
    assert not any("dry (uptake) season" in w for w in scaled.warnings)


def test_packed_fill_values_read_as_missing(tmp_path):
    times = hourly("2005-01-01", "2005-01-03")
    t0, t10, theta = synthetic_forcing(times, 2, 2)
    theta[7, 1, 0] = np.nan                      # written as the int16 fill -32767
    path = write_era5_netcdf(tmp_path / "era5.nc", times, t0, t10, t10, theta, theta)
    read_t0, _, read_theta = Era5Forcing([path]).read(0, len(times), rasterio.windows.Window(0, 0, 2, 2))
    assert np.isnan(read_theta[7, 1, 0]) and np.isfinite(np.delete(read_theta.ravel(), 7 * 4 + 2)).all()
    assert np.isfinite(read_t0).all()


# ---- Rn and rain from the forcing's accumulated fields (docs/SCIENCE.md sections 2 and 3) ----------------

@pytest.fixture(scope="module")
def era5_land_year(tmp_path_factory):
    """A synthetic ERA5-Land year as the data store zips it: instant fields and ssr, str, tp accumulated from
    00 UTC (synthetic values, not reanalysis)."""
    from forcing_files import synthetic_radiation_and_rain, write_era5_land_zip
    folder = tmp_path_factory.mktemp("era5land")
    times = hourly("2019-01-01", "2020-01-01")
    t0, t10, theta = synthetic_forcing(times, 2, 3, seed=4)
    ssr, str_, tp = synthetic_radiation_and_rain(times, 2, 3)
    path = write_era5_land_zip(folder, times, t0, t10, theta, ssr, str_, tp)
    return times, path, ssr, str_, tp


def stored_accumulation(hourly_amounts, times):
    """The accumulated field as written (float32), to de-accumulate by hand."""
    from forcing_files import era5_land_accumulation
    return era5_land_accumulation(hourly_amounts, times).astype(np.float32).astype(np.float64)


def hand_deaccumulated(accumulated, times):
    """ERA5-Land by hand, a step at a time: hour ending at t = acc(t) - acc(t - 1 h), acc(01 UTC) itself."""
    out = np.full(accumulated.shape, np.nan)
    for k in range(1, len(times)):
        out[k] = accumulated[k] if times[k] % 86400 == 3600 else accumulated[k] - accumulated[k - 1]
    return out


def test_regimes_use_daily_mean_dt_and_rn_like_a_plain_loop_over_days(era5_land_year, tmp_path):
    times, path, ssr, str_, _ = era5_land_year
    forcing = Era5Forcing([path])
    result = run_flux_scheme(forcing, PARAMS, tmp_path / "a.tif", regimes_output=tmp_path / "regimes.tif",
                             accumulation="auto")
    rn = (hand_deaccumulated(stored_accumulation(ssr, times), times)
          + hand_deaccumulated(stored_accumulation(str_, times), times)) / 3600.0
    t0, t10, _ = forcing.read(0, len(times), rasterio.windows.Window(0, 0, 3, 2))
    days = day_index(times)
    expected = np.zeros((2, 3))
    for row in range(2):
        for col in range(3):
            uptake_steps = 0
            for day in np.unique(days):
                steps = np.flatnonzero(days == day)
                mean_dt = np.mean(t0[steps, row, col] - t10[steps, row, col])
                present = [rn[k, row, col] for k in steps if np.isfinite(rn[k, row, col])]
                if mean_dt < 0.8 and sum(present) / len(present) < 67.0:
                    uptake_steps += len(steps)
            expected[row, col] = uptake_steps / len(times)
    with rasterio.open(tmp_path / "regimes.tif") as src:
        fractions = src.read()
        tags = src.tags()
    np.testing.assert_allclose(fractions[0], expected, rtol=0, atol=1e-12)
    assert tags["REGIME_CRITERIA"] == "daily-mean dT < 0.8 K and daily-mean Rn < 67 W m-2"
    assert tags["net_radiation_used"] == "yes"
    assert any("Rn < 67 W m-2" in note for note in result.notes)
    # Rn matters here: the dT criterion alone gives another uptake season
    run_flux_scheme(forcing, PARAMS, tmp_path / "b.tif", regimes_output=tmp_path / "alone.tif")
    with rasterio.open(tmp_path / "alone.tif") as src:
        assert src.tags()["REGIME_CRITERIA"].startswith("daily-mean dT < 0.8 K only")
        assert np.all(src.read(1) > fractions[0] + 0.01)


def test_annual_rain_and_rn_are_the_hand_sums_whatever_the_window_layout(era5_land_year, tmp_path):
    times, path, ssr, str_, tp = era5_land_year
    outputs = {}
    for label, budget in (("tiny", 2 * 800 * 8 * 34), ("large", 256 * 2 ** 20)):
        names = {key: tmp_path / f"{key}_{label}.tif" for key in ("annual", "regimes", "rain", "rn")}
        run_flux_scheme(Era5Forcing([path]), PARAMS, names["annual"], regimes_output=names["regimes"],
                        rain_output=names["rain"], rn_output=names["rn"], accumulation="era5-land",
                        budget_bytes=budget)
        outputs[label] = {}
        for key, name in names.items():
            with rasterio.open(name) as src:
                outputs[label][key] = src.read()
                if key == "rain":
                    assert src.descriptions == ("2019",) and src.tags(1)["units"] == "mm a-1"
                if key == "rn":
                    assert src.tags(1)["units"] == "W m-2"
    for key in outputs["tiny"]:
        np.testing.assert_array_equal(outputs["tiny"][key], outputs["large"][key], err_msg=key)
    # the first hour (00 UTC of the series' first day) cannot be de-accumulated: the sum runs over the rest
    hand = 1000.0 * tp[1:].sum(axis=0)
    np.testing.assert_allclose(outputs["large"]["rain"][0], hand, rtol=0, atol=0.01)
    assert hand.min() > 10.0
    rn = (ssr + str_)[1:] / 3600.0
    np.testing.assert_allclose(outputs["large"]["rn"][0], rn.mean(axis=0), rtol=0, atol=1e-3)


def test_accumulation_rule_that_the_files_do_not_say_is_asked_for(tmp_path):
    from forcing_files import synthetic_radiation_and_rain, write_era5_land_zip
    times = hourly("2019-01-01", "2019-01-03")
    t0, t10, theta = synthetic_forcing(times, 2, 2)
    ssr, str_, tp = synthetic_radiation_and_rain(times, 2, 2)
    path = write_era5_land_zip(tmp_path, times, t0, t10, theta, ssr, str_, tp, res=0.5)
    with pytest.raises(InputError, match="neither 0.25° nor 0.1°. Set ACCUMULATION"):
        run_flux_scheme(Era5Forcing([path]), PARAMS, tmp_path / "a.tif", include_partial_years=True,
                        accumulation="auto")
    with pytest.raises(InputError, match="OUTPUT_RAIN and OUTPUT_RN need ERA5 / ERA5-Land files"):
        stacks = [write_stack(tmp_path / f"{n}.tif", v, times) for n, v in (("t0", t0), ("t10", t10), ("w", theta))]
        run_flux_scheme(RasterStackForcing(*stacks), PARAMS, tmp_path / "b.tif", include_partial_years=True,
                        accumulation="auto", rain_output=tmp_path / "rain.tif")
    # ERA5's hourly sums, named as such, read as they are
    era5 = write_era5_land_zip(tmp_path / "era5", times, t0, t10, theta, ssr, str_, tp, res=0.5, accumulate=False)
    run_flux_scheme(Era5Forcing([era5]), PARAMS, tmp_path / "c.tif", include_partial_years=True,
                    accumulation="era5", rain_output=tmp_path / "rain_era5.tif")
    with rasterio.open(tmp_path / "rain_era5.tif") as src:
        np.testing.assert_allclose(src.read(1), 1000.0 * tp.sum(axis=0), rtol=1e-6)


# ---- ocean cells: the land-sea mask and ERA5's sea values of soil water --------------------------------------

def small_year(rows=2, cols=3, seed=4):
    times = hourly("2019-01-01", "2020-01-01")
    return (times, *synthetic_forcing(times, rows, cols, seed=seed))


def test_land_sea_mask_in_forcing_own_file_or_invariant_leaves_ocean_out(tmp_path):
    from forcing_files import write_era5_land_zip, write_invariant_lsm
    times, t0, t10, theta = small_year()
    lsm = np.array([[1.0, 0.3, 0.6], [0.0, 1.0, 0.49]])
    sea = lsm < 0.5
    plain = write_era5_land_zip(tmp_path / "plain", times, t0, t10, theta)
    with_lsm = write_era5_land_zip(tmp_path / "lsm", times, t0, t10, theta, lsm=lsm)
    reference = run_flux_scheme(Era5Forcing([plain]), PARAMS, tmp_path / "ref.tif")
    assert reference.ocean_cells == 0 and reference.valid_cells == {2019: 6}
    with rasterio.open(tmp_path / "ref.tif") as src:
        expected = src.read(1)
    invariant = write_invariant_lsm(tmp_path / "lsm_invariant.nc", lsm)
    # float32 coordinates (80.05 stored as 80.05000305) must still be the forcing's grid
    invariant32 = write_invariant_lsm(tmp_path / "lsm_invariant_f32.nc", lsm, coordinates=gdal.GDT_Float32)
    cases = {"in FORCING": ([with_lsm], None), "own file": ([plain], invariant),
             "invariant in FORCING": ([plain, invariant], None), "float32 coordinates": ([plain], invariant32)}
    for label, (paths, mask_file) in cases.items():
        out = tmp_path / f"{label}.tif"
        result = run_flux_scheme(Era5Forcing(paths), PARAMS, out, land_sea_mask=mask_file)
        assert result.ocean_cells == 3 and result.valid_cells == {2019: 3}, label
        assert any(note.startswith("Ocean cells left out: 3: 3 with lsm < 0.5") for note in result.notes), label
        with rasterio.open(out) as src:
            got = src.read(1, masked=True)
        assert (got.mask == sea).all(), label
        np.testing.assert_array_equal(got[~sea], expected[~sea])
    # a raster of the land fraction on the forcing grid does the same
    with rasterio.open(tmp_path / "ref.tif") as src:
        profile = {**src.profile, "count": 1, "nodata": None}
    with rasterio.open(tmp_path / "lsm.tif", "w", **profile) as dst:
        dst.write(lsm, 1)
    result = run_flux_scheme(Era5Forcing([plain]), PARAMS, tmp_path / "r.tif", land_sea_mask=tmp_path / "lsm.tif")
    assert result.ocean_cells == 3


def test_era5_sea_values_of_soil_water_leave_the_cell_out_and_wrong_values_stop(tmp_path):
    from forcing_files import write_era5_land_zip
    times, t0, t10, theta = small_year()
    at_sea = theta.copy()
    at_sea[:, 0, 1] = -3e-6                    # ERA5 GRIB over sea: 0 packed a little below zero
    at_sea[::2, 1, 2] = 0.0
    at_sea[1::2, 1, 2] = -1e-6
    result = run_flux_scheme(Era5Forcing([write_era5_land_zip(tmp_path / "sea", times, t0, t10, at_sea)]), PARAMS,
                             tmp_path / "sea.tif")
    assert result.ocean_cells == 2 and result.valid_cells == {2019: 4}
    assert any("2 more with soil water at or below 0" in note for note in result.notes)
    wrong = theta.copy()
    wrong[100, 1, 1] = -0.02
    path = write_era5_land_zip(tmp_path / "wrong", times, t0, t10, wrong)
    with pytest.raises(InputError, match=r"wrong/era5land_instant\.nc, variable swvl1: .*from -0\.02 .*"
                                         r"expected m3 m-3 between 0 and 1\. ERA5's sea value"):
        run_flux_scheme(Era5Forcing([path]), PARAMS, tmp_path / "wrong.tif")
