"""calibrate: recovers known coefficients within its bootstrap intervals, beats the defaults on
held-out real COSORE data, writes a parameter file that fluxscheme accepts (and refuses at another
step), refuses bad input naming file and column, honours cancel, and reports with SVG plots.
"""
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.calibration import FITTED, FitOptions, calibrate, load_initial
from desert_carbon.core.calibration_report import (parameter_document, report_html, write_parameter_file,
                                                   write_report_html)
from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.forcing import RasterStackForcing
from desert_carbon.core.parameters import load_ensemble, load_parameters, parameters_from_document
from desert_carbon.core.stations import read_station_columns, read_station_csv, resample
from desert_carbon.core.timeaxis import iso, years_of
from forcing_files import synthetic_forcing, write_stack
from synthetic_station import NOISE_SD, TRUE, synthetic_table

COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
DEFAULTS, BOUNDS = load_initial()
# Tests use fewer replicates than a real run (DEFAULT_BOOTSTRAP) to stay fast; the synthetic test
# checks 6 coefficients and 2 annual sums at once, so each interval is at the Bonferroni level that
# gives all eight a joint 95 % coverage.
SYNTHETIC_BOOTSTRAP = 60
JOINT_LEVEL = 1.0 - 0.05 / (len(TRUE) + 2)
COSORE_BOOTSTRAP = 10


@pytest.fixture(scope="module")
def synthetic():
    series, times, truth = synthetic_table()
    result = calibrate(series, DEFAULTS, BOUNDS, n_bootstrap=SYNTHETIC_BOOTSTRAP, interval_level=JOINT_LEVEL)
    return result, times, truth


@pytest.fixture(scope="module")
def cosore():
    # The sample has one soil temperature (5 cm): it stands for T10 (nearest depth) and, mapped
    # explicitly, for T0 as well, so dT = 0 and k1 cannot be fitted.
    series = read_station_csv(COSORE, mapping={"t0": "CSR_T5"})
    fractions = []
    result = calibrate(series, n_bootstrap=COSORE_BOOTSTRAP, progress=fractions.append)
    return result, fractions


# ---- synthetic station: known coefficients -----------------------------------------------------

def test_synthetic_coefficients_lie_within_their_bootstrap_intervals(synthetic):
    result, _, _ = synthetic
    assert result.fitted == tuple(name for name in FITTED if name != "delta_t0")
    assert list(result.fixed) == ["delta_t0"] and "one constant" in result.fixed["delta_t0"]
    assert not result.not_identified
    assert result.bootstrap["used"] == SYNTHETIC_BOOTSTRAP
    for name, true_value in TRUE.items():
        low, high = result.intervals[name]
        assert low <= true_value <= high, (name, true_value, low, high)
        assert low <= result.parameters.values[name] <= high
        assert result.parameters.provenance[name] == "C"
    # not fitted: kept exactly, with their provenance
    for name in ("delta_t0", "r2_max", "a_soc", "a_ph", "a_salt"):
        assert result.parameters.values[name] == DEFAULTS.values[name]
        assert result.parameters.provenance[name] == DEFAULTS.provenance[name]
    # theta_ref follows theta_c at the starting distance (only a2*(theta_ref - theta_c)^-p is identified)
    assert result.parameters.theta_ref - result.parameters.theta_c == pytest.approx(
        DEFAULTS.theta_ref - DEFAULTS.theta_c, abs=1e-12)


def test_synthetic_annual_sums_cover_the_noise_free_truth(synthetic):
    result, times, truth = synthetic
    used = np.isin(times, result.data.times)        # the observed steps the sums run over
    years = years_of(times)
    assert [a.year for a in result.annual] == [2010, 2011]
    for annual in result.annual:
        true_sum = fs.step_grams_co2(truth[used & (years == annual.year)], 3600).sum()
        low, high = annual.modelled_interval
        assert low <= true_sum <= high, (annual.year, true_sum, low, high)
        assert annual.observed_steps < annual.steps <= annual.expected_steps == 8760


def test_synthetic_residuals_are_the_noise(synthetic):
    """In sample the RMSE is the noise sd, within four standard errors of an sd estimate (sd/sqrt(2n))."""
    result, _, _ = synthetic
    fit = result.statistics["fit"]
    assert abs(fit["rmse"] / NOISE_SD - 1.0) < 4.0 / np.sqrt(2 * fit["n"])
    assert result.validation["scheme"] == "leave-one-year-out"
    assert [f["fold"] for f in result.validation["folds"]] == ["2010", "2011"]
    assert result.validation["fit"]["rmse"] < result.validation["initial"]["rmse"]


