"""De-accumulation of ERA5 and ERA5-Land fields, worked by hand over two days (docs/SCIENCE.md section 3)."""
import numpy as np
import pytest

from desert_carbon.core.accumulation import (ERA5, ERA5_LAND, accumulation_rule, daily_means_of_present,
                                              hourly_amounts, net_radiation, precipitation_mm)
from desert_carbon.core.errors import InputError

START = int(np.datetime64("2021-06-01T00:00", "s").astype(np.int64))
TIMES = START + 3600 * np.arange(48)          # 2021-06-01T00 … 2021-06-02T23, hourly


def true_amount(step):
    """The amount over the hour ending at TIMES[step]: 10·day + hour of the day's clock (hour 24 = 00 UTC)."""
    hours = step % 24 or 24
    day = (step - 1) // 24                     # the day the hour belongs to (00 UTC closes the previous day)
    return 10.0 * day + hours


def era5_land_accumulated():
    """ERA5-Land's fields: sums from 00 UTC of each day; the 00 UTC field holds the whole previous day."""
    values = []
    for step in range(48):
        hour = step % 24
        if step == 0:
            values.append(999.0)               # the day before the series: unknown, whatever it is
        elif hour == 0:
            values.append(sum(true_amount(s) for s in range(step - 23, step + 1)))
        else:
            day_start = step - hour
            values.append(sum(true_amount(s) for s in range(day_start + 1, step + 1)))
    return np.array(values)


def test_era5_land_hour_by_hour_and_across_00_utc():
    amounts = hourly_amounts(era5_land_accumulated(), TIMES, ERA5_LAND, "tp", "two days")
    assert np.isnan(amounts[0])                # the first step has no predecessor
    assert amounts[1] == 1.0                   # 01 UTC: the accumulation itself
    assert amounts[2] == 2.0                   # 02 UTC: acc(02) − acc(01) = 3 − 1
    assert amounts[24] == 24.0                 # 00 UTC of day 2: the previous day's last hour
    assert amounts[25] == 11.0                 # 01 UTC of day 2: restarts from zero
    assert amounts[47] == 33.0
    np.testing.assert_array_equal(amounts[1:], [true_amount(s) for s in range(1, 48)])


def test_era5_values_are_already_the_hour_ending_at_the_valid_time():
    amounts = np.array([true_amount(s) for s in range(48)])
    np.testing.assert_array_equal(hourly_amounts(amounts, TIMES, ERA5, "tp", "two days"), amounts)


def test_fields_in_their_own_dimensions_per_cell():
    field = era5_land_accumulated()[:, None, None] * np.array([[1.0, 2.0]])[None]
    amounts = hourly_amounts(field, TIMES, ERA5_LAND, "ssr", "two days")
    np.testing.assert_array_equal(amounts[1:, 0, 1], 2.0 * np.array([true_amount(s) for s in range(1, 48)]))


def test_the_wrong_rule_goes_negative_and_names_the_step():
    # hourly ERA5 sums that fall through the morning, read as ERA5-Land: 02 UTC gives 46 − 47 = −1
    per_hour = np.array([true_amount(s) for s in range(48)])[::-1].copy()
    with pytest.raises(InputError, match=r"variable tp: the amount of the hour ending 2021-06-01T02:00:00 is -1 .*"
                                         r"below zero.*ACCUMULATION"):
        hourly_amounts(per_hour, TIMES, ERA5_LAND, "tp", "era5.grib")


def test_net_thermal_radiation_may_be_negative():
    amounts = hourly_amounts(-era5_land_accumulated(), TIMES, ERA5_LAND, "str", "two days")
    assert amounts[5] == -5.0


