"""The flux scheme against hand-worked cases and an independent plain-Python implementation."""
import random

import numpy as np
import pytest

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.parameters import load_parameters
from parameter_sets import params_with
from oracles import plain_python_rs

DEFAULTS = load_parameters()


def test_r1_hand_worked():
    # 0.010*(30 - 20 - 0.8) + 0.010*2 = 0.092 + 0.020
    r1 = fs.heat_driven_flux(np.array([30.0]), np.array([20.0]), np.array([2.0]), DEFAULTS)
    assert r1[0] == pytest.approx(0.112, rel=1e-12)


def test_r1_is_zero_at_the_threshold_difference():
    r1 = fs.heat_driven_flux(np.array([20.8]), np.array([20.0]), np.array([0.0]), DEFAULTS)
    assert r1[0] == pytest.approx(0.0, abs=1e-15)
    below = fs.heat_driven_flux(np.array([20.7]), np.array([20.0]), np.array([0.0]), DEFAULTS)
    assert below[0] < 0      # uptake below dT0, release above


def test_r2_hand_worked():
    theta = np.array([0.05, 0.0500001, 0.125, 0.20, 0.30, 0.02])
    t10 = np.array([25.0, 25.0, 35.0, 25.0, 25.0, 25.0])
    r2 = fs.moisture_activated_flux(theta, t10, DEFAULTS)
    assert r2[0] == 0.0                                            # theta10 = theta_c: off
    assert 0 < r2[1] < 1e-6                                        # just above: switches on continuously
    assert r2[2] == pytest.approx(3.68 * 0.5 ** 1.5 * 2.0, rel=1e-12)   # halfway, Q10 one step up
    assert r2[3] == pytest.approx(3.68, rel=1e-12)                 # at theta_ref and 25 degC
    assert r2[4] == pytest.approx(3.68, rel=1e-12)                 # capped at r2_max
    assert r2[5] == 0.0


def test_weiss_solubility_at_20c():
    # Weiss (1974) table: K0 = 0.03910 mol L-1 atm-1 at 20 degC, 0.07758 at 0 degC (freshwater)
    assert fs.co2_solubility(20.0) == pytest.approx(0.03910, abs=5e-5)
    assert fs.co2_solubility(0.0) == pytest.approx(0.07758, abs=5e-5)


def test_r3_hand_worked():
    p = params_with(a_soc=0.002, a_ph=0.004, a_salt=0.002)
    # at 20 degC: 0.002*(2-1)*1 - (0.004*(9.5-9) + 0.002*(1.5-0.5))*1 = 0.002 - 0.004
    r3 = fs.soil_property_flux(np.array([20.0]), 2.0, 9.5, 1.5, p)
    assert r3[0] == pytest.approx(-0.002, rel=1e-12)
    # at 10 degC alkalinity takes up more (K0 larger) and SOC releases less (Q10)
    cold = fs.soil_property_flux(np.array([10.0]), 2.0, 9.5, 1.5, p)
    expected = 0.002 * 2.0 ** -1 - 0.004 * fs.co2_solubility(10.0) / fs.co2_solubility(20.0)
    assert cold[0] == pytest.approx(expected, rel=1e-12)
    assert cold[0] < r3[0]


def test_tendency_of_a_linear_ramp_is_its_slope_at_the_ends_too():
    hours = np.arange(10.0) * 3.0                 # 3-hourly steps
    t0 = 2.0 + 0.5 * hours
    tendency = fs.mean_temperature_tendency(t0, t0 - 1.0, hours)
    assert np.allclose(tendency, 0.5, rtol=0, atol=1e-14)


def test_constant_flux_for_a_year_in_grams():
    # 1 umol m-2 s-1 over 365.25 d = 1388.8 g CO2 m-2 (docs/SCIENCE.md section 1)
    grams = fs.step_grams_co2(np.ones(8766), 3600.0).sum()
    assert grams == pytest.approx(1388.8, abs=0.05)


def test_agrees_with_an_independent_plain_python_implementation():
    rng = random.Random(20250409)
    p = params_with(a_soc=0.002, a_ph=0.004, a_salt=0.002, k2=-0.02, p=2.3)
    for _ in range(20):
        n = rng.randint(2, 60)
        hours = [0.0]
        for _ in range(n - 1):
            hours.append(hours[-1] + rng.choice([0.5, 1.0, 2.0]))
        t0 = [rng.uniform(-20, 70) for _ in range(n)]
        t10 = [rng.uniform(-10, 45) for _ in range(n)]
        theta = [rng.choice([rng.uniform(0, 0.05), p.theta_c, rng.uniform(0.05, 0.4)]) for _ in range(n)]
        soc, ph, salt = rng.uniform(0, 5), rng.uniform(7, 10.5), rng.uniform(0, 3)
        expected = plain_python_rs(t0, t10, theta, hours, soc, ph, salt, p.values)
        tendency = fs.mean_temperature_tendency(np.array(t0), np.array(t10), np.array(hours))
        got = sum(fs.flux_components(np.array(t0), np.array(t10), np.array(theta), tendency, p,
                                     np.full(n, soc), np.full(n, ph), np.full(n, salt)))
        assert np.allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_regimes_use_daily_means():
    # day 0: mean dT = 0.5 < 0.8 -> uptake all day even where hourly dT is large; day 1: release
    day = np.repeat([0, 1], 4)
    t0 = np.array([10, 10, 10, 12.0, 20, 20, 20, 20])
    t10 = np.array([10, 10, 10, 10.0, 10, 10, 10, 10])
    theta = np.array([0.01, 0.06, 0.05, 0.01, 0.01, 0.01, 0.2, 0.01])
    uptake, moist = fs.regime_masks(t0, t10, theta, day, DEFAULTS)
    assert uptake.tolist() == [True] * 4 + [False] * 4
    assert moist.tolist() == [False, True, False, False, False, False, True, False]
    rn = np.array([100.0] * 4 + [0.0] * 4)
    uptake_rn, _ = fs.regime_masks(t0, t10, theta, day, DEFAULTS, net_radiation=rn)
    assert not uptake_rn.any()
