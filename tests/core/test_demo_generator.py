"""The SYNTHETIC demo forcing generator: layout, physics, determinism, read back by the ERA5 reader."""
import dataclasses
import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rasterio.windows import Window
from scipy.io import netcdf_file

from desert_carbon.core.forcing import Era5Forcing

GENERATOR = Path(__file__).resolve().parents[2] / "resources" / "demo" / "generate_demo.py"
_spec = importlib.util.spec_from_file_location("generate_demo", GENERATOR)
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)

# 5 x 3 one-degree cells from the hinterland around Tazhong out past the northern edge; 2004 is a leap year.
SMALL = {"first_year": 2003, "last_year": 2004, "resolution": 1.0, "bbox": (81.5, 37.5, 86.5, 40.5), "seed": 7}
THETA_C = 0.05


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("demo"), **SMALL)


@pytest.fixture(scope="module")
def forcing_values(small_demo):
    forcing = Era5Forcing([str(p) for p in small_demo])
    t0, t10, theta10 = forcing.read(0, len(forcing.times), Window(0, 0, forcing.grid.width, forcing.grid.height))
    return forcing, t0, t10, theta10


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def unpack(path, name):
    with netcdf_file(str(path), "r", mmap=False) as nc:
        variable = nc.variables[name]
        return variable.data.astype(np.float64) * variable.scale_factor + variable.add_offset


def months(times):
    return times.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def daily(values):
    return values.reshape((-1, 24) + values.shape[1:])


def hinterland_cell():
    lat, lon = demo.grid_centres(SMALL["bbox"], SMALL["resolution"])
    edge = demo.edge_index(*np.meshgrid(lat, lon, indexing="ij"), demo.Physics.edge_depth_km)
    return np.unravel_index(np.argmin(edge), edge.shape), edge


def test_files_have_the_cds_era5_land_layout_and_say_they_are_synthetic(small_demo):
    assert [p.name for p in small_demo] == ["era5land_taklimakan_2003.nc", "era5land_taklimakan_2004.nc"]
    packings = []
    for path, steps in zip(small_demo, (8760, 8784)):
        assert path.read_bytes()[:4] == b"CDF\x02"                   # NetCDF3 64-bit offset
        with netcdf_file(str(path), "r", mmap=False) as nc:
            assert nc.dimensions == {"time": None, "latitude": 3, "longitude": 5}
            time = nc.variables["time"]
            assert time.data.dtype == np.dtype(">i4") and time.data.shape == (steps,)
            assert time.units == b"hours since 1900-01-01 00:00:00.0" and time.calendar == b"gregorian"
            lat, lon = nc.variables["latitude"], nc.variables["longitude"]
            assert lat.data.dtype.kind == "f" and lat.data.itemsize == 4 and lat.units == b"degrees_north"
            assert lon.units == b"degrees_east"
            np.testing.assert_array_equal(lat.data, [40.0, 39.0, 38.0])     # north first
            np.testing.assert_array_equal(lon.data, [82.0, 83.0, 84.0, 85.0, 86.0])
            for name, units in (("skt", b"K"), ("stl1", b"K"), ("stl2", b"K"),
                                ("swvl1", b"m**3 m**-3"), ("swvl2", b"m**3 m**-3")):
                variable = nc.variables[name]
                assert variable.dimensions == ("time", "latitude", "longitude")
                assert variable.data.dtype == np.dtype(">i2")
                assert variable._FillValue == variable.missing_value == -32767
                assert variable.units == units and variable.long_name
                assert -32767 < variable.data.min() and variable.data.max() <= 32767
                packings.append((name, float(variable.scale_factor), float(variable.add_offset)))
            text = " ".join(nc._attributes[k].decode() for k in ("title", "history", "comment"))
            assert nc.Conventions.startswith(b"CF-")
            assert "SYNTHETIC" in nc.title.decode() and "NOT ERA5-Land" in nc.title.decode()
            assert f"generate_demo.py {demo.VERSION}" in text and f"seed {SMALL['seed']}" in text
            assert "not ERA5-Land" in nc.history.decode() and nc.synthetic == b"yes"
    # packed per variable and per file, as the CDS did
    assert len(set(packings)) == len(packings)


def test_time_axis_is_hourly_and_regular_across_the_yearly_files(forcing_values):
    forcing = forcing_values[0]
    assert forcing.step == 3600
    assert forcing.times[0] == np.datetime64("2003-01-01T00:00", "s").astype(np.int64)
    assert forcing.times[-1] == np.datetime64("2004-12-31T23:00", "s").astype(np.int64)
    assert np.all(np.diff(forcing.times) == 3600)
    assert forcing.grid.transform.c == pytest.approx(81.5) and forcing.grid.transform.f == pytest.approx(40.5)


def test_temperatures_are_plausible_with_desert_seasonal_and_diel_cycles(forcing_values):
    forcing, t0, t10, _ = forcing_values
    assert -40 < t0.min() and t0.max() < 70 and -30 < t10.min() and t10.max() < 45
    (row, col), _ = hinterland_cell()
    month = months(forcing.times)
    january, july = month == 1, month == 7
    assert -14 < t0[january, row, col].mean() < -6                  # Tazhong: about -10 degC
    assert 24 < t0[july, row, col].mean() < 32                      # Tazhong: about +28 degC
    surface_range = np.ptp(daily(t0[:, row, col]), axis=1)
    soil_range = np.ptp(daily(t10[:, row, col]), axis=1)
    day_month = month[::24]
    assert 20 < surface_range[day_month == 7].mean() < 28
    assert 12 < surface_range[day_month == 1].mean() < 19
    assert soil_range.mean() < 0.5 * surface_range.mean()          # damped with depth