def test_packing_noise_below_zero_is_zero():
    field = era5_land_accumulated()
    field[3] -= 3.0 + 1e-6 * 3                 # hour 3 amount becomes a tiny negative, hour 4 gains it
    amounts = hourly_amounts(field, TIMES, ERA5_LAND, "tp", "two days")
    assert amounts[3] == 0.0
    assert amounts[4] == pytest.approx(4.0 + 3.0 + 3e-6, rel=1e-12)
    field[3] -= 0.1                            # −0.1 against hours of up to 33: beyond noise, refused
    with pytest.raises(InputError, match="2021-06-01T03:00:00"):
        hourly_amounts(field, TIMES, ERA5_LAND, "tp", "two days")


def test_rn_and_rain_units():
    assert net_radiation(np.array([3.6e6]), np.array([-1.8e6]))[0] == 500.0      # J m-2 per hour → W m-2
    assert precipitation_mm(np.array([0.0025]))[0] == 2.5


def test_daily_means_use_the_hours_present():
    values = np.array([np.nan, 1.0, 3.0, 10.0, np.nan])
    days = np.array([0, 0, 0, 1, 2])
    np.testing.assert_array_equal(daily_means_of_present(values, days)[:4], [2.0, 2.0, 2.0, 10.0])
    assert np.isnan(daily_means_of_present(values, days)[4])


def test_rule_from_the_files_or_the_parameter():
    assert accumulation_rule("auto", [{"grid_step_degrees": 0.1}], "f") == ERA5_LAND
    assert accumulation_rule("auto", [{"grid_step_degrees": 0.25}], "f") == ERA5
    assert accumulation_rule("auto", [{"dataset": "reanalysis-era5-land"}, {}], "f") == ERA5_LAND
    assert accumulation_rule(ERA5, [{"grid_step_degrees": 0.1}], "f") == ERA5          # the parameter wins
    with pytest.raises(InputError, match="neither 0.25° nor 0.1°. Set ACCUMULATION"):
        accumulation_rule("auto", [{"grid_step_degrees": 0.5}], "demo.nc")
    with pytest.raises(InputError, match="mix ERA5 and ERA5-Land"):
        accumulation_rule("auto", [{"grid_step_degrees": 0.1}, {"grid_step_degrees": 0.25}], "f")


def test_rule_from_what_each_reader_writes():
    # era5_netcdf: grid_step = (dx, dy) and the GRIB_* attributes the data store copies into NetCDF
    assert accumulation_rule("auto", [{"grid_step": (0.1, 0.1), "GRIB_stepType": "accum"}], "f") == ERA5_LAND
    assert accumulation_rule("auto", [{"grid_step": (0.25, 0.25)}], "f") == ERA5
    assert accumulation_rule("auto", [{"GRIB_iDirectionIncrementInDegrees": 0.1,
                                       "GRIB_jDirectionIncrementInDegrees": 0.1}], "f") == ERA5_LAND
    # era5_grib: accumulation periods from the reference time say it even on a regridded (0.5°) grid
    land = {"grid_step_degrees": 0.5, "dataType": "fc", "reference_hours_utc": [0],
            "period_hours": [float(h) for h in range(1, 25)]}
    era5 = {"grid_step_degrees": 0.5, "dataType": "fc", "reference_hours_utc": [6, 18], "period_hours": [1.0]}
    assert accumulation_rule("auto", [land], "f") == ERA5_LAND
    assert accumulation_rule("auto", [era5], "f") == ERA5
    assert accumulation_rule("auto", [{"grid_step_degrees": (0.1, 0.1)}], "f") == ERA5_LAND
    # one-hour periods from 00 UTC only (ERA5-Land's 01 UTC fields) and a 0.5° grid: the files do not say
    with pytest.raises(InputError, match="Set ACCUMULATION"):
        accumulation_rule("auto", [{"grid_step_degrees": 0.5, "reference_hours_utc": [0], "period_hours": [1.0]}],
                          "f")
    with pytest.raises(InputError, match="Set ACCUMULATION"):
        accumulation_rule("auto", [{"grid_step": (0.1, 0.25)}], "f")
