"""Flux units: the choices a QGIS user has (FLUX_UNIT), the unit a COSORE file states, and the plausibility warning
when the median |Fc| fits another unit better. Tables are SYNTHETIC unless named (COSORE ES-Agu 2012)."""
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from desert_carbon.core.errors import InputError
from desert_carbon.core.stations import (FLUX_UNIT_LABELS, PLAUSIBLE_MEDIAN_FLUX, flux_unit_plausibility,
                                         read_station_csv)
from desert_carbon.core.stations.formats import conversion
from desert_carbon.core.units import MOLAR_MASS_C, MOLAR_MASS_CO2

COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
MAPPING = {"fc": "flux", "t10": "t5", "theta10": "vwc"}


def write_flux(path, fluxes):
    lines = ["time,flux,t5,vwc"] + [f"{datetime(2020, 7, 1) + timedelta(hours=h):%Y-%m-%d %H:%M},{f:.6f},20,0.05"
                                    for h, f in enumerate(fluxes)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_every_flux_unit_label_converts_as_its_key():
    for key, label in FLUX_UNIT_LABELS.items():
        assert conversion("fc", label, "x") == conversion("fc", key, "x")
    assert conversion("fc", "g C m⁻² d⁻¹", "x")[0] == pytest.approx(1e6 / MOLAR_MASS_C / 86400)      # 0.9635
    assert conversion("fc", "g CO₂ m⁻² d⁻¹", "x")[0] == pytest.approx(1e6 / MOLAR_MASS_CO2 / 86400)  # 0.2630
    assert conversion("fc", "mg CO₂ m⁻² s⁻¹", "x")[0] == pytest.approx(22.722, abs=1e-3)
    assert conversion("fc", "µmol CO~2~/m^2^/s", "x") == (1.0, 0.0)        # as COSORE writes it


def test_cosore_flux_unit_comes_from_its_units_table():
    series = read_station_csv(COSORE, port=1)
    assert series.provenance["fc"].source_unit == "µmol CO~2~/m^2^/s"
    assert "fc unit 'µmol CO~2~/m^2^/s' from CSR_COLUMN_UNITS.csv" in series.report.notes
    assert series.columns["fc"][0] == 1.674258319 and series.report.warnings == []


def test_median_fitting_mg_better_than_umol_warns_and_names_flux_unit(tmp_path):
    # SYNTHETIC mg CO2 m-2 s-1: median 0.02 (0.454 umol), every tenth hour 0.2 so the 95th percentile passes.
    fluxes = [0.2 if h % 10 == 0 else 0.02 for h in range(72)]
    series = read_station_csv(write_flux(tmp_path / "mg.csv", fluxes), mapping=MAPPING, time_column="time")
    [warning] = series.report.warnings
    assert ("column 'flux' (fc, declared umol CO2 m-2 s-1): the median |Fc| is 0.02 umol m-2 s-1 as declared "
            "(umol CO2 m-2 s-1), outside the 0.05-20 expected of a soil or ecosystem CO2 flux; read as mg CO₂ m⁻² "
            "s⁻¹ it would be 0.454 umol m-2 s-1. If the table is in mg CO₂ m⁻² s⁻¹, set FLUX_UNIT to mg CO₂ m⁻² "
            "s⁻¹.") in warning
    assert "{" not in warning and "=" not in warning                       # no Python syntax
    declared = read_station_csv(tmp_path / "mg.csv", mapping=MAPPING, time_column="time",
                                units={"fc": "mg CO₂ m⁻² s⁻¹"})
    assert declared.report.warnings == [] and declared.columns["fc"][1] == pytest.approx(0.02 * 22.722, rel=1e-4)


def test_magnitude_stops_on_auto_and_only_warns_for_a_chosen_unit(tmp_path):
    path = write_flux(tmp_path / "tiny.csv", [0.01 + 0.001 * (h % 5) for h in range(72)])
    with pytest.raises(InputError, match=r"too small.*set FLUX_UNIT to mg CO₂ m⁻² s⁻¹; if the values are right, "
                                         r"set FLUX_UNIT to their unit \(a unit chosen there only warns\)\.$"):
        read_station_csv(path, mapping=MAPPING, time_column="time")
    series = read_station_csv(path, mapping=MAPPING, time_column="time", units={"fc": "umol m-2 s-1"},
                              check_flux_magnitude="warn")
    assert len(series.report.warnings) == 1 and "too small" in series.report.warnings[0]


def test_plausibility_rule_is_quiet_inside_the_range_and_when_no_unit_fits():
    low, high = PLAUSIBLE_MEDIAN_FLUX
    assert flux_unit_plausibility(np.array([0.5, -0.3, 2.0]), "umol m-2 s-1", "x") is None
    assert flux_unit_plausibility(np.array([1e-5, 2e-5]), "umol m-2 s-1", "x") is None    # nothing fits
    assert flux_unit_plausibility(np.array([0.01]), "umol m-2 s-1", "x", plausible=(0.001, 1)) is None
    assert "g CO₂ m⁻² d⁻¹" in flux_unit_plausibility(np.array([40.0, 50.0]), "umol m-2 s-1", "x")
