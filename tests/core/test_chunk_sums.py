"""The shortcuts of a window's sums against the step-by-step definitions they replace.

The run sums R1 from the sums of dT and of a telescoped tendency, R2 as one exp of logs on every step and the
regimes day by day; each must equal the per-step formula of docs/SCIENCE.md section 2 (written out here with
powers, as the review writes it), and a cell's sums must be the same bits whatever cells share its block.
Forcing in these tests is SYNTHETIC (tests/forcing_files.py).
"""
import numpy as np
import pytest

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.errors import InputError
from desert_carbon.core.fluxscheme_run import REGIME_COUNTS, window_sums
from desert_carbon.core.parameters import load_parameters, parameters_from_document
from desert_carbon.core.timeaxis import day_index, years_of
from forcing_files import synthetic_forcing
from parameter_sets import document_with, params_with

PARAMS = load_parameters()


def hourly(days, start="2003-01-01"):
    return np.datetime64(start, "s").astype(np.int64) + 3600 * np.arange(24 * days, dtype=np.int64)


@pytest.mark.parametrize("first, stop", [(0, 50), (1, 49), (0, 1), (49, 50), (7, 8), (3, 40), (0, 2), (48, 50)])
def test_the_telescoped_tendency_sum_is_the_sum_of_the_per_step_tendencies(first, stop):
    rng = np.random.default_rng(first * 100 + stop)
    t0, t10 = rng.normal(20, 8, (50, 3)), rng.normal(18, 3, (50, 3))
    hours = 3.0 * np.arange(50)
    expected = fs.mean_temperature_tendency(t0, t10, hours)[first:stop].sum(axis=0)
    np.testing.assert_allclose(fs.tendency_sum(t0, t10, hours, first, stop), expected, rtol=1e-12, atol=1e-12)


def test_the_tendency_sum_sees_a_missing_neighbour_and_sums_uneven_steps_one_by_one():
    t0, t10 = np.linspace(10, 30, 20)[:, None] * np.ones((1, 2)), np.full((20, 2), 15.0)
    t0[4, 0] = np.nan                                   # the neighbour before step 5: its tendency is NaN
    total = fs.tendency_sum(t0, t10, np.arange(20.0), 5, 12)
    assert np.isnan(total[0]) and np.isfinite(total[1])
    uneven = np.cumsum(np.r_[0.0, np.random.default_rng(1).uniform(0.5, 2, 19)])
    np.testing.assert_allclose(fs.tendency_sum(t0[:, 1:], t10[:, 1:], uneven, 2, 18),
                               fs.mean_temperature_tendency(t0[:, 1:], t10[:, 1:], uneven)[2:18].sum(axis=0),
                               rtol=1e-12)


def test_the_heat_driven_sum_is_the_sum_of_r1_and_nan_where_any_step_is():
    rng = np.random.default_rng(4)
    t0, t10, tendency = rng.normal(25, 9, (96, 4)), rng.normal(22, 4, (96, 4)), rng.normal(0, 2, (96, 4))
    t0[30, 3] = np.nan
    params = params_with(k1=0.03, k2=-0.02, delta_t0=1.7)
    direct = fs.heat_driven_flux(t0, t10, tendency, params).sum(axis=0)
    summed = fs.heat_driven_sum((t0 - t10).sum(axis=0), tendency.sum(axis=0), 96, params)
    np.testing.assert_allclose(summed[:3], direct[:3], rtol=1e-12)
    assert np.isnan(summed[3]) and np.isnan(direct[3])


def review_r2(theta, t10, p):
    """docs/SCIENCE.md's R2 as the review writes it, with powers, step by step in plain Python."""
    if np.isnan(theta) or np.isnan(t10):
        return np.nan
    if theta <= p.theta_c:
        return 0.0
    return min(p.r2_max, p.a2 * ((theta - p.theta_c) / (p.theta_ref - p.theta_c)) ** p.p
               * p.q10w ** ((t10 - 25.0) / 10.0))


@pytest.mark.parametrize("changes", [{}, {"p": 0.3, "q10w": 1.0}, {"p": 4.0, "q10w": 4.5, "theta_c": 0.0},
                                     {"a2": 0.0}])