def test_half_hourly_series_is_averaged_and_fitted_at_the_hourly_step():
    series, _, _ = synthetic_table(years=1, step=1800)
    result = calibrate(series, n_bootstrap=0)
    assert series.step == 1800 and result.step == 3600 and result.parameters.time_step_seconds == 3600
    assert any("averaged to hourly" in w for w in result.warnings)
    assert result.validation["scheme"] == "leave-one-month-out" and len(result.validation["folds"]) == 12


def test_daily_series_is_fitted_at_the_daily_step():
    series, _, _ = synthetic_table()
    result = calibrate(resample(series, 86400), n_bootstrap=0)
    assert result.step == 86400
    assert parameter_document(result)["time_step"] == {"seconds": 86400}
    assert result.validation["fit"]["rmse"] < result.validation["initial"]["rmse"]


def test_one_depth_station_recovers_the_rest_with_the_delta_t_terms_dropped():
    """One soil temperature for T0 and T10 (dT = 0): k1 = 0 and delta_t0 unfitted, said once each; k2, R2, A, B,
    Q10c and theta_c still recovered within their intervals (Bonferroni over the seven checked)."""
    # the truth without the dT terms: with dT = 0 a k1 would only add the constant -k1*delta_t0, which R3's level takes
    series, _, _ = synthetic_table(one_depth=True, seed=11, truth_values={**TRUE, "k1": 0.0})
    level = 1.0 - 0.05 / 7
    result = calibrate(series, DEFAULTS, BOUNDS, n_bootstrap=SYNTHETIC_BOOTSTRAP, interval_level=level)
    assert result.parameters.k1 == 0.0 and {"k1", "delta_t0"} <= set(result.fixed)
    assert sum(w.startswith("k1 = 0, the dT terms of R1 dropped: one soil depth") for w in result.warnings) == 1
    for name in ("k2", "a2", "p", "r3_a", "r3_b", "q10c", "theta_c"):
        low, high = result.intervals[name]
        assert low <= TRUE[name] <= high, (name, TRUE[name], low, high)


def test_without_site_r3_delta_t0_is_fitted_as_before():
    """SITE_R3 off: R3 stays off and the dry-step intercept gives delta_t0 = -b/k1 (docs/SCIENCE.md 4.1)."""
    truth = {"k1": 0.02, "delta_t0": 1.5, "k2": 0.03, "a2": 2.0, "p": 2.0, "q10w": 1.6, "theta_c": 0.05}
    series, _, _ = synthetic_table(truth_values=truth, seed=3)
    result = calibrate(series, DEFAULTS, BOUNDS, n_bootstrap=0, options=FitOptions(site_r3=False, theta_c=0.05))
    assert {"r3_a", "r3_b", "q10c", "theta_c"} <= set(result.fixed) and "delta_t0" in result.fitted
    assert result.parameters.delta_t0 == pytest.approx(1.5, rel=0.05)
    assert result.parameters.r3_a == result.parameters.r3_b == 0.0


def test_the_q10_benchmark_recovers_a_q10_station_and_the_scheme_is_told_when_it_loses():
    """Fc made by the Q10 x moisture model itself: its benchmark's held-out RMSE is the noise; whichever model
    wins, a warning names each benchmark the scheme loses to and none it beats."""
    series, times, _ = synthetic_table(years=2, seed=5)
    hours = (times - times[0]) / 3600.0
    t10, theta = series.columns["t10"], series.columns["theta10"]
    fc = 1.2 * 2.5 ** ((t10 - 10.0) / 10.0) * theta / (theta + 0.04) + np.random.default_rng(1).normal(0, NOISE_SD,
                                                                                                      hours.size)
    series = replace(series, columns={**series.columns, "fc": fc})
    result = calibrate(series, DEFAULTS, BOUNDS, n_bootstrap=0)
    validation = result.validation
    # the Q10 model is the truth here: its held-out RMSE is the noise sd, within four standard errors (sd/sqrt(2n))
    assert abs(validation["q10"]["rmse"] / NOISE_SD - 1.0) < 4.0 / np.sqrt(2 * validation["q10"]["n"])
    for name, label in (("null", "null model"), ("q10", "Q10 × moisture model")):
        loses = (validation["fit"]["rmse"] > validation[name]["rmse"]
                 or validation["fit"]["mean_abs_sum_error"] > validation[name]["mean_abs_sum_error"])
        assert any(f"loses to the {label}" in w for w in result.warnings) == loses
    assert any("loses to the Q10 × moisture model" in w for w in result.warnings)


# ---- the real COSORE sample --------------------------------------------------------------------

def test_cosore_fit_beats_the_defaults_on_held_out_months(cosore):
    result, fractions = cosore
    validation = result.validation
    assert validation["scheme"] == "leave-one-month-out"
    assert [f["fold"] for f in validation["folds"]] == [f"2012-{m:02d}" for m in range(1, 13)]
    assert validation["fit"]["n"] == validation["initial"]["n"] == result.statistics["fit"]["n"]
    assert validation["fit"]["rmse"] < validation["initial"]["rmse"]
    assert result.step == 3600
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)


