"""Short forcing gaps filled by linear interpolation in time (checked against numpy.interp), long ones left as
nodata and said, theta10 in percent flagged; on SYNTHETIC stacks and NetCDF written here."""
import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.forcing import Era5Forcing, PackedField, RasterStackForcing
from desert_carbon.core.forcing_gaps import SAND_POROSITY, GapFilledForcing, fill_short_gaps
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.parameters import load_parameters
from desert_carbon.core.timeaxis import years_of
from forcing_files import synthetic_forcing, write_era5_netcdf, write_stack

PARAMS = load_parameters()
HOUR = 3600


def test_runs_up_to_the_limit_are_interpolated_as_numpy_interp_does():
    rng = np.random.default_rng(5)
    values = rng.normal(size=(40, 3))
    values[5:8, 0] = np.nan           # 3 steps: filled with max 3
    values[10:14, 0] = np.nan         # 4 steps: left
    values[0:2, 1] = np.nan           # at the start: no value before, left
    values[:, 2] = np.nan             # a cell without any value (sea): untouched, not counted
    original = values.copy()
    filled, still = fill_short_gaps(values, 3)
    steps = np.arange(40)
    known = ~np.isnan(original[:, 0])
    expected = np.interp(steps, steps[known], original[known, 0])
    np.testing.assert_allclose(values[5:8, 0], expected[5:8], rtol=1e-14)
    assert np.isnan(values[10:14, 0]).all() and np.isnan(values[0:2, 1]).all() and np.isnan(values[:, 2]).all()
    assert filled.sum() == 3 and filled[5:8, 0].all()
    assert still.sum() == 4 + 2 and not still[:, 2].any()


@pytest.fixture
def gappy_stacks(tmp_path):
    """2003 hourly on 1 × 3 cells: cell 0 complete, cell 1 with a 2-hour gap, cell 2 with a week missing."""
    times = np.arange(np.datetime64("2003-01-01", "s").astype(np.int64),
                      np.datetime64("2004-01-01", "s").astype(np.int64), HOUR)
    t0, t10, theta = synthetic_forcing(times, 1, 3, seed=8)
    complete = [array.copy() for array in (t0, t10, theta)]
    t0[4000:4002, 0, 1] = np.nan
    t10[4000:4002, 0, 1] = np.nan
    for array in (t0, t10, theta):
        array[5000:5168, 0, 2] = np.nan
    paths = [write_stack(tmp_path / f"{name}.tif", array, times)
             for name, array in (("t0", t0), ("t10", t10), ("vwc", theta))]
    return times, complete, (t0, t10, theta), paths


def annual_sum(t0, t10, theta, times):
    tendency = fs.mean_temperature_tendency(t0, t10, times / 3600.0)
    rs = sum(fs.flux_components(t0, t10, theta, tendency, PARAMS))
    return fs.step_grams_co2(rs, HOUR)[years_of(times) == 2003].sum(axis=0)


def test_a_two_hour_gap_is_filled_and_counted_a_week_is_nodata_and_said(tmp_path, gappy_stacks):
    times, complete, gappy, paths = gappy_stacks
    out = tmp_path / "annual.tif"
    result = run_flux_scheme(RasterStackForcing(*paths), PARAMS, out, budget_bytes=2 * 800 * 8 * 24)
    # the oracle: the gap interpolated with numpy.interp, then the whole-series scheme
    steps = np.arange(len(times))
    filled = [array.copy() for array in gappy]
    for array in filled[:2]:
        known = ~np.isnan(array[:, 0, 1])
        array[:, 0, 1] = np.interp(steps, steps[known], array[known, 0, 1])
    expected = annual_sum(*filled, times)
    with rasterio.open(out) as dataset:
        got = dataset.read(1, masked=True)
        assert dataset.tags(1)["GAP_FILLED_CELL_STEPS"] == "2"
    np.testing.assert_allclose(got[0, :2], expected[0, :2], rtol=1e-12)
    assert got.mask[0, 2] and not got.mask[0, :2].any()
    warning, = [w for w in result.warnings if "MAX_GAP_HOURS" in w]
    assert "168 cell-steps" in warning and "2003-07-28T08:00:00" in warning and "nodata" in warning
    assert any("gaps of up to 3 h" in note and "2 cell-steps" in note for note in result.notes)
    # with gaps left as gaps, the 2-hour gap makes its cell-year nodata as before
    strict = run_flux_scheme(RasterStackForcing(*paths), PARAMS, tmp_path / "strict.tif", max_gap_hours=0)
    assert strict.valid_cells == {2003: 1}


def test_theta10_in_percent_from_a_dry_station_is_flagged(tmp_path, gappy_stacks):
    times, (t0, t10, theta), _, _ = gappy_stacks
    percent = np.full_like(theta, 0.6)      # 0.6 % read as m3 m-3: above the porosity of sand all year
    paths = [write_stack(tmp_path / f"{name}_percent.tif", array, times)
             for name, array in (("t0", t0), ("t10", t10), ("vwc", percent))]
    result = run_flux_scheme(RasterStackForcing(*paths), PARAMS, tmp_path / "annual.tif")
    warning, = [w for w in result.warnings if "porosity of sand" in w]
    assert f"exceeds {SAND_POROSITY} m3 m-3" in warning and "100% of the cell-steps" in warning
    assert "divide the stack by 100" in warning
    assert not [w for w in run_flux_scheme(RasterStackForcing(*gappy_stacks[3]), PARAMS,
                                           tmp_path / "dry.tif").warnings if "porosity" in w]


def test_a_gap_across_a_chunk_edge_is_filled_as_in_the_whole_series_and_packed_missing_values_are_seen(tmp_path):
    """A chunk is read as asked, and again with the steps around only when a value is missing: a gap whose
    interpolation needs the step before the chunk is filled as a whole-series fill fills it. On an ERA5-style
    int16 NetCDF (SYNTHETIC values), whose fill value the reader finds from the packed integers' range."""
    times = np.arange(np.datetime64("2003-01-01", "s").astype(np.int64),
                      np.datetime64("2003-01-11", "s").astype(np.int64), HOUR)
    t0, t10, theta = synthetic_forcing(times, 2, 3, seed=3)
    t0[99:101, 1, 2] = np.nan                      # steps 99 and 100: the chunk below starts at 100
    path = write_era5_netcdf(tmp_path / "gappy.nc", times, t0, t10, t10 - 1.0, theta, theta)
    window = Window(0, 0, 3, 2)
    fields = Era5Forcing([path]).read_fields(100, 200, window, packed=True)
    assert not fields.complete and np.isnan(fields.t0[0, 1, 2])
    assert isinstance(fields.t0, np.ndarray)        # a missing value: read as floats, not left packed
    later = Era5Forcing([path]).read_fields(110, 200, window, packed=True)
    assert later.complete and isinstance(later.t0, PackedField)
    whole = GapFilledForcing(Era5Forcing([path])).read(0, len(times), window)
    chunk = GapFilledForcing(Era5Forcing([path])).read(100, 200, window)
    for got, expected in zip(chunk, whole):
        np.testing.assert_array_equal(got, expected[100:200])
    assert np.isfinite(chunk[0]).all()
