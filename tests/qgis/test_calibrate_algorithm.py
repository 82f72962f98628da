"""desertcarbon:calibrate through processing.run: the real COSORE file, a table layer, bad input."""
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import processing
import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingProvider, QgsVectorLayer

from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.parameters import load_parameters
from desert_carbon.core.units import UMOL_PER_MG_CO2
from desert_carbon.processing_provider.calibrate_algorithm import CalibrateAlgorithm

COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
BOOTSTRAP = 5       # enough to exercise the intervals; the core tests check their coverage


class CalibrateOnlyProvider(QgsProcessingProvider):
    """Holds the algorithm while the plugin's provider does not list it yet."""

    def id(self):
        return "desertcarbon_calibrate_test"

    def name(self):
        return "calibrate test"

    def loadAlgorithms(self):  # noqa: N802
        self.addAlgorithm(CalibrateAlgorithm())


@pytest.fixture
def calibrate_id(provider):
    if provider.algorithm("calibrate") is not None:
        yield "desertcarbon:calibrate"
        return
    registry = QgsApplication.processingRegistry()
    stand_in = CalibrateOnlyProvider()
    assert registry.addProvider(stand_in)
    yield f"{stand_in.id()}:calibrate"
    registry.removeProvider(stand_in)


def synthetic_station(hours, days, release_amplitude=0.3):
    """SYNTHETIC drivers at the given hours (diel T0 and T10, a dry then a drying wet spell) and Fc from the
    scheme itself: k1 = 0.02, R3 at the site A = ``release_amplitude`` (B = 0, Q10c = 2), the rest defaults."""
    t0 = 20 + 10 * np.sin(2 * np.pi * hours / 24)
    t10 = 20 + 3 * np.sin(2 * np.pi * hours / 24 - 1)
    theta = np.where(hours < 24 * days // 2, 0.03, 0.03 + 0.15 * np.exp(-(hours - 24 * days // 2) / 48.0))
    defaults = load_parameters(None)
    params = replace(defaults, values={**defaults.values, "k1": 0.02, "r3_a": release_amplitude})
    fc = sum(fs.flux_components(t0, t10, theta, fs.mean_temperature_tendency(t0, t10, hours), params))
    return t0, t10, theta, fc


def station_csv(path, days=20):
    """A small generic hourly table with a dry spell, a wet spell and a few missing Fc."""
    hours = np.arange(24 * days)
    t0, t10, theta, fc = synthetic_station(hours, days)
    fc_text = [f"{f:.6f}" if h % 50 else "" for h, f in zip(hours, fc)]     # a few missing: NULL in a layer
    start = np.datetime64("2015-06-01T00:00")
    lines = ["time,co2,ts0,ts10,swc10"] + [
        f"{str(start + np.timedelta64(int(h), 'h')).replace('T', ' ')},{f},{a:.3f},{b:.3f},{c:.5f}"
        for h, f, a, b, c in zip(hours, fc_text, t0, t10, theta)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


GENERIC = {"FORMAT": 4, "TIME_COLUMN": "time", "BOOTSTRAP": 0,
           "MAPPING": json.dumps({"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"})}


def test_cosore_file_gives_a_parameter_file_and_a_report(calibrate_id, tmp_path):
    out, report = tmp_path / "calibrated.json", tmp_path / "report.html"
    result = processing.run(calibrate_id, {"STATION": str(COSORE), "MAPPING": '{"t0": "CSR_T5"}',
                                           "BOOTSTRAP": BOOTSTRAP, "OUTPUT": str(out), "OUTPUT_REPORT": str(report)})
    assert Path(result["OUTPUT"]) == out and Path(result["OUTPUT_REPORT"]) == report
    params = load_parameters(out)
    assert params.time_step_seconds == 3600.0 and params.provenance["k2"] == "C"
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["provenance"] == "calibrated" and document["station"]["id"] == "ES-Agu"
    assert result["HELD_OUT_RMSE"] < result["HELD_OUT_RMSE_INITIAL"]
    assert report.read_text(encoding="utf-8").count("<svg") == 7


def test_a_table_layer_gives_the_same_fit_as_its_file(calibrate_id, tmp_path):
    path = station_csv(tmp_path / "station.csv")
    layer = QgsVectorLayer(f"file://{path}?delimiter=,&detectTypes=yes&geomType=none", "station", "delimitedtext")
    assert layer.isValid() and layer.featureCount() == 480
    outputs = {}
    for key, source in (("STATION", path), ("STATION_TABLE", layer)):
        out = tmp_path / f"{key}.json"
        processing.run(calibrate_id, {**GENERIC, key: source, "OUTPUT": str(out),
                                      "OUTPUT_REPORT": str(tmp_path / f"{key}.html")})
        outputs[key] = load_parameters(out).values
    # abs: B is 0 at this station, and a fit 1e-9 from zero is the same fit
    assert outputs["STATION"] == pytest.approx(outputs["STATION_TABLE"], rel=1e-9, abs=1e-8)


def test_bad_input_is_a_processing_error_naming_the_file(calibrate_id, tmp_path):
    one_day = station_csv(tmp_path / "one_day.csv", days=1)
    outputs = {"OUTPUT": str(tmp_path / "out.json"), "OUTPUT_REPORT": str(tmp_path / "out.html")}
    with pytest.raises(QgsProcessingException, match=r"one_day\.csv: column 'time' covers only 1 day"):
        processing.run(calibrate_id, {**GENERIC, "STATION": one_day, **outputs})
    with pytest.raises(QgsProcessingException, match=r"data\.csv: no column for t0"):
        processing.run(calibrate_id, {"STATION": str(COSORE), "BOOTSTRAP": 0, **outputs})
    with pytest.raises(QgsProcessingException, match="MAPPING is not valid JSON"):
        processing.run(calibrate_id, {**GENERIC, "STATION": one_day, "MAPPING": "{t0: ts0", **outputs})
    # core.stations.parse_mapping's errors, the same in every shell: the parameter named, an example shown
    with pytest.raises(QgsProcessingException, match=r"MAPPING: 'soil' is not one of the plugin's column names.*"
                                                     r"For example: \{"):
        processing.run(calibrate_id, {**GENERIC, "STATION": one_day, "MAPPING": '{"soil": "ts0"}', **outputs})
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.html").exists()


def chamber_cycle_csv(path, cycle_s=3456, days=20):
    """SYNTHETIC: the table of station_csv sampled on an automated chamber's own cycle (every 3,456 s)."""
    seconds = np.arange(0, days * 86400, cycle_s)
    t0, t10, theta, fc = synthetic_station(seconds / 3600.0, days)
    start = np.datetime64("2015-06-01T00:00:00")
    lines = ["time,co2,ts0,ts10,swc10"] + [
        f"{str(start + np.timedelta64(int(s), 's')).replace('T', ' ')},{f:.6f},{a:.3f},{b:.3f},{c:.5f}"
        for s, f, a, b, c in zip(seconds, fc, t0, t10, theta)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_an_irregular_chamber_table_is_binned_hourly_unless_step_is_none(calibrate_id, tmp_path):
    path = chamber_cycle_csv(tmp_path / "SYNTHETIC_chamber.csv")
    outputs = {"OUTPUT": str(tmp_path / "out.json"), "OUTPUT_REPORT": str(tmp_path / "out.html")}
    processing.run(calibrate_id, {**GENERIC, "STATION": path, **outputs})
    assert load_parameters(outputs["OUTPUT"]).time_step_seconds == 3600.0
    with pytest.raises(QgsProcessingException, match=r"SYNTHETIC_chamber\.csv: column 'time': the most common spacing "
                                                     r"of timestamps is 3456 s.*set STEP to hourly"):
        processing.run(calibrate_id, {**GENERIC, "STATION": path, "STEP": 4, **outputs})


def test_ports_errors_name_the_parameter_and_show_what_to_type(calibrate_id, tmp_path):
    outputs = {"OUTPUT": str(tmp_path / "out.json"), "OUTPUT_REPORT": str(tmp_path / "out.html")}
    cosore = {"STATION": str(COSORE), "MAPPING": '{"t0": "CSR_T5"}', "BOOTSTRAP": 0, **outputs}
    with pytest.raises(QgsProcessingException, match=r"data\.csv: port\(s\) 3 not in column 'CSR_PORT'; ports "
                                                     r"found: 1, 2\. Set PORTS to some of them \(e\.g\. 1,2\)"):
        processing.run(calibrate_id, {**cosore, "PORTS": "1,3"})
    with pytest.raises(QgsProcessingException, match=r"^PORTS: 'north' is not a list of chamber ports.*e\.g\. 1-4, "
                                                     r"1,3 or mean"):
        processing.run(calibrate_id, {**cosore, "PORTS": "north"})
    with pytest.raises(QgsProcessingException, match="either as PORTS .* or as PORT"):
        processing.run(calibrate_id, {**cosore, "PORTS": "1", "PORT": "2"})
    processing.run(calibrate_id, {**cosore, "PORTS": "2"})
    assert load_parameters(outputs["OUTPUT"]).time_step_seconds == 3600.0


def test_flux_unit_converts_a_mg_table_and_auto_names_the_parameter(calibrate_id, tmp_path):
    umol = Path(station_csv(tmp_path / "umol.csv"))
    lines = umol.read_text().splitlines()
    mg = tmp_path / "SYNTHETIC_mg.csv"                   # the same fluxes in mg CO2 m-2 s-1
    rows = [line.split(",") for line in lines[1:]]
    mg.write_text("\n".join([lines[0]] + [",".join([f[0], f"{float(f[1]) / UMOL_PER_MG_CO2:.12g}" if f[1] else ""]
                                                    + f[2:]) for f in rows]) + "\n")
    fits = {}
    for name, path, unit in (("umol", umol, 0), ("mg", mg, 2)):
        out = tmp_path / f"{name}.json"
        processing.run(calibrate_id, {**GENERIC, "STATION": str(path), "FLUX_UNIT": unit, "OUTPUT": str(out),
                                      "OUTPUT_REPORT": str(tmp_path / f"{name}.html")})
        fits[name] = load_parameters(out).values
    # the mg table carries 12 digits; abs for B, which is 0 at this station
    assert fits["mg"] == pytest.approx(fits["umol"], rel=1e-6, abs=1e-8)
    with pytest.raises(QgsProcessingException, match=r"SYNTHETIC_mg\.csv: column 'co2'.*too small.*set FLUX_UNIT to "
                                                     r"mg CO₂ m⁻² s⁻¹"):
        processing.run(calibrate_id, {**GENERIC, "STATION": str(mg), "OUTPUT": str(tmp_path / "auto.json"),
                                      "OUTPUT_REPORT": str(tmp_path / "auto.html")})


def site_station_csv(path, release_amplitude, days=20):
    """SYNTHETIC: the small station with this site's A."""
    hours = np.arange(24 * days)
    t0, t10, theta, fc = synthetic_station(hours, days, release_amplitude)
    start = np.datetime64("2015-06-01T00:00")
    lines = ["time,co2,ts0,ts10,swc10"] + [
        f"{str(start + np.timedelta64(int(h), 'h')).replace('T', ' ')},{f:.6f},{a:.3f},{b:.3f},{c:.5f}"
        for h, f, a, b, c in zip(hours, fc, t0, t10, theta)]
    path.write_text("\n".join(lines) + "\n")


def test_a_station_list_regresses_the_site_amplitudes_on_soc(calibrate_id, tmp_path):
    """Three stations whose A rises by 0.05 µmol m-2 s-1 per g kg-1 of SOC: the map file's aC is that slope."""
    socs = (1.0, 3.0, 6.0)
    for number, soc in enumerate(socs):
        site_station_csv(tmp_path / f"site{number}.csv", 0.2 + 0.05 * (soc - 1.0))
    listing = tmp_path / "stations.csv"
    listing.write_text("station,file,soc,ph,salt\n" + "".join(
        f"S{n},site{n}.csv,{soc},{8.5 + n * 0.5},0.5\n" for n, soc in enumerate(socs)))
    out, report = tmp_path / "map.json", tmp_path / "map.html"
    result = processing.run(calibrate_id, {**GENERIC, "STATIONS": str(listing), "THETA_C": 0.05,
                                           "OUTPUT": str(out), "OUTPUT_REPORT": str(report)})
    params = load_parameters(out)
    # without a bootstrap the stations weigh alike: aC and r3_a are the least-squares line through the stations'
    # fitted A, computed here by hand
    fitted_a = np.array([s["amplitudes"]["r3_a"]["value"] for s in json.loads(out.read_text())["stations"]])
    x = np.array(socs) - 1.0
    slope = np.sum((x - x.mean()) * (fitted_a - fitted_a.mean())) / np.sum((x - x.mean()) ** 2)
    assert params.a_soc == pytest.approx(slope, rel=1e-9)
    assert params.r3_a == pytest.approx(fitted_a.mean() - slope * x.mean(), rel=1e-9)
    # and the truth within what the stations' own errors e_i allow a slope: |Σ(x_i − x̄) e_i| / Σ(x_i − x̄)²
    errors = fitted_a - (0.2 + 0.05 * x)
    assert abs(params.a_soc - 0.05) <= np.sum(np.abs(x - x.mean())) * np.abs(errors).max() / np.sum(
        (x - x.mean()) ** 2) + 1e-15
    assert params.a_salt == 0.0 and params.provenance["a_salt"] == "P"     # every station has salt 0.5: kept
    assert params.theta_c == 0.05 and params.provenance["a_soc"] == "C"
    assert result["HELD_OUT_RMSE"] < result["HELD_OUT_RMSE_NULL"]
    assert "Coefficients for the map" in report.read_text(encoding="utf-8")


def test_one_station_and_a_station_list_together_are_refused(calibrate_id, tmp_path):
    listing = tmp_path / "stations.csv"
    listing.write_text("station,file,soc,ph,salt\nA,a.csv,1,9,1\nB,b.csv,2,9,1\n")
    with pytest.raises(QgsProcessingException, match=r"either one station \(STATION or STATION_TABLE\) or a list"):
        processing.run(calibrate_id, {**GENERIC, "STATION": station_csv(tmp_path / "s.csv"), "STATIONS": str(listing),
                                      "OUTPUT": str(tmp_path / "o.json"), "OUTPUT_REPORT": str(tmp_path / "o.html")})