def test_cosore_one_depth_drops_the_delta_t_terms_and_says_so(cosore):
    """One soil temperature (5 cm) for T0 and T10: dT = 0, so k1 = 0 and delta_t0 is not fitted (SCIENCE.md 4.6)."""
    result, _ = cosore
    assert "k1" in result.fixed and "k1" not in result.fitted and "delta_t0" not in result.fitted
    assert result.parameters.values["k1"] == 0.0
    assert result.parameters.provenance["k1"] == DEFAULTS.provenance["k1"]
    assert any(w.startswith("k1 = 0, the dT terms of R1 dropped: one soil depth") for w in result.warnings)
    assert not any("ended at a bound" in w and "delta_t0" in w for w in result.warnings)
    assert any("t0 [degC] = 1 x CSR_T5" in line for line in result.column_mapping)
    assert result.station["id"] == "ES-Agu" and result.station["source_file"] == str(COSORE)


# ---- the parameter file ------------------------------------------------------------------------

def test_parameter_document_loads_unchanged_and_records_the_fit(cosore, tmp_path):
    result, _ = cosore
    document = parameter_document(result)
    params = parameters_from_document(document, "calibrated.json")
    assert params.time_step_seconds == 3600.0
    assert params.values == result.parameters.values
    assert document["provenance"] == "calibrated"
    assert document["period"] == {"first": result.period[0], "last": result.period[1]}
    assert document["station"]["id"] == "ES-Agu" and document["station"]["lat"] == pytest.approx(36.940046)
    assert document["fit_statistics"]["validation"]["scheme"] == "leave-one-month-out"
    for name in result.fitted:
        entry = document["parameters"][name]
        assert entry["provenance"] == "C"
        assert entry["uncertainty"] == list(result.intervals[name])
    assert "uncertainty" not in document["parameters"]["k1"]
    for name in result.fitted:
        assert document["parameters"][name]["identified"] == (name not in result.not_identified)
    # the bootstrap replicates are kept as the ensemble, one member per replicate
    assert document["ensemble"]["coefficients"] == list(result.fitted)
    assert len(document["ensemble"]["members"]) == result.bootstrap["used"] == COSORE_BOOTSTRAP
    assert set(document["benchmarks"]["held_out"]) == {"fit", "initial", "null", "q10"}

    path = tmp_path / "calibrated.json"
    write_parameter_file(result, path)
    json.loads(path.read_text(encoding="utf-8"), parse_constant=pytest.fail)     # strict JSON: no NaN
    assert load_parameters(path).values == result.parameters.values
    assert load_parameters(path).not_identified == result.not_identified
    members = load_ensemble(path)
    assert len(members) == COSORE_BOOTSTRAP
    for member, row in zip(members, result.bootstrap["members"]):
        assert [member.values[name] for name in result.fitted] == list(row)
        assert member.values["r2_max"] == result.parameters.values["r2_max"]
    assert [p.name for p in tmp_path.iterdir()] == ["calibrated.json"]           # no temporary left


def test_fluxscheme_accepts_the_file_at_its_step_and_refuses_it_at_another(cosore, tmp_path):
    result, _ = cosore
    params = parameters_from_document(parameter_document(result), "calibrated.json")
    start = np.datetime64("2011-01-01", "s").astype(np.int64)
    for step, name in ((3600, "hourly"), (86400, "daily")):
        times = start + step * np.arange(72, dtype=np.int64)
        stacks = [write_stack(tmp_path / f"{name}_{v}.tif", values, times)
                  for v, values in zip(("t0", "t10", "vwc"), synthetic_forcing(times, 2, 2))]
        forcing = RasterStackForcing(*stacks)
        if step == 3600:
            run = run_flux_scheme(forcing, params, tmp_path / "ok.tif", include_partial_years=True)
            assert run.years == [2011]
            assert not any("not identified" in w for w in run.warnings) or params.not_identified
            marked = replace(params, not_identified=("q10c",))
            run = run_flux_scheme(forcing, marked, tmp_path / "marked.tif", include_partial_years=True)
            assert any("q10c not identified by its calibration" in w for w in run.warnings)
        else:
            with pytest.raises(InputError, match="fitted at a 3600 s step.*86400 s step"):
                run_flux_scheme(forcing, params, tmp_path / "refused.tif", include_partial_years=True)
    assert not (tmp_path / "refused.tif").exists()


# ---- bad input ---------------------------------------------------------------------------------