def test_r2_as_exp_of_logs_is_the_review_formula_with_powers(changes):
    params = params_with(**changes)
    rng = np.random.default_rng(7)
    theta = np.r_[rng.uniform(0.0, 0.5, 400), params.theta_c, params.theta_ref, np.nan, 0.3]
    t10 = np.r_[rng.uniform(-20, 60, 400), 25.0, 25.0, 25.0, np.nan]
    expected = np.array([review_r2(a, b, params) for a, b in zip(theta, t10)])
    got = fs.moisture_activated_flux(theta, t10, params)
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0)
    assert (got[expected == 0.0] == 0.0).all()        # dry steps are exactly zero, not a tiny exp


def window_case(days=9, rows=3, cols=5, seed=2):
    """Nine days of SYNTHETIC hourly forcing with a wet spell, a missing step and a missing day."""
    times = hourly(days)
    t0, t10, theta = synthetic_forcing(times, rows, cols, seed=seed)
    theta[30:60, 1] += 0.1                              # a wet spell in one row
    theta[100, 2, 3] = np.nan
    t0[150:175, 0, 4] = np.nan
    return t0, t10, theta, times


@pytest.mark.parametrize("r3", [False, True])
def test_a_cells_sums_are_the_same_bits_whatever_cells_share_its_block(r3):
    t0, t10, theta, times = window_case()
    params = params_with(a_soc=0.002, a_ph=0.004, a_salt=0.001) if r3 else PARAMS
    shape = t0.shape[1:]
    statics = {"soc": np.full(shape, 2.0), "ph": np.linspace(8, 9.5, 15).reshape(shape), "salt": np.ones(shape)}
    members = [params_with(k1=0.02, theta_c=0.06), params_with(a2=2.0)]
    years = np.zeros(len(times), dtype=int)

    def run(block_cells):
        return window_sums(t0, t10, theta, times / 3600.0, day_index(times), years, 1, 3600, params,
                           statics if r3 else {}, block_cells=block_cells, members=members)
    whole = run(10 ** 6)
    for block_cells in (1, 2, 4, 7):                    # one cell, a part of a row, rows and their remainders
        part = run(block_cells)
        np.testing.assert_array_equal(part.annual, whole.annual)
        np.testing.assert_array_equal(part.members, whole.members)
        np.testing.assert_array_equal(part.regimes, whole.regimes)


def test_the_window_sums_equal_the_per_step_scheme_with_members_and_regimes():
    t0, t10, theta, times = window_case(seed=5)
    members = [params_with(k1=0.02, theta_c=0.06), params_with(a2=2.0, p=0.8)]
    sums = window_sums(t0, t10, theta, times / 3600.0, day_index(times), np.zeros(len(times), dtype=int), 1, 3600,
                       PARAMS, members=members)
    tendency = fs.mean_temperature_tendency(t0, t10, times / 3600.0)
    grams = 3600 * fs.GRAMS_CO2_PER_UMOL
    for params, got in [(PARAMS, sums.annual.sum(axis=0)[0])] + list(zip(members, sums.members[:, 0])):
        r1 = fs.heat_driven_flux(t0, t10, tendency, params)
        r2 = np.vectorize(review_r2, excluded={2})(theta, t10, params)
        np.testing.assert_allclose(got, (r1 + r2).sum(axis=0) * grams, rtol=1e-12, equal_nan=True)
    # theta10 missing makes R2 nodata, not R1; T0 missing makes R1 nodata
    assert np.isnan(sums.annual[1, 0, 2, 3]) and np.isfinite(sums.annual[0, 0, 2, 3])
    assert np.isnan(sums.annual[0, 0, 0, 4]) and np.isfinite(sums.annual[1, 0, 0, 4])
    uptake, moist = fs.regime_masks(t0, t10, theta, day_index(times), PARAMS)
    valid = np.isfinite(t0) & np.isfinite(t10) & np.isfinite(theta)
    expected = np.stack([valid.sum(axis=0), (uptake & valid).sum(axis=0), (~uptake & valid).sum(axis=0),
                         (moist & valid).sum(axis=0), (moist & uptake & valid).sum(axis=0)])
    np.testing.assert_array_equal(sums.regimes, expected)
    assert sums.regimes[REGIME_COUNTS.index("moist")].sum() > 0 and years_of(times)[0] == 2003


def test_a_parameter_file_with_a_q10_of_zero_is_refused():
    """R2's Q10 is taken through its log (one exp of logs): 0 or less, a file error, is refused by name."""
    document = document_with()
    document["parameters"]["q10w"].update(value=0.0, bounds=[0.0, 5.0])
    with pytest.raises(InputError, match=r"file q10.json: q10w \(0\.0\) must be above 0"):
        parameters_from_document(document, "q10.json")
