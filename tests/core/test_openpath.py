"""Open-path correction: a synthetic year with a known true flux and a known heat-dependent open-path
bias, corrected by both methods; day/night split, sums by hand, bad input, cancel.

The scenario: a desert-like diel flux (±0.3 µmol m-2 s-1, plus autocorrelated natural variability),
H and Rn from the sun's elevation at a Taklimakan-like site, an open-path bias c0 + c1·H with
c0 = 0.03 µmol m-2 s-1 and c1 = −0.0012 µmol m-2 s-1 per W m-2 (−0.4 at midday: a false uptake),
white noise of sd 0.05 on both the open-path flux and the reference, and a reference measured in four
10-day campaigns spread over the year. Tolerances are three standard deviations of what the method
states (plus, for sums compared with the truth, the known open-path noise it does not claim to remove):
a correct method fails them about once in 300 seeds.
"""
import csv
import math

import numpy as np
import pytest
from scipy.optimize import least_squares

from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.openpath import correct_open_path, given_coefficients
from desert_carbon.core.openpath_report import (SERIES_FIELDS, SUMS_FIELDS, write_corrected_csv, write_summary_html,
                                                write_sums_csv)
from desert_carbon.core.robust import HUBER_K, MAD_TO_SD, robust_fit
from desert_carbon.core.solar import day_night, solar_elevation
from desert_carbon.core.units import GRAMS_CO2_PER_UMOL as G_CO2_PER_UMOL
from desert_carbon.core.stations import read_station_columns
from desert_carbon.core.timeaxis import iso

LATITUDE, LONGITUDE, UTC_OFFSET = 39.0, 83.5, 8.0
C0, C1 = 0.03, -0.0012
NOISE_OPEN_PATH = NOISE_REFERENCE = 0.05
CAMPAIGN_FIRST_DAYS, CAMPAIGN_DAYS = (15, 105, 196, 288), 10
HOUR = 3600
Z = 3.0                              # three standard deviations


def epoch(text):
    return int(np.datetime64(text, "s").astype(np.int64))


def stamps(times):
    return [iso(t).replace("T", " ")[:16] for t in times]


def station(columns, source="op.csv", **options):
    """A generic in-memory table (column FC for fc, H for h...) read by the station reader, as a file would be."""
    times = columns.pop("times")
    table = {"time": stamps(times), **{name.upper(): values for name, values in columns.items()}}
    return read_station_columns(table, source, table_format="generic", time_column="time",
                                mapping={name: name.upper() for name in columns}, required=("fc",), **options)