def small_station(days=5, theta=0.03, fc=None, columns=("time", "co2", "ts0", "ts10", "swc10")):
    """A few hourly days in a generic table; ``fc`` replaces the flux column."""
    times = np.datetime64("2015-06-01", "s").astype(np.int64) + 3600 * np.arange(24 * days, dtype=np.int64)
    hours = np.arange(times.size)
    t0 = 20 + 10 * np.sin(2 * np.pi * hours / 24)
    values = {"time": [iso(t) for t in times], "co2": 0.1 + 0.01 * (t0 - 20) if fc is None else fc,
              "ts0": t0, "ts10": 20 + 3 * np.sin(2 * np.pi * hours / 24 - 1), "swc10": np.full(times.size, theta)}
    mapping = {"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"}
    return read_station_columns({c: values[c] for c in columns}, "station.csv", time_column="time",
                                mapping={k: v for k, v in mapping.items() if v in columns},
                                check_flux_magnitude=False)


def test_a_single_day_of_data_is_an_error_naming_file_and_columns(tmp_path):
    fc = np.full(24 * 5, np.nan)
    fc[:24] = 0.1                                   # the table spans five days, Fc only one
    with pytest.raises(InputError, match=r"station\.csv: fc \(co2\).*1 day\(s\) only.*at least 2 days"):
        calibrate(small_station(fc=fc), n_bootstrap=0)
    one_day = tmp_path / "one_day.csv"
    one_day.write_text("time,co2,ts0,ts10,swc10\n" + "".join(
        f"2015-06-01 {h:02d}:00,0.1,20,19,0.03\n" for h in range(24)))
    with pytest.raises(InputError, match=r"one_day\.csv: column 'time' covers only 1 day"):
        read_station_csv(one_day, mapping={"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"},
                         time_column="time")


def test_all_fc_missing_is_an_error_naming_the_column():
    series = small_station()
    series = replace(series, columns={**series.columns, "fc": np.full(series.times.size, np.nan)})
    with pytest.raises(InputError, match=r"station\.csv: column co2 \(fc\) has no values"):
        calibrate(series, n_bootstrap=0)


def test_a_soil_never_below_the_sand_threshold_is_fitted_not_refused():
    """A loam at 0.2 m3 m-3 throughout: theta_c is fitted within its bounds (none of its steps is below
    0.05); set to 0.05 as the site's value, the dry-step stage is skipped and said, and the fit still runs."""
    fitted = calibrate(small_station(theta=0.2), n_bootstrap=0)
    assert "theta_c" in fitted.fitted and fitted.parameters.theta_c >= 0.2
    assert fitted.statistics["fit"]["rmse"] < 0.01
    given = calibrate(small_station(theta=0.2), n_bootstrap=0, options=FitOptions(theta_c=0.05))
    assert given.parameters.theta_c == 0.05 and "theta_c" in given.fixed
    assert any(w.startswith("Only 0 dry step(s)") and "theta10 from swc10" in w for w in given.warnings)


def test_no_wet_step_is_a_warning():
    result = calibrate(small_station(days=40, theta=0.03), n_bootstrap=0)
    assert {"a2", "p", "q10w"} <= set(result.fixed)
    assert any("R2 not fitted" in w for w in result.warnings)
    assert result.parameters.values["a2"] == DEFAULTS.values["a2"]


def test_missing_surface_temperature_is_an_error_saying_how_to_map_it():
    with pytest.raises(InputError, match=r"station\.csv: the calibration needs t0.*parameter MAPPING"):
        calibrate(small_station(columns=("time", "co2", "ts10", "swc10")), n_bootstrap=0)


# ---- cancel and report -------------------------------------------------------------------------

def test_cancel_during_the_bootstrap_raises_run_cancelled():
    checks = []

    def is_cancelled():
        checks.append(1)
        # the main fit, two monthly folds and two replicates pass, then the third replicate is cancelled
        return len(checks) > 5

    with pytest.raises(RunCancelled):
        calibrate(small_station(days=60), n_bootstrap=50, is_cancelled=is_cancelled)
    assert len(checks) == 6


def test_report_has_the_plots_and_the_tables(cosore, tmp_path):
    result, _ = cosore
    path = tmp_path / "report.html"
    write_report_html(result, path)
    page = path.read_text(encoding="utf-8")
    assert page == report_html(result)
    # annual sums, observed vs modelled, daily series, residuals against four drivers
    assert page.count("<svg") == page.count("</svg>") == 7
    for text in ("Observed vs modelled", "Residual vs ΔT", "Residual vs θ10", "Annual sums", "1:1",
                 "<td>k2</td>", "<td>delta_t0</td>", "leave-one-month-out", "CSR_T5", "k1 = 0",
                 "null model (training mean)", "Q10 × moisture model",
                 "µmol CO₂ m⁻² s⁻¹", "g CO₂ m⁻²"):
        assert text in page, text
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
