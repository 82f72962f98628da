"""Per-pixel trends against scipy and pymannkendall (gaps and ties included); the windowed driver."""
import numpy as np
import pymannkendall
import pytest
import rasterio
from rasterio.transform import from_origin
from scipy.special import betainc
from scipy.stats import linregress, theilslopes

from desert_carbon.core import trend
from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.raster_io import NODATA
from desert_carbon.core.trend import (BAND_NAMES, check_trend_options, mann_kendall, ols_trend,
                                      significance_code, student_t_two_sided_p, theil_sen_slope, trend_statistics)
from desert_carbon.core.trend_run import run_trend, trend_windows

ORACLE_TESTS = {"none": pymannkendall.original_test,
                "prewhitening": pymannkendall.pre_whitening_modification_test,
                "hamed_rao": pymannkendall.hamed_rao_modification_test}
TOLERANCE = 1e-9


def random_stack(n, pixels, seed, gap_fraction=0.15):
    """Trending noisy series; some rounded to halves (ties), some with gaps, plus awkward cases."""
    rng = np.random.default_rng(seed)
    steps = np.arange(n)[:, None]
    values = rng.normal(0.0, 1.0, (n, pixels)) + steps * rng.normal(0.0, 0.15, pixels)
    tied = rng.random(pixels) < 0.3
    values[:, tied] = np.round(values[:, tied] * 2.0) / 2.0
    gappy = rng.random(pixels) < 0.5
    values[(rng.random((n, pixels)) < gap_fraction) & gappy] = np.nan
    values[:, 0] = 3.0                                   # constant
    values[:, 1] = 2.0 + 0.5 * np.arange(n)              # exactly linear
    values[:, 2] = 1.0
    values[n // 2, 2] = 2.0                              # all tied but one
    values[:, 3] = np.nan
    values[: min(n, 4), 3] = [4.0, 1.0, 3.0, 2.0][: min(n, 4)]   # the fewest years allowed, shuffled
    return values


def oracle(series, years, correction):
    """What scipy (on the valid years) and pymannkendall (on the NaN-padded series) give."""
    valid = ~np.isnan(series)
    regression = linregress(years[valid], series[valid])
    # a constant series carries no evidence of a trend: p = 1 (scipy >= 1.17 gives NaN there; the plugin's
    # choice is tested on its own in test_a_constant_series_has_no_trend_and_p_one)
    ols_p = 1.0 if np.ptp(series[valid]) == 0 else regression.pvalue
    test = ORACLE_TESTS[correction](series)
    return {"ols_slope": regression.slope, "ols_p": ols_p,
            "sen_slope": theilslopes(series[valid], years[valid]).slope,
            "mk_p": test.p, "kendall_tau": test.Tau,
            "significance": significance_code(test.p, test.s), "n_valid": valid.sum()}


def assert_matches_oracles(values, years, correction, padded=None):
    """``padded``: the series one entry per calendar year (NaN for years without a band)."""
    got = trend_statistics(values, years, correction=correction, min_valid_years=4)
    padded = values if padded is None else padded
    short = np.isfinite(values).sum(axis=0) < 4
    for name in BAND_NAMES:
        assert np.isnan(got[name][short]).all(), name
    for pixel in np.flatnonzero(~short):
        expected = oracle(padded[:, pixel], np.arange(padded.shape[0]) + years[0], correction)
        for name in BAND_NAMES:
            np.testing.assert_allclose(got[name][pixel], expected[name], rtol=0, atol=TOLERANCE,
                                       err_msg=f"pixel {pixel}, {name}, correction {correction}")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")      # pymannkendall on constant series
@pytest.mark.parametrize("correction", list(ORACLE_TESTS))
@pytest.mark.parametrize("n", [6, 23])
def test_every_band_agrees_with_scipy_and_pymannkendall(correction, n):
    values = random_stack(n, 160, seed=n)
    assert_matches_oracles(values, 1995.0 + np.arange(n), correction)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_float32_blocks_give_the_float64_results_of_the_same_values():
    values = random_stack(23, 300, seed=3).astype(np.float32)
    years = 2000.0 + np.arange(23)
    for correction in ORACLE_TESTS:
        single = trend_statistics(values, years, correction=correction)
        double = trend_statistics(values.astype(np.float64), years, correction=correction)
        for name in BAND_NAMES:
            np.testing.assert_array_equal(single[name], double[name], err_msg=name)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("correction", list(ORACLE_TESTS))
def test_missing_calendar_years_use_the_real_years(correction):
    calendar = 2000 + np.arange(16)
    kept = np.array([0, 1, 2, 4, 5, 8, 9, 10, 11, 13, 15])       # bands exist for these years only
    padded = random_stack(16, 60, seed=11, gap_fraction=0.1)
    padded[:, 3] = np.nan
    padded[kept[:4], 3] = [4.0, 1.0, 3.0, 2.0]
    padded[np.setdiff1d(np.arange(16), kept)] = np.nan
    assert_matches_oracles(padded[kept], calendar[kept].astype(float), correction, padded=padded)


def test_chunked_and_sliced_work_equals_one_pass(monkeypatch):
    values = random_stack(12, 1001, seed=5)
    years = 1990.0 + np.arange(12)
    whole = trend_statistics(values, years, correction="hamed_rao")
    monkeypatch.setattr(trend, "CHUNK_PIXELS", 100)
    monkeypatch.setattr(trend, "WORK_BYTES", 66 * 24)      # comparisons 24 pixels at a time, Sen slopes 1
    sliced = trend_statistics(values, years, correction="hamed_rao")
    for name in BAND_NAMES:     # SIMD sums may differ in the last bit with the chunk's width
        np.testing.assert_allclose(sliced[name], whole[name], rtol=1e-13, atol=1e-15, err_msg=name)


def test_hand_worked_series():
    years = 2000.0 + np.arange(5)
    rising = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    test = mann_kendall(rising[:, None])
    assert test.s[0] == 10 and test.tau[0] == 1.0
    assert test.var_s[0] == pytest.approx(5 * 4 * 15 / 18)
    assert test.z[0] == pytest.approx(9 / np.sqrt(5 * 4 * 15 / 18))
    assert test.p[0] == pytest.approx(0.027486, abs=1e-6)
    assert significance_code(test.p, test.s)[0] == 2
    assert theil_sen_slope(rising[:, None], years)[0] == 1.0
    slope, p = ols_trend(rising[:, None], years)
    assert slope[0] == pytest.approx(1.0) and p[0] < 1e-9

    # y = 3, 1, 2: S = -1 -1 +1; slopes -2, -0.5, 1; OLS through centred x = -1, 0, 1
    mixed = np.array([[3.0], [1.0], [2.0]])
    test = mann_kendall(mixed)
    assert (test.s[0], test.z[0], test.p[0]) == (-1.0, 0.0, 1.0)
    assert test.tau[0] == pytest.approx(-1 / 3)
    assert theil_sen_slope(mixed, years[:3])[0] == -0.5
    assert ols_trend(mixed, years[:3])[0][0] == pytest.approx(-0.5)

    # two tied pairs: var = (4*3*13 - 2 * 2*1*9) / 18
    tied = mann_kendall(np.array([[1.0], [1.0], [2.0], [2.0]]))
    assert tied.s[0] == 4 and tied.var_s[0] == pytest.approx(120 / 18)

    # a gap: pairs over the years 2000, 2002, 2003 only
    gap = np.array([[1.0], [np.nan], [3.0], [4.0]])
    assert theil_sen_slope(gap, years[:4])[0] == 1.0
    assert mann_kendall(gap).s[0] == 3


def test_blocks_keep_their_spatial_shape_and_short_series_are_nodata():
    values = random_stack(10, 12, seed=2).reshape(10, 3, 4)
    values[:, 2, 3] = np.nan
    values[:7, 2, 3] = np.arange(7.0)                    # 7 valid years
    got = trend_statistics(values, 2000 + np.arange(10), min_valid_years=8)
    flat = trend_statistics(values.reshape(10, -1), 2000 + np.arange(10), min_valid_years=8)
    for name in BAND_NAMES:
        assert got[name].shape == (3, 4)
        assert np.isnan(got[name][2, 3]), name
        np.testing.assert_array_equal(got[name].ravel(), flat[name])
    assert got["n_valid"][0, 0] == 10


def test_band_subsets_and_ols_significance():
    values = random_stack(15, 50, seed=8)
    years = 2000 + np.arange(15)
    full = trend_statistics(values, years, significance_from="ols")
    part = trend_statistics(values, years, bands=("significance",), significance_from="ols")
    assert list(part) == ["significance"]
    np.testing.assert_array_equal(part["significance"], significance_code(full["ols_p"], full["ols_slope"]))


@pytest.mark.parametrize("arguments, message", [
    (dict(bands=("slope",)), "unknown trend band"),
    (dict(correction="yue_wang"), "correction"),
    (dict(significance_from="sen"), "significance_from"),
    (dict(min_valid_years=2), "at least 3"),
])
def test_bad_arguments_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        trend_statistics(np.zeros((5, 2)), 2000 + np.arange(5), **arguments)


def test_significance_codes():
    p = np.array([0.005, 0.03, 0.07, 0.2, 0.01, np.nan, 0.001])
    direction = np.array([1.0, -2.0, 5.0, 1.0, -1.0, 1.0, 0.0])
    np.testing.assert_array_equal(significance_code(p, direction), [3, -2, 1, 0, -2, np.nan, 0])


def test_student_t_p_equals_the_closed_forms():
    """df = 1 is the Cauchy distribution and df = 2 has a closed form too; other df against the regularized
    incomplete beta I_x(df/2, 1/2), x = df/(df + t²) (not scipy's stdtr, whose last digits moved in 1.17)."""
    rng = np.random.default_rng(0)
    t = np.concatenate([rng.normal(0.0, 4.0, 400), [0.0, 1e-12, -1e-8, 40.0, 1e8, np.inf, -np.inf, np.nan]])
    a = np.abs(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        cauchy = np.where(a == 0, 1.0, 2.0 * np.arctan(1.0 / a) / np.pi)
    np.testing.assert_allclose(student_t_two_sided_p(t, np.full(t.shape, 1)), cauchy, rtol=0, atol=1e-15)
    two = 1.0 - np.where(np.isinf(a), 1.0, a / np.sqrt(2.0 + np.where(np.isinf(a), 0.0, a * a)))
    np.testing.assert_allclose(student_t_two_sided_p(t, np.full(t.shape, 2)), two, rtol=0, atol=1e-15)
    square = np.minimum(a, 1e100) ** 2
    for df in range(3, 61):
        # the tail that is small is computed directly, so neither form loses digits to 1 - x
        expected = np.where(square < df, 1.0 - betainc(0.5, df / 2.0, square / (df + square)),
                            betainc(df / 2.0, 0.5, df / (df + square)))
        got = student_t_two_sided_p(t, np.full(t.shape, df))
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-13, err_msg=f"df {df}")
    mixed = rng.integers(-1, 8, t.shape)
    per_df = {df: student_t_two_sided_p(t, np.full(t.shape, df)) for df in range(1, 8)}
    expected = np.array([per_df[d][i] if d >= 1 else np.nan for i, d in enumerate(mixed)])
    np.testing.assert_array_equal(student_t_two_sided_p(t, mixed), expected)


def test_a_constant_series_has_no_trend_and_p_one():
    """No evidence of a trend: slope 0, OLS p = 1, Mann-Kendall S = 0 and p = 1, significance 0."""
    values = np.full((12, 3), 4.25)
    values[3, 2] = np.nan                              # a gap does not change that
    got = trend_statistics(values, 2000 + np.arange(12))
    for pixel in range(3):
        assert got["ols_slope"][pixel] == 0.0 and got["ols_p"][pixel] == 1.0
        assert got["sen_slope"][pixel] == 0.0 and got["mk_p"][pixel] == 1.0
        assert got["significance"][pixel] == 0.0


def test_the_block_functions_and_the_runner_share_one_check(tmp_path):
    for arguments in (dict(bands=("slope",)), dict(correction="sen"), dict(significance_from="sen"),
                      dict(min_valid_years=2), dict(bands=())):
        with pytest.raises(InputError) as direct:
            check_trend_options(**arguments)
        with pytest.raises(InputError) as block:
            trend_statistics(np.zeros((5, 2)), 2000 + np.arange(5), **arguments)
        with pytest.raises(InputError) as runner:
            run_trend(tmp_path / "none.tif", tmp_path / "out.tif", **arguments)
        assert str(direct.value) == str(block.value) == str(runner.value)


# --- the windowed driver -------------------------------------------------------------------------

def write_stack(path, values, descriptions, nodata=-9999.0, units="g CO2 m-2 a-1", dtype="float32", **extra):
    bands, rows, cols = values.shape
    profile = dict(driver="GTiff", width=cols, height=rows, count=bands, dtype=dtype, nodata=nodata,
                   crs="EPSG:4326", transform=from_origin(80.0, 41.0, 0.05, 0.05), **extra)
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(np.where(np.isnan(values), nodata, values).astype(dtype))
        for band, description in enumerate(descriptions or [], start=1):
            dataset.set_band_description(band, description)
        if units:
            for band in range(1, bands + 1):
                dataset.update_tags(band, units=units)
    return path


@pytest.fixture
def stack(tmp_path):
    """12 years over 9 x 14 cells: gaps, rounded (tied) cells, a nodata corner, a short-series cell."""
    values = random_stack(12, 9 * 14, seed=21).reshape(12, 9, 14).astype(np.float32).astype(np.float64)
    values[:, :2, :3] = np.nan
    values[:, 8, 13] = np.nan
    values[:6, 8, 13] = np.arange(6.0)
    path = write_stack(tmp_path / "annual.tif", values, [str(2001 + b) for b in range(12)])
    return path, values


def read_output(path):
    with rasterio.open(path) as dataset:
        return (dataset.read(masked=True).astype(np.float64).filled(np.nan), dataset.descriptions,
                [dataset.tags(b) for b in range(1, dataset.count + 1)], dataset.tags(), dataset.nodata)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_driver_writes_named_bands_equal_to_the_core_and_the_oracles(stack, tmp_path):
    path, values = stack
    fractions = []
    result = run_trend(path, tmp_path / "trend.tif", min_valid_years=8, budget_bytes=3 * 14 * 700,
                       progress=fractions.append)
    got, descriptions, band_tags, tags, nodata = read_output(tmp_path / "trend.tif")
    assert descriptions == BAND_NAMES and nodata == NODATA
    assert band_tags[0]["units"] == "g CO2 m-2 a-2" and band_tags[2]["units"] == "g CO2 m-2 a-2"
    assert band_tags[6]["units"] == "years" and tags["years"] == ",".join(str(y) for y in range(2001, 2013))
    assert len(fractions) > 2 and fractions[-1] == 1.0
    assert result.years == list(range(2001, 2013)) and result.pixels == 9 * 14
    enough = np.isfinite(values).sum(axis=0) >= 8
    assert result.pixels_with_trend == enough.sum() < 9 * 14 - 7
    years = 2001.0 + np.arange(12)
    expected = trend_statistics(values, years, min_valid_years=8)
    for index, name in enumerate(BAND_NAMES):
        np.testing.assert_allclose(got[index], expected[name].astype(np.float32), rtol=1e-6, err_msg=name)
        assert np.isnan(got[index, 8, 13]) and np.isnan(got[index, 0, 0])
    codes = got[BAND_NAMES.index("significance")]
    assert result.significance_counts == {c: int((codes == c).sum()) for c in range(-3, 4)}
    gappy = enough & ~np.isfinite(values).all(axis=0)
    for row, col in [np.argwhere(gappy)[0], np.argwhere(gappy)[-1], (5, 7), (8, 12)]:
        reference = oracle(values[:, row, col], years, "none")
        for index, name in enumerate(BAND_NAMES):
            np.testing.assert_allclose(got[index, row, col], reference[name], rtol=1e-6, atol=1e-7)


def test_driver_takes_first_year_sorts_bands_and_uses_real_years(tmp_path):
    values = random_stack(10, 40, seed=4, gap_fraction=0).reshape(10, 5, 8)
    plain = write_stack(tmp_path / "plain.tif", values, ["band"] * 10, units=None)
    result = run_trend(plain, tmp_path / "a.tif", first_year=1990, min_valid_years=5)
    assert result.years == list(range(1990, 2000))
    a, *_ = read_output(tmp_path / "a.tif")
    with rasterio.open(tmp_path / "a.tif") as dataset:
        assert dataset.tags(1)["units"] == "input units per year"

    shuffled = np.array([3, 0, 9, 1, 2, 8, 4, 5, 7, 6])
    years = np.array([1990, 1991, 1993, 1994, 1997, 1998, 2000, 2001, 2002, 2005])   # not consecutive
    out_of_order = write_stack(tmp_path / "shuffled.tif", values[shuffled], [str(y) for y in years[shuffled]])
    result = run_trend(out_of_order, tmp_path / "b.tif", min_valid_years=5)
    assert result.years == list(years) and any("year order" in w for w in result.warnings)
    b, *_ = read_output(tmp_path / "b.tif")
    expected = trend_statistics(values.astype(np.float32), years, min_valid_years=5)
    np.testing.assert_allclose(b[0], expected["ols_slope"].astype(np.float32), rtol=1e-6)
    assert b[0, 1, 1] == pytest.approx(linregress(years, values[:, 1, 1].astype(np.float32)).slope, rel=1e-6)
    np.testing.assert_array_equal(b[3], a[3])            # MK only sees the order


def test_driver_band_subset_integer_input_and_tiled_windows(tmp_path):
    rng = np.random.default_rng(9)
    values = rng.integers(0, 50, (8, 64, 48)).astype(np.float64)     # integers: many ties
    values[:, 0, 0] = np.nan
    path = write_stack(tmp_path / "int.tif", values, [str(2010 + b) for b in range(8)], nodata=-1,
                       dtype="int16", tiled=True, blockxsize=16, blockysize=16)
    with rasterio.open(path) as source:
        bytes_per_pixel = 8 * (2 * 2 + 16) + 28 * 2
        assert {w.height for w in trend_windows(source, 2, bytes_per_pixel * 48 * 40)} == {32}
        assert {w.height for w in trend_windows(source, 2, bytes_per_pixel * 48 * 6)} == {5, 4}
    result = run_trend(path, tmp_path / "t.tif", min_valid_years=5, bands=("kendall_tau", "ols_slope"),
                       budget_bytes=4 * 2**20)
    assert result.bands == ["ols_slope", "kendall_tau"] and result.significance_counts == {}
    got, descriptions, *_ = read_output(tmp_path / "t.tif")
    assert descriptions == ("ols_slope", "kendall_tau") and np.isnan(got[:, 0, 0]).all()
    expected = trend_statistics(values, 2010 + np.arange(8), ("ols_slope", "kendall_tau"), min_valid_years=5)
    np.testing.assert_allclose(got[1], expected["kendall_tau"].astype(np.float32), rtol=1e-6)


@pytest.mark.parametrize("descriptions, first_year, count, message", [
    (["2001", "2002", "two thousand three", "2004"], None, 4, "band 3: the description 'two thousand three'"),
    (None, None, 4, "band 1: the description"),
    (["2001", "2002", "2002", "2004"], None, 4, r"same year \[2002\]"),
    (None, 2001, 2, "has 2 band"),
])
def test_driver_refuses_bad_inputs_naming_file_and_band(tmp_path, descriptions, first_year, count, message):
    path = write_stack(tmp_path / "bad.tif", np.ones((count, 3, 3)), descriptions)
    with pytest.raises(InputError, match=message) as error:
        run_trend(path, tmp_path / "out.tif", first_year=first_year, min_valid_years=3)
    assert "bad.tif" in str(error.value)
    assert not (tmp_path / "out.tif").exists()


def test_driver_refuses_a_missing_file_and_bad_parameters(tmp_path):
    with pytest.raises(InputError, match="choose some of"):
        run_trend(tmp_path / "none.tif", tmp_path / "out.tif", bands=("ols_slope", "slope"))
    with pytest.raises(InputError, match="cannot be opened"):
        run_trend(tmp_path / "none.tif", tmp_path / "out.tif")
    with pytest.raises(InputError, match="at least 3"):
        run_trend(tmp_path / "none.tif", tmp_path / "out.tif", min_valid_years=2)
    with pytest.raises(InputError, match="Correction"):
        run_trend(tmp_path / "none.tif", tmp_path / "out.tif", correction="sen")


def test_cancel_after_the_first_window_leaves_no_file(stack, tmp_path):
    path, _ = stack
    checks = []

    def is_cancelled():
        checks.append(True)
        return len(checks) > 1

    out = tmp_path / "cancelled" / "trend.tif"
    with pytest.raises(RunCancelled):
        run_trend(path, out, min_valid_years=8, budget_bytes=2 * 14 * 700, is_cancelled=is_cancelled)
    assert len(checks) == 2
    assert not out.parent.exists()          # nor the folder made for it