def test_daily_mean_t0_minus_t10_is_positive_in_summer_negative_in_winter(forcing_values):
    forcing, t0, t10, _ = forcing_values
    difference = daily(t0 - t10).mean(axis=1)                       # (days, rows, cols)
    day_month = months(forcing.times)[::24]
    july, january = difference[day_month == 7], difference[day_month == 1]
    assert np.all(july.mean(axis=0) > 0) and np.all(january.mean(axis=0) < 0)
    assert (july > 0).mean() > 0.9 and (january < 0).mean() > 0.9
    # the review's 0.8 K threshold is crossed in spring and in autumn
    (row, col), _ = hinterland_cell()
    smooth = np.convolve(difference[:365, row, col], np.ones(31) / 31, mode="valid")
    day = 16 + np.arange(smooth.size)                               # day of year at the window centre
    assert np.all(smooth[(day < 45) | (day > 290)] < 0.8)
    assert np.all(smooth[(day > 105) & (day < 230)] > 0.8)


def test_rain_wets_the_sand_which_then_dries(small_demo, forcing_values):
    forcing, _, _, theta10 = forcing_values
    swvl1 = np.concatenate([unpack(p, "swvl1") for p in small_demo])
    swvl2 = np.concatenate([unpack(p, "swvl2") for p in small_demo])
    rise = np.diff(swvl1, axis=0)
    step, row, col = np.nonzero(rise > 0.01)
    assert step.size > 10
    checked = 0
    for s, r, c in zip(step + 1, row, col):
        ten_days = slice(s, s + 240)
        if s + 240 > len(swvl1) or np.any(rise[s:s + 240, r, c] > 1e-4):
            continue                                                # another storm interferes
        jump = swvl1[s, r, c] - swvl1[s - 1, r, c]
        layer1 = swvl1[ten_days, r, c]
        assert np.all(np.diff(layer1) <= 1e-5)                      # dries monotonically
        assert layer1[72] - swvl1[s - 1, r, c] < 0.5 * jump         # e-folding time of 2 days
        layer2 = swvl2[ten_days, r, c] - swvl2[s - 1, r, c]
        assert 6 <= np.argmax(layer2) <= 96                         # deeper layer: later, smaller
        assert 0 < layer2.max() < jump
        assert theta10[s, r, c] > theta10[s - 1, r, c]
        checked += 1
    assert checked >= 3
    wet_hours = months(forcing.times[1:])[np.any(rise > 0.005, axis=(1, 2))]
    assert np.isin(wet_hours, (5, 6, 7, 8, 9)).sum() > 2 * np.isin(wet_hours, (11, 12, 1, 2)).sum()
    # the dry baseline stays below the moisture threshold, rain pushes above it
    assert np.median(theta10) < THETA_C < theta10.max()


def test_more_wetting_events_towards_the_desert_edge():
    physics = demo.Physics()
    site = demo.Site(demo.DEFAULT_BBOX, 0.5, physics)
    weather = demo.Weather(SMALL["seed"], physics, demo.DEFAULT_BBOX)
    events = sum((weather.rain(year, site)[1] > 0).sum(axis=0) for year in range(2000, 2030)) / 30
    hinterland, edge = events[site.edge == 0].mean(), events[(site.edge > 0.8) & (site.edge < 1.2)].mean()
    assert 1 < hinterland < 15 and edge > 1.1 * hinterland


def test_warming_trend_is_recovered_within_the_interannual_noise(tmp_path):
    trend, years = 0.25, np.arange(2001, 2011)
    physics = dataclasses.replace(demo.Physics(), trend_k_per_year=trend)
    paths = demo.generate(tmp_path, int(years[0]), int(years[-1]), resolution=0.5,
                          bbox=(83.0, 38.5, 84.0, 39.5), seed=3, physics=physics)
    forcing = Era5Forcing([str(p) for p in paths])
    t0, _, _ = forcing.read(0, len(forcing.times), Window(0, 0, 2, 2))
    year_of_step = forcing.times.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
    annual = np.array([t0[year_of_step == y].mean() for y in years])
    slope = np.polyfit(years, annual, 1)[0]
    # Three standard errors of an OLS slope when each annual mean carries the interannual noise.
    tolerance = 3 * physics.interannual_sd_k / np.sqrt(((years - years.mean()) ** 2).sum())
    assert abs(slope - trend) < tolerance
    assert slope - tolerance > 0


def test_same_arguments_give_byte_identical_files(small_demo, tmp_path):
    again = demo.generate(tmp_path / "again", **SMALL)
    assert [sha256(p) for p in again] == [sha256(p) for p in small_demo]
    # the command line gives the same bytes, and a year's file does not depend on the other years
    west, south, east, north = SMALL["bbox"]
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path / "cli"), "--first-year", "2004",
                    "--last-year", "2004", "--resolution", "1.0", "--seed", "7", "--quiet",
                    "--bbox", str(west), str(south), str(east), str(north)], check=True)
    assert sha256(tmp_path / "cli" / "era5land_taklimakan_2004.nc") == sha256(small_demo[1])
    other_seed = demo.generate(tmp_path / "other", **{**SMALL, "first_year": 2004, "seed": 8})
    assert sha256(other_seed[0]) != sha256(small_demo[1])


def test_generator_needs_only_numpy_and_scipy():
    code = (f"import sys; sys.path.insert(0, {str(GENERATOR.parent)!r}); import generate_demo; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'qgis', 'PyQt5', 'osgeo', 'rasterio'}))")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert result.stdout.strip() == "[]"
