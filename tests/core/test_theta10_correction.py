"""Quantile mapping of the forcing's θ10 onto a station's, fitted at the station's cell and applied in the run.

The station is the real COSORE sample (Agua Amarga, 2012, θ at 5 cm standing for 10 cm); the forcing around it
is SYNTHETIC (tests/forcing_files.synthetic_forcing, made wetter than the station), written for 2012 as the data
store's ERA5-Land files: only the mechanics are tested here, not the reanalysis.
"""
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.errors import InputError
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import Era5Forcing
from desert_carbon.core.parameters import load_parameters
from desert_carbon.core.stations import read_station_csv
from desert_carbon.core.theta10_correction import station_cell, station_theta10_mapping
from desert_carbon.core.timeaxis import years_of
from forcing_files import synthetic_forcing, write_new_cds_fields

COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
PARAMS = load_parameters()
# a 0.1° grid from 2.2° W, 37.1° N: the station (2.033° W, 36.940° N) is in row 1, column 1
WEST, NORTH, ROWS, COLS = -2.2, 37.1, 3, 4


@pytest.fixture(scope="module")
def station():
    return read_station_csv(COSORE, required=("theta10",))


@pytest.fixture(scope="module")
def forcing_2012_file(tmp_path_factory):
    times = np.arange(*(np.datetime64(d, "s").astype(np.int64) for d in ("2012-01-01", "2013-01-01")), 3600)
    t0, t10, theta = synthetic_forcing(times, ROWS, COLS, seed=8)
    wetter = theta + 0.06                           # reanalysis-like: above theta_c most of the year
    folder = tmp_path_factory.mktemp("synthetic_era5land_2012")
    fields = {"skt": (t0 + 273.15, "K"), "stl1": (t10 + 273.15, "K"), "stl2": (t10 - 1.0 + 273.15, "K"),
              "swvl1": (wetter, "m**3 m**-3"), "swvl2": (wetter, "m**3 m**-3")}
    return write_new_cds_fields(folder / "synthetic_2012.nc", times, fields, lat0=NORTH, lon0=WEST, res=0.1)


def test_the_station_cell_comes_from_the_table_s_coordinates(forcing_2012_file, station):
    # opened in the test, not in a fixture: GDAL handles alive until the interpreter exits crash it there
    forcing_2012 = Era5Forcing([forcing_2012_file])
    assert station_cell(forcing_2012, station.longitude, station.latitude, "s") == (1, 1)
    mapping, where = station_theta10_mapping(forcing_2012, station)
    assert "ES-Agu at -2.03321 E, 36.94 N (from the metadata of" in where and "row 1, column 1" in where
    _, _, theta = forcing_2012.read(0, len(forcing_2012.times), Window(1, 1, 1, 1))
    assert mapping.period[0].startswith("2012-01-01") and mapping.period[1].startswith("2012-12-31")
    # the forcing's quantiles are the cell's, the station's are the table's, over the common period
    assert mapping.model_quantiles[0] == pytest.approx(np.quantile(theta[:, 0, 0], 0.01), abs=1e-6)
    # (the forcing's dry half-year is one flat stretch: its tied quantiles share one station value, the ends do not)
    assert mapping.station_quantiles[-1] == pytest.approx(np.nanquantile(station.columns["theta10"], 0.99), abs=2e-3)
    assert mapping.station_quantiles.min() < mapping.model_quantiles.min()
    # explicit coordinates win over the table's
    _, where = station_theta10_mapping(forcing_2012, station, longitude=-2.15, latitude=37.05)
    assert "row 0, column 0" in where and "STATION_LONGITUDE" in where


def test_the_run_applies_the_mapping_before_the_threshold(forcing_2012_file, station, tmp_path):
    # opened in the test, not in a fixture: GDAL handles alive until the interpreter exits crash it there
    forcing_2012 = Era5Forcing([forcing_2012_file])
    mapping, _ = station_theta10_mapping(forcing_2012, station)
    result = run_flux_scheme(forcing_2012, PARAMS, tmp_path / "mapped.tif", theta10_mapping=mapping,
                             include_partial_years=True, budget_bytes=2 * 800 * 8 * 24)
    times = forcing_2012.times
    t0, t10, theta = forcing_2012.read(0, len(times), Window(0, 0, COLS, ROWS))
    mapped = mapping.apply(theta)
    tendency = fs.mean_temperature_tendency(t0, t10, times / 3600.0)
    rs = sum(fs.flux_components(t0, t10, mapped, tendency, PARAMS))
    expected = fs.step_grams_co2(rs, 3600)[years_of(times) == 2012].sum(axis=0)
    with rasterio.open(tmp_path / "mapped.tif") as src:
        np.testing.assert_allclose(src.read(1), expected, rtol=1e-12)
        assert src.tags()["THETA10_CORRECTION"] == mapping.describe()
    assert any(note == f"THETA10_CORRECTION: {mapping.describe()}." for note in result.notes)
    plain = run_flux_scheme(forcing_2012, PARAMS, tmp_path / "plain.tif", include_partial_years=True)
    assert any("VWC10_STATION" in w for w in plain.warnings)           # wet all year: the option is offered
    # Agua Amarga's soil is no dune sand: wetter than theta_c even at the station, and the warning says so
    assert any("even after the quantile mapping to the station" in w for w in result.warnings)


def test_mapping_and_scaling_are_exclusive_and_a_station_needs_a_place(forcing_2012_file, station, tmp_path):
    # opened in the test, not in a fixture: GDAL handles alive until the interpreter exits crash it there
    forcing_2012 = Era5Forcing([forcing_2012_file])
    mapping, _ = station_theta10_mapping(forcing_2012, station)
    with pytest.raises(InputError, match=r"VWC10_SCALE \(0\.5\) and VWC10_STATION .*give one of them"):
        run_flux_scheme(forcing_2012, PARAMS, tmp_path / "a.tif", vwc_scale=0.5, theta10_mapping=mapping)
    assert not (tmp_path / "a.tif").exists()
    with pytest.raises(InputError, match=r"VWC10_STATION .*lies outside the forcing grid"):
        station_theta10_mapping(forcing_2012, station, longitude=10.0, latitude=45.0)
    nowhere = type(station)(**{**station.__dict__, "latitude": None, "longitude": None})
    with pytest.raises(InputError, match="give STATION_LONGITUDE and STATION_LATITUDE"):
        station_theta10_mapping(forcing_2012, nowhere)