def synthetic_year(seed=7, step=HOUR):
    rng = np.random.default_rng(seed)
    times = epoch("2021-01-01T00:00") + step * np.arange(365 * 86400 // step, dtype=np.int64)
    middle_utc = times - int(UTC_OFFSET * HOUR) + step // 2
    sun = np.sin(np.radians(np.maximum(solar_elevation(middle_utc, LATITUDE, LONGITUDE), 0.0)))
    season = -np.cos(2 * np.pi * (np.arange(times.size) * step / 86400 - 15) / 365.25)   # +1 in July
    h = 300 * sun * (1 + 0.25 * season) - 15 * (sun == 0)
    rn = 550 * sun * (1 + 0.2 * season) - 60
    local_hour = (times % 86400) / 3600.0
    ta = 12 + 14 * season + 7 * np.sin(2 * np.pi * (local_hour - 10) / 24)
    natural = np.zeros(times.size)
    innovations = rng.normal(0.0, 0.15 * np.sqrt(1 - 0.8 ** 2), times.size)
    for i in range(1, times.size):
        natural[i] = 0.8 * natural[i - 1] + innovations[i]
    true = -0.005 + 0.25 * (1 + 0.3 * season) * np.sin(2 * np.pi * (local_hour - 10) / 24) + natural
    open_path = true + C0 + C1 * h + rng.normal(0.0, NOISE_OPEN_PATH, times.size)
    day = times // 86400 - times[0] // 86400
    campaign = np.zeros(times.size, dtype=bool)
    for first in CAMPAIGN_FIRST_DAYS:
        campaign |= (day >= first) & (day < first + CAMPAIGN_DAYS)
    reference_fc = true + rng.normal(0.0, NOISE_REFERENCE, times.size)
    series = station({"times": times, "fc": open_path, "h": h, "rn": rn, "ta": ta},
                     utc_offset_hours=UTC_OFFSET, latitude=LATITUDE, longitude=LONGITUDE)
    reference = station({"times": times[campaign], "fc": reference_fc[campaign]}, "ref.csv",
                        utc_offset_hours=UTC_OFFSET)
    return {"series": series, "reference": reference, "true": true, "h": h, "campaign": campaign}


@pytest.fixture(scope="module")
def year():
    return synthetic_year()


@pytest.fixture(scope="module")
def heat_fit(year):
    return correct_open_path(year["series"], year["reference"], method="sensible_heat", n_bootstrap=200, seed=1)


@pytest.fixture(scope="module")
def transfer_fit(year):
    return correct_open_path(year["series"], year["reference"], method="transfer", n_bootstrap=200, seed=1)


def sums_to_truth(result, true):
    """(part, stated sum, stated sd, true sum, sd of the open-path noise summed) for the annual sums."""
    step_grams = HOUR * G_CO2_PER_UMOL
    rows = []
    for sums in result.annual:
        member = {"day": result.is_day == 1, "night": result.is_day == 0, "all": np.ones(true.size, bool)}[sums.part]
        rows.append((sums.part, sums.after, sums.after_sd, true[member].sum() * step_grams,
                     NOISE_OPEN_PATH * math.sqrt(member.sum()) * step_grams))
    return rows


# ---- the required test: known bias over a known truth ---------------------------------------------

def test_sensible_heat_fit_recovers_the_known_coefficients(year, heat_fit):
    c0, c1 = heat_fit.coefficients
    assert (c0.name, c1.name, c1.term) == ("c0", "c1", "H")
    # The known values lie within three stated sds (the 95 % intervals would miss one of the two
    # coefficients for one seed in ten).
    assert abs(c0.value - C0) <= Z * c0.sd and abs(c1.value - C1) <= Z * c1.sd
    assert c0.low < c0.value < c0.high and c1.low < c1.value < c1.high
    # ... and the sds are not inflated to get there: the errors of Fc_OP − Fc_ref are white with
    # variance σ_OP² + σ_ref², and Huber's k = 1.345 keeps 95 % efficiency, so the sd should be that of
    # least squares / √0.95. A bootstrap over 40 days estimates an sd within about ±17 % (seen over 20
    # seeds), so a factor of 2 either way is at least three times that spread.
    h = year["h"][year["campaign"]]
    design = np.column_stack([np.ones_like(h), h])
    variance = (NOISE_OPEN_PATH ** 2 + NOISE_REFERENCE ** 2) / 0.95
    ratio = np.array([c0.sd, c1.sd]) / np.sqrt(np.diag(variance * np.linalg.inv(design.T @ design)))
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio


@pytest.mark.parametrize("fit", ["heat_fit", "transfer_fit"])
def test_corrected_annual_sums_cover_the_truth_day_and_night(year, fit, request):
    result = request.getfixturevalue(fit)
    for part, after, after_sd, truth, noise_sd in sums_to_truth(result, year["true"]):
        assert abs(after - truth) <= Z * math.hypot(after_sd, noise_sd), (part, after, after_sd, truth)
    # Outside the reference campaigns too: the corrected flux has no residual daytime bias there (the
    # mean of the steps' stated sds bounds the sd of their mean).
    outside_day = ~year["campaign"] & (result.is_day == 1)
    error = result.fc_corrected[outside_day] - year["true"][outside_day]
    assert abs(error.mean()) <= Z * math.hypot(result.fc_corrected_sd[outside_day].mean(),
                                               NOISE_OPEN_PATH / math.sqrt(outside_day.sum()))
    # ... while the uncorrected open-path year is far off: the false daytime uptake the review describes
    annual_all = next(s for s in result.annual if s.part == "all")
    day = next(s for s in result.annual if s.part == "day")
    truth_all = next(t for p, _, _, t, _ in sums_to_truth(result, year["true"]) if p == "all")
    assert annual_all.before - truth_all < -10 * annual_all.after_sd
    assert day.change > 0 and day.change_low > 0


@pytest.mark.parametrize("fit", ["heat_fit", "transfer_fit"])
def test_cross_validation_beats_the_uncorrected_flux_by_the_known_noise(year, fit, request):
    result = request.getfixturevalue(fit)
    corrected, raw = result.validation["corrected"], result.validation["open_path"]
    assert corrected.n == raw.n == len(CAMPAIGN_FIRST_DAYS) * CAMPAIGN_DAYS * 24
    assert "5-fold" in result.validation_kind
    # Held out, the corrected flux differs from the reference by the two instruments' noise only
    # (the transfer regression also shrinks β1, which slightly lowers its share of Fc_OP's noise).
    expected = math.hypot(NOISE_OPEN_PATH, NOISE_REFERENCE)
    assert abs(corrected.rmse / expected - 1) < 5 / math.sqrt(2 * corrected.n) + (0.1 if fit == "transfer_fit" else 0)
    assert abs(corrected.bias) < Z * expected / math.sqrt(corrected.n / 24)     # days, not hours, independent
    # Uncorrected, the mean error is the bias c0 + c1·H averaged over the campaigns.
    assert raw.bias == pytest.approx(C0 + C1 * year["h"][year["campaign"]].mean(),
                                     abs=Z * expected / math.sqrt(corrected.n / 24))
    assert raw.rmse > 2 * corrected.rmse


def test_transfer_regression_reports_its_terms_and_its_dilution(transfer_fit):
    names = [(c.name, c.term) for c in transfer_fit.coefficients]
    assert names == [("beta0", "1"), ("beta1", "Fc_OP"), ("beta2", "Rn"), ("beta3", "Ta"), ("beta4", "H")]
    beta1 = transfer_fit.coefficients[1]
    # Noise variance 0.05² against a natural variability of 0.15²: β1 near 0.15²/(0.15² + 0.05²) = 0.9
    assert 0.85 < beta1.value < 1.0 and beta1.high < 1.0
    assert any("regression dilution" in w for w in transfer_fit.warnings)
    assert any("collinear" in w for w in transfer_fit.warnings)      # Rn and H both follow the sun
    assert transfer_fit.equation == "Fc_corr = beta0 + beta1·Fc_OP + beta2·Rn + beta3·Ta + beta4·H"


def test_absent_predictors_are_left_out_with_a_note(year):
    s = year["series"]
    columns = {"times": s.times, "fc": s.columns["fc"], "h": s.columns["h"]}
    series = station(columns, utc_offset_hours=UTC_OFFSET, latitude=LATITUDE, longitude=LONGITUDE)
    result = correct_open_path(series, year["reference"], n_bootstrap=100)
    assert [c.name for c in result.coefficients] == ["beta0", "beta1", "beta4"]
    assert any("Rn is absent from op.csv" in n and "beta2 left out" in n for n in result.notes)
    assert result.day_night_method.startswith("solar elevation")


def test_given_coefficients_are_applied_exactly_and_scored_against_the_reference(year):
    s = year["series"]
    alone = correct_open_path(s, method="sensible_heat", coefficients=(C0, C1))
    np.testing.assert_allclose(alone.fc_corrected, s.columns["fc"] - (C0 + C1 * s.columns["h"]), rtol=0, atol=1e-15)
    assert all(math.isnan(c.sd) for c in alone.coefficients) and alone.validation == {}
    assert any("uncertainty is unknown" in w for w in alone.warnings)
    scored = correct_open_path(s, year["reference"], method="sensible_heat", coefficients=(C0, C1))
    assert scored.validation_kind.startswith("given coefficients")
    assert scored.validation["corrected"].rmse < scored.validation["open_path"].rmse


@pytest.mark.parametrize("given", [(0.1, None), (None, -0.001), (0.1,), (0.1, float("nan")), ("a", 0.1)])
def test_c0_and_c1_both_or_neither(year, given):
    """The pairing rule lives in the core alone; the Processing algorithm hands C0 and C1 over as they are."""
    with pytest.raises(InputError, match=r"^Give both C0 and C1 .* or leave both empty"):
        correct_open_path(year["series"], year["reference"], method="sensible_heat", coefficients=given)


def test_neither_c0_nor_c1_means_fit_them(year):
    assert given_coefficients((None, None)) is None and given_coefficients(None) is None
    assert given_coefficients((1, "-0.5")) == (1.0, -0.5)
    with pytest.raises(InputError, match="Give both C0 and C1"):          # checked before the method's own rules
        correct_open_path(year["series"], year["reference"], method="transfer", coefficients=(0.1, None))


def test_half_hourly_open_path_against_an_hourly_reference_in_utc():
    """The fit runs on hourly means; the reference's UTC clock is shifted to the table's."""
    rng = np.random.default_rng(3)
    times = epoch("2021-06-01T00:00") + 1800 * np.arange(12 * 48, dtype=np.int64)
    hour = (times % 86400) / 3600.0
    h = np.maximum(0.0, 300 * np.sin(np.pi * (hour - 7) / 14)) - 15
    true = 0.2 * np.sin(2 * np.pi * (hour - 10) / 24) + rng.normal(0, 0.1, times.size)
    series = station({"times": times, "fc": true + C0 + C1 * h + rng.normal(0, 0.05, times.size), "h": h,
                      "rn": h + 50}, utc_offset_hours=UTC_OFFSET)
    hourly = times[::2]
    reference_fc = 0.5 * (true[::2] + true[1::2]) + rng.normal(0, 0.05, hourly.size)
    reference = station({"times": hourly - int(UTC_OFFSET * HOUR), "fc": reference_fc}, "ref.csv",
                        utc_offset_hours=0.0)
    result = correct_open_path(series, reference, method="sensible_heat", n_bootstrap=100)
    c0, c1 = result.coefficients
    assert abs(c0.value - C0) <= Z * c0.sd and abs(c1.value - C1) <= Z * c1.sd
    assert any("fitted on 3600 s means" in n for n in result.notes)
    assert any("shifted by +8 h" in n for n in result.notes)
    assert result.overlap_steps == times.size
    np.testing.assert_array_equal(result.fc_reference[::2], result.fc_reference[1::2])


# ---- the robust fit -------------------------------------------------------------------------------

def test_robust_fit_is_the_huber_minimum_at_its_scale_and_resists_spikes():
    rng = np.random.default_rng(5)
    x = rng.uniform(-10, 300, 400)
    design = np.column_stack([np.ones_like(x), x])
    target = 0.03 - 0.0012 * x + rng.normal(0, 0.05, x.size)
    target[:20] += 3.0                                           # 5 % spikes (rain on the lens)
    theta = robust_fit(design, target)
    # Oracle: scipy's Huber loss at the final scale has the same minimum.
    scale = MAD_TO_SD * np.median(np.abs(target - design @ theta))
    oracle = least_squares(lambda t: design @ t - target, np.zeros(2), loss="huber", f_scale=HUBER_K * scale,
                           xtol=1e-14, ftol=1e-14, gtol=1e-14).x
    np.testing.assert_allclose(theta, oracle, rtol=1e-6, atol=1e-9)
    ordinary = np.linalg.lstsq(design, target, rcond=None)[0]
    assert abs(theta[0] - 0.03) < abs(ordinary[0] - 0.03) / 5


# ---- day and night --------------------------------------------------------------------------------

def test_solar_elevation_gives_the_almanac_sunrise_and_sunset_of_london():
    # London (51.5072 N, 0.1276 W), 21 June 2023: sunrise 04:43, sunset 21:21 BST (UTC+1) in the
    # almanacs, i.e. the centre of the sun 0.833° below the horizon (refraction and semidiameter).
    minutes = epoch("2023-06-21T00:00") + 60 * np.arange(1440)
    above = solar_elevation(minutes, 51.5072, -0.1276) > -0.833
    rise, fall = np.flatnonzero(np.diff(above.astype(int)))
    assert iso(minutes[rise + 1])[11:16] in ("03:43", "03:44")
    assert iso(minutes[fall])[11:16] in ("20:21", "20:22")


def test_solar_noon_elevation_by_hand():
    # At the June solstice δ = 23.44°, so at 39° N the noon sun stands 90 − 39 + 23.44 = 74.44° high;
    # solar noon at 83.5° E is 12:00 − 83.5 × 4 min − EoT(−1.8 min) ≈ 06:28 UTC.
    minutes = epoch("2021-06-21T00:00") + 60 * np.arange(1440)
    elevation = solar_elevation(minutes, 39.0, 83.5)
    assert elevation.max() == pytest.approx(74.44, abs=0.03)
    assert iso(minutes[np.argmax(elevation)])[11:16] in ("06:27", "06:28", "06:29")


def test_day_night_from_the_sun_by_hand():
    # 39° N, 21 June: cos H0 = −tan 39° · tan 23.44° → H0 = 110.55°, a 14.74 h day centred on 14:28
    # Beijing time (06:28 UTC + 8 h): sunrise 07:06, sunset 21:50. Hours whose middle lies between them
    # are day: 07:00 (middle 07:30) to 21:00 (middle 21:30).
    times = epoch("2021-06-20T00:00") + HOUR * np.arange(72)
    series = station({"times": times, "fc": np.full(72, 0.3)}, utc_offset_hours=8.0, latitude=39.0,
                     longitude=83.5)
    is_day, how = day_night(series)
    day_hours = sorted({(t % 86400) // HOUR for t, d in zip(times, is_day) if d == 1})
    assert day_hours == list(range(7, 22)) and how.startswith("solar elevation > 0°")


def test_day_night_from_rn_first_then_the_sun_where_rn_is_missing():
    times = epoch("2021-06-20T00:00") + HOUR * np.arange(72)
    hour = (times % 86400) // HOUR
    rn = np.where((hour >= 9) & (hour < 19), 200.0, -40.0)      # a shaded site: Rn > 0 from 09 to 19
    rn[[8 + 24, 12 + 24]] = np.nan                              # one morning hour, one noon hour
    series = station({"times": times, "fc": np.full(72, 0.3), "rn": rn}, utc_offset_hours=8.0,
                     latitude=39.0, longitude=83.5)
    is_day, how = day_night(series)
    expected = ((hour >= 9) & (hour < 19)).astype(float)
    expected[[8 + 24, 12 + 24]] = 1.0                           # the sun is up at 08:30 and 12:30
    np.testing.assert_array_equal(is_day, expected)
    assert "Rn > 0 at 70 steps" in how and "where Rn is missing (2 steps)" in how
    alone = station({"times": times, "fc": np.full(72, 0.3), "rn": rn})
    is_day, how = day_night(alone)
    assert np.isnan(is_day[[32, 36]]).all() and "2 steps unclassified" in how


def test_without_rn_or_position_the_split_names_what_is_missing():
    times = epoch("2021-06-20T00:00") + HOUR * np.arange(72)
    series = station({"times": times, "fc": np.full(72, 0.3), "h": np.zeros(72)}, latitude=39.0)
    with pytest.raises(InputError, match=r"op\.csv: the day/night split needs net radiation.*longitude = None"):
        correct_open_path(series, method="sensible_heat", coefficients=(0.0, 0.0))


# ---- sums by hand ---------------------------------------------------------------------------------

def test_daily_and_annual_sums_by_hand():
    # Three days, constant Fc_OP = 1 µmol m-2 s-1; H = 100 W m-2 by day (Rn > 0, 06:00-18:00), −10 at
    # night. c0 = 0.1, c1 = 0.002: the correction is 0.3 by day and 0.08 by night.
    times = epoch("2021-03-01T00:00") + HOUR * np.arange(72)
    day = ((times % 86400) // HOUR >= 6) & ((times % 86400) // HOUR < 18)
    series = station({"times": times, "fc": np.ones(72), "h": np.where(day, 100.0, -10.0),
                      "rn": np.where(day, 300.0, -50.0)})
    result = correct_open_path(series, method="sensible_heat", coefficients=(0.1, 0.002))
    # 12 hours of 1 µmol m-2 s-1: 12 × 3600 s × 44.0095e-6 g/µmol = 1.9012104 g CO2 m-2
    half_day = 1.9012104
    first = {s.part: s for s in result.daily[:3]}
    assert [s.period for s in result.daily] == ["2021-03-01"] * 3 + ["2021-03-02"] * 3 + ["2021-03-03"] * 3
    assert first["day"].before == pytest.approx(half_day, rel=1e-12)
    assert first["day"].after == pytest.approx(0.7 * half_day, rel=1e-12)       # 1.33084728
    assert first["night"].after == pytest.approx(0.92 * half_day, rel=1e-12)    # 1.749113568
    assert first["all"].change == pytest.approx(-0.38 * half_day, rel=1e-12)
    assert (first["day"].steps, first["night"].steps, first["all"].period_steps) == (12, 12, 24)
    assert math.isnan(first["all"].after_sd)
    annual = {s.part: s for s in result.annual}
    assert annual["all"].before == pytest.approx(6 * half_day, rel=1e-12)
    assert (annual["all"].steps, annual["all"].period_steps) == (72, 8760)
    assert any("2021: 99.2% of the year's steps have no corrected value" in w for w in result.warnings)


# ---- writers --------------------------------------------------------------------------------------

def test_the_written_files_hold_the_result(heat_fit, tmp_path):
    series_path, sums_path, page_path = tmp_path / "out" / "corrected.csv", tmp_path / "sums.csv", tmp_path / "s.html"
    write_corrected_csv(heat_fit, series_path)
    write_sums_csv(heat_fit, sums_path)
    write_summary_html(heat_fit, page_path)
    with open(series_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == SERIES_FIELDS and len(rows) == heat_fit.times.size
    corrected = np.array([float(r["fc_corrected_umol_m2_s"]) for r in rows])
    np.testing.assert_allclose(corrected, heat_fit.fc_corrected, rtol=1e-11)
    assert rows[0]["time_start"] == "2021-01-01T00:00:00" and rows[0]["in_overlap"] == "0"
    assert sum(r["in_overlap"] == "1" for r in rows) == heat_fit.overlap_steps == 960
    assert {r["is_day"] for r in rows} == {"0", "1"}
    with open(sums_path, newline="") as handle:
        sums = list(csv.DictReader(handle))
    assert tuple(sums[0]) == SUMS_FIELDS and len(sums) == 3 * (1 + 365)
    assert float(sums[2]["change_gCO2_m2"]) == pytest.approx(heat_fit.annual[2].change, rel=1e-11)
    page = page_path.read_text(encoding="utf-8")
    assert "c1" in page and "Annual sums" in page and "5-fold" in page
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["corrected.csv", "out", "s.html", "sums.csv"]


# ---- bad input and cancel -------------------------------------------------------------------------

def test_a_reference_that_does_not_overlap_names_both_files(year):
    times = epoch("2022-03-01T00:00") + HOUR * np.arange(240)
    reference = station({"times": times, "fc": np.full(240, 0.3)}, "ref.csv", utc_offset_hours=UTC_OFFSET)
    with pytest.raises(InputError, match=r"op\.csv .*2021-01-01.* and ref\.csv \(2022-03-01.*do not overlap"):
        correct_open_path(year["series"], reference, method="sensible_heat")


def test_too_short_an_overlap_says_how_much_is_needed(year):
    times = epoch("2021-05-01T00:00") + HOUR * np.arange(72)
    reference = station({"times": times, "fc": np.full(72, 0.3)}, "ref.csv", utc_offset_hours=UTC_OFFSET)
    with pytest.raises(InputError, match=r"op\.csv and ref\.csv: the overlap .* has 72 joint observations on 3 "
                                         r"days; at least 50 on 5 days .*reference fc 72, fc 72, rn 72, ta 72, h 72"):
        correct_open_path(year["series"], reference)


def test_missing_inputs_for_a_method_are_named(year):
    s = year["series"]
    no_heat = station({"times": s.times[:240], "fc": s.columns["fc"][:240], "rn": s.columns["rn"][:240]})
    with pytest.raises(InputError, match=r"op\.csv: the sensible-heat correction needs the sensible heat flux H "
                                         r'\(column h.*parameter MAPPING, e.g. \{"h": "H"\}'):
        correct_open_path(no_heat, year["reference"], method="sensible_heat")
    with pytest.raises(InputError, match=r"op\.csv: the transfer regression needs a reference"):
        correct_open_path(s)
    with pytest.raises(InputError, match="needs c0 and c1, or a reference"):
        correct_open_path(s, method="sensible_heat")
    with pytest.raises(InputError, match="belong to the sensible-heat method"):
        correct_open_path(s, year["reference"], coefficients=(0.0, 0.0))
    with pytest.raises(InputError, match="at least 100 resamples"):
        correct_open_path(s, year["reference"], n_bootstrap=10)


def test_daily_data_are_refused():
    times = epoch("2021-01-01T00:00") + 86400 * np.arange(30)
    series = station({"times": times, "fc": np.full(30, 0.3), "h": np.full(30, 50.0), "rn": np.full(30, 80.0)},
                     "daily.csv")
    with pytest.raises(InputError, match=r"daily\.csv: .*half-hourly or hourly.*86400 s step"):
        correct_open_path(series, method="sensible_heat", coefficients=(0.0, 0.0))


def test_cancel_stops_the_bootstrap(year):
    calls, fractions = [], []

    def is_cancelled():
        calls.append(1)
        return len(calls) > 20

    with pytest.raises(RunCancelled):
        correct_open_path(year["series"], year["reference"], method="sensible_heat", n_bootstrap=200,
                          progress=fractions.append, is_cancelled=is_cancelled)
    assert len(calls) == 21 and fractions == [0.0]
