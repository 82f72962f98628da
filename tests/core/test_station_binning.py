"""Irregular station series averaged into the scheme's steps (SYNTHETIC tables: automated chambers that sample
on their own cycle, every 3,456 s at one site and every 1.92 h at another). Means and counts checked by hand."""
from datetime import datetime, timedelta

import numpy as np
import pytest

from desert_carbon.core.errors import InputError
from desert_carbon.core.stations import read_station_csv, resample

MAPPING = {"fc": "flux", "t10": "t5", "theta10": "vwc"}
START = datetime(2020, 7, 1)


def write_cycle(path, cycle_s, samples):
    """SYNTHETIC: sample k at START + k * cycle_s with flux 1 + 0.01 k umol m-2 s-1 and t5 20 + 0.1 k degC."""
    lines = ["time,flux,t5,vwc"]
    for k in range(samples):
        t = START + timedelta(seconds=cycle_s * k)
        lines.append(f"{t:%Y-%m-%d %H:%M:%S},{1 + 0.01 * k:.2f},{20 + 0.1 * k:.1f},0.05")
    path.write_text("\n".join(lines) + "\n")
    return path


def epoch(hours):
    return int((START - datetime(1970, 1, 1)).total_seconds()) + int(hours * 3600)


def test_3456_s_cycle_binned_hourly(tmp_path):
    # 25 samples a day in 24 hours: hour 0 of each day holds two (0 s and 3456 s), every other hour one.
    path = write_cycle(tmp_path / "SYNTHETIC_3456s.csv", 3456, 75)
    series = read_station_csv(path, mapping=MAPPING, time_column="time", step="auto")
    assert series.step == 3600 and series.report.step_found == 3456
    assert len(series.times) == 72 and series.times[0] == epoch(0)
    counts = series.samples_per_step
    assert counts.sum() == 75 and list(np.flatnonzero(counts == 2)) == [0, 24, 48]
    assert series.columns["fc"][0] == pytest.approx((1.00 + 1.01) / 2)       # samples 0 and 1
    assert series.columns["fc"][1] == pytest.approx(1.02)                    # sample 2 at 1.92 h
    assert series.columns["fc"][24] == pytest.approx((1.25 + 1.26) / 2)      # samples 25 (24 h) and 26 (24.96 h)
    assert series.columns["t10"][24] == pytest.approx((22.5 + 22.6) / 2)
    b = series.report.binning
    assert (b.spacing, b.step, b.samples, b.min, b.median, b.max, b.empty) == (3456, 3600, 75, 1, 1.0, 2, 0)
    assert series.report.gaps == []
    assert ("irregular samples (most common spacing 3456 s) averaged into hourly steps of 3600 s: 75 samples; "
            "per step min 1, median 1, max 2; 0 steps without a sample") in series.summary()


def test_1_92_h_cycle_binned_hourly_and_daily(tmp_path):
    # Sample k at 1.92 k hours: hours 0, 1, 3, 5, ..., 23, 24, 26, ...; 50 samples in hours 0..94.
    path = write_cycle(tmp_path / "SYNTHETIC_1.92h.csv", 6912, 50)
    hourly = read_station_csv(path, mapping=MAPPING, time_column="time", step=3600)
    assert hourly.step == 3600 and len(hourly.times) == 95
    assert list(np.flatnonzero(hourly.samples_per_step)[:14]) == [0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 24]
    assert hourly.columns["fc"][24] == pytest.approx(1.13)                   # sample 13 at 24.96 h
    assert np.isnan(hourly.columns["fc"][2]) and np.isnan(hourly.columns["fc"][4])
    b = hourly.report.binning
    assert (b.samples, b.min, b.median, b.max, b.empty) == (50, 1, 1.0, 1, 45)
    assert hourly.report.gaps[0] == ("2020-07-01T02:00:00", 1)
    # Days: samples 0-12 (13), 13-24 (12), 25-37 (13; sample 25 is at 48.00 h), 38-49 (12).
    daily = read_station_csv(path, mapping=MAPPING, time_column="time", step=86400)
    assert daily.step == 86400 and list(daily.samples_per_step) == [13, 12, 13, 12]
    assert daily.columns["fc"] == pytest.approx([1.06, 1.185, 1.31, 1.435])  # 1 + 0.01 x mean sample number
    b = daily.report.binning
    assert (b.min, b.median, b.max, b.empty) == (12, 12.5, 13, 0)


def test_irregular_without_binning_names_the_step_parameter(tmp_path):
    path = write_cycle(tmp_path / "SYNTHETIC_3456s.csv", 3456, 75)
    with pytest.raises(InputError, match=r"most common spacing of timestamps is 3456 s.*set STEP to hourly"):
        read_station_csv(path, mapping=MAPPING, time_column="time")


def test_off_grid_timestamps_binned_to_the_step_found(tmp_path):
    path = write_cycle(tmp_path / "SYNTHETIC_hourly.csv", 3600, 72)
    lines = path.read_text().splitlines()
    lines[6] = lines[6].replace("05:00:00", "05:20:00")                     # sample 5 twenty minutes late
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"off the 3600 s grid.*set STEP"):
        read_station_csv(path, mapping=MAPPING, time_column="time")
    series = read_station_csv(path, mapping=MAPPING, time_column="time", step="auto")
    assert series.step == 3600 and series.samples_per_step.tolist() == [1] * 72
    assert series.columns["fc"][5] == pytest.approx(1.05)


def test_regular_series_are_unchanged_and_a_finer_step_than_the_table_is_refused(tmp_path):
    path = write_cycle(tmp_path / "SYNTHETIC_hourly.csv", 3600, 72)
    plain = read_station_csv(path, mapping=MAPPING, time_column="time")
    for step in ("auto", 3600):
        same = read_station_csv(path, mapping=MAPPING, time_column="time", step=step)
        assert same.samples_per_step is None and same.report.binning is None
        np.testing.assert_array_equal(same.times, plain.times)
        for name, values in plain.columns.items():
            np.testing.assert_array_equal(same.columns[name], values)
    daily = read_station_csv(path, mapping=MAPPING, time_column="time", step=86400)
    assert list(daily.samples_per_step) == [24, 24, 24]
    assert daily.columns["fc"][0] == pytest.approx(1 + 0.01 * 11.5)
    with pytest.raises(InputError, match=r"table's step is 3600 s, coarser than the 1800 s asked for in STEP"):
        read_station_csv(path, mapping=MAPPING, time_column="time", step=1800)
    with pytest.raises(InputError, match=r"must be one of 1800 s \(half-hourly\)"):
        read_station_csv(path, mapping=MAPPING, time_column="time", step=900)


def test_resampling_a_binned_series_adds_its_sample_counts(tmp_path):
    path = write_cycle(tmp_path / "SYNTHETIC_3456s.csv", 3456, 75)
    hourly = read_station_csv(path, mapping=MAPPING, time_column="time", step="auto")
    daily = resample(hourly, 86400)
    assert list(daily.samples_per_step) == [25, 25, 25]                       # 25 samples of 3,456 s a day
    assert daily.columns["fc"][0] == pytest.approx(np.mean(hourly.columns["fc"][:24]))


def test_precipitation_is_summed_over_the_samples_of_a_step(tmp_path):
    path = write_cycle(tmp_path / "SYNTHETIC_3456s.csv", 3456, 75)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",rain"] + [line + ",0.5" for line in lines[1:]]) + "\n")
    series = read_station_csv(path, mapping={**MAPPING, "p": "rain"}, time_column="time", step="auto")
    assert series.columns["p"][0] == 1.0 and series.columns["p"][1] == 0.5     # two samples, then one
    assert "rain summed over the samples of each step (precipitation)" in series.report.notes
