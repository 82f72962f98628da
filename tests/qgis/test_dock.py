"""The dock on real QGIS (offscreen Qt): what each curve holds is what core computes, on the real COSORE
sample; linked axes, thresholds, calibration as a task, draw-and-total against core.aggregate and the
aggregate algorithm, exports, the project round trip, and a QGIS without pyqtgraph."""
import ast
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import rasterio
import pytest
from qgis.core import (Qgis, QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsPointXY, QgsProject,
                       QgsRasterLayer, QgsVectorLayer)
from qgis.PyQt.QtGui import QImage, QPainter
from qgis.PyQt.QtWidgets import QApplication
from rasterio.transform import from_origin

import desert_carbon
from pyqtgraph.graphicsItems.DateAxisItem import MONTH_DAY_ZOOM_LEVEL, MONTH_SPACING
from desert_carbon.core import fluxscheme as fs
from desert_carbon.core.aggregate import aggregate_totals
from desert_carbon.core.parameters import DEFAULT_PARAMETER_FILE, load_parameters
from desert_carbon.core.practices import load_practices
from desert_carbon.core.scenario import Intervention, run_scenario, write_csv
from desert_carbon.core.stations import read_station_csv, resample
from desert_carbon.core.timeaxis import day_index, years_of
from desert_carbon.core.units import UMOL_PER_MG_CO2
from desert_carbon.plugin import calibration_task, plotting, table_source
from desert_carbon.plugin.dependencies import install_command
from desert_carbon.plugin.draw_tool import scratch_layer
from desert_carbon.plugin.station_layer import STATION_LAYER_NAME
from desert_carbon.plugin.station_tab import VIEWS
from desert_carbon.qgis_layers.fields import make_field
from forcing_files import write_annual
from qgis_desktop import PLUGIN_ROOT, distinct_colours, needs_desktop, run_in_qgis_desktop

DATA = Path(__file__).resolve().parents[1] / "data"
COSORE = DATA / "cosore_ES-Agu_2012" / "data.csv"
AMERIFLUX = DATA / "ameriflux_base_US-CRT" / "AMF_US-CRT_BASE_HH_2-5.csv"
# COSORE measures soil temperature at 5 cm only: T0 and T10 both come from it (so ΔT = 0), said explicitly.
COSORE_MAPPING = {"fc": "CSR_FLUX_CO2", "t0": "CSR_T5", "t10": "CSR_T5", "theta10": "CSR_SM5"}
READER = {"port": "mean", "required": ("fc",)}          # what the dock passes besides the mapping
EARTH_RADIUS = 6378137.0                                  # of EPSG:3857


def settle(rounds=10):
    for _ in range(rounds):
        QApplication.processEvents()


def wait_for(condition, timeout=120):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


@pytest.fixture
def plugin(qgis_iface, qgis_new_project, qgis_processing):
    qgis_iface.messageBar().clear_messages()
    plugin = desert_carbon.classFactory(qgis_iface)
    plugin.initGui()
    yield plugin
    plugin.unload()


@pytest.fixture
def dock(plugin):
    dock = plugin.ensure_dock()
    dock.setFloating(True)              # a window of its own: the test iface has no real main window
    dock.resize(1100, 1000)
    dock.show()
    settle()
    return dock


def open_station(dock, path=COSORE, mapping=COSORE_MAPPING, parameters=""):
    tab = dock.station
    tab.table.set_source("file", str(path))
    tab.set_mapping(mapping)
    tab.parameter_file.setFilePath(parameters)
    assert tab.open_station(), tab.status.text()
    settle()
    return tab


def expected_model(series, params):
    """R1, R2, R3, Rs on the full axis computed here from core.fluxscheme on the series' own columns,
    not through calibration_data/model_flux as the dock does: NaN wherever a driver or a neighbour
    of the centred tendency is missing, R3 at the station's reference state (zero)."""
    columns = series.columns
    tendency = fs.mean_temperature_tendency(columns["t0"], columns["t10"], (series.times - series.times[0]) / 3600.0)
    r1, r2, r3 = fs.flux_components(columns["t0"], columns["t10"], columns["theta10"], tendency, params,
                                    soc=params.soc_ref, ph=params.ph_ref, salt=params.salt_ref)
    missing = ~(np.isfinite(tendency) & np.isfinite(columns["t0"]) & np.isfinite(columns["t10"])
                & np.isfinite(columns["theta10"]))
    out = {"r1": r1, "r2": r2, "r3": r3, "rs": r1 + r2 + r3}
    for values in out.values():
        values[missing] = np.nan
    return out


def curve(item):
    x, y = item.getOriginalDataset()
    return np.asarray(x), np.asarray(y)


def parameter_file(tmp_path, **values):
    document = json.loads(DEFAULT_PARAMETER_FILE.read_text(encoding="utf-8"))
    for key, value in values.items():
        document["parameters"][key]["value"] = value
    path = tmp_path / "parameters.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# ---- station tab -------------------------------------------------------------------------------

def test_every_station_curve_holds_the_core_result(dock):
    tab = open_station(dock)
    series = read_station_csv(COSORE, mapping=COSORE_MAPPING, **READER)
    params = load_parameters()
    times = series.times.astype(np.float64)
    columns = series.columns
    expected = {"fc": columns["fc"], "t0": columns["t0"], "t10": columns["t10"], "theta10": columns["theta10"],
                "delta_t": columns["t0"] - columns["t10"], **expected_model(series, params)}
    assert series.times.size == 17568 and np.isfinite(expected["rs"]).sum() > 17000
    for key, values in expected.items():
        x, y = curve(tab.curves[key])
        np.testing.assert_array_equal(x, times, err_msg=key)
        np.testing.assert_array_equal(y, values, err_msg=key)

    both = np.isfinite(columns["fc"]) & np.isfinite(expected["rs"])
    for key, values in (("cumulative_observed", columns["fc"]), ("cumulative_modelled", expected["rs"])):
        total = fs.step_grams_co2(values[both], series.step).sum()
        assert curve(tab.curves[key])[1][-1] == pytest.approx(total, rel=1e-12)

    uptake, wet = fs.regime_masks(columns["t0"], columns["t10"], columns["theta10"], day_index(series.times), params)
    for name, mask in (("uptake season", uptake), ("moisture-activated", wet)):
        covered = np.zeros(times.size, dtype=bool)
        for start, end in tab.bands[name].intervals:
            covered |= (times >= start) & (times < end)
        np.testing.assert_array_equal(covered, mask, err_msg=name)
        assert 0 < mask.sum() < mask.size

    # thousands of points: the display is downsampled, the data behind the curve is not
    assert tab.curves["fc"].getData()[0].size < times.size == curve(tab.curves["fc"])[0].size


def test_time_axes_are_linked_and_thresholds_are_those_of_the_parameter_file(dock, tmp_path):
    path = parameter_file(tmp_path, delta_t0=1.3, regime_delta_t=0.5, theta_c=0.3, theta_ref=0.5, regime_rn=80.0)
    tab = open_station(dock, AMERIFLUX, {"t0": "TS_1_1_1"}, parameters=str(path))
    assert set(tab.plots) == {"flux", "temperature", "delta_t", "theta10", "rn", "p", "cumulative"}
    assert {key: line.value() for key, line in tab.thresholds.items()} == {
        "delta_t0": 1.3, "regime_delta_t": 0.5, "theta_c": 0.3, "regime_rn": 80.0}
    flux = tab.plots["flux"]
    times = tab.plot_data.times
    flux.setXRange(times[10], times[40], padding=0)
    settle()
    for name, plot in tab.plots.items():
        if plot is not flux:
            assert plot.getViewBox().linkedView(0) is flux.getViewBox(), name
        assert plot.viewRange()[0] == pytest.approx([times[10], times[40]]), name
    for name, plot in tab.plots.items():
        for side in ("left",) + (("bottom",) if name == "cumulative" else ()):
            label = plot.getAxis(side).labelText
            assert label and ("<br>" in label or "time" in label), (name, label)     # quantity and unit
    rain = read_station_csv(AMERIFLUX, mapping={"t0": "TS_1_1_1"}, **READER).columns["p"]
    np.testing.assert_array_equal(curve(tab.curves["p"])[1], rain)


def test_diel_cycles_and_annual_totals_are_the_means_and_sums_of_the_series(dock):
    tab = open_station(dock)
    series = read_station_csv(COSORE, mapping=COSORE_MAPPING, **READER)
    rs = expected_model(series, load_parameters())["rs"]
    fc = series.columns["fc"]
    both = np.isfinite(fc) & np.isfinite(rs)
    months = series.times.astype("datetime64[s]").astype("datetime64[M]").astype(str)
    half_hour = (series.times % 86400) // 1800

    tab.view.setCurrentIndex(VIEWS.index("diel cycle per month"))
    settle()
    for month in ("2012-01", "2012-06", "2012-11"):
        for key, values in (("observed", fc), ("modelled", rs)):
            expected = [values[both & (months == month) & (half_hour == k)].mean() for k in range(48)]
            x, y = curve(tab.curves[f"{key} {month}"])
            np.testing.assert_allclose(y, expected, rtol=1e-12)
            np.testing.assert_array_equal(x, 0.25 + 0.5 * np.arange(48))
    assert "observed 2011-12" not in tab.curves            # a single step of December 2011
    assert "not drawn" in tab.status.text()
    assert len([key for key in tab.curves if key.startswith("observed")]) == 12

    tab.view.setCurrentIndex(VIEWS.index("annual totals"))
    settle()
    in_2012 = years_of(series.times) == 2012
    # one bar a year with data: 2011's single step is no year to compare ("2011 (0%)"), and the status says so
    assert tab.curves["observed"].opts["x"].size == 1 and "2011" in tab.view_note
    assert tab.curves["observed"].opts["height"][0] == pytest.approx(
        fs.step_grams_co2(fc[both & in_2012], 1800).sum(), rel=1e-12)
    assert tab.curves["modelled"].opts["height"][0] == pytest.approx(
        fs.step_grams_co2(rs[both & in_2012], 1800).sum(), rel=1e-12)
    assert tab.curves["modelled_all"].opts["height"][0] == pytest.approx(
        fs.step_grams_co2(rs[np.isfinite(rs) & in_2012], 1800).sum(), rel=1e-12)


def test_stacked_components_add_up_to_the_modelled_flux(dock):
    tab = open_station(dock)
    model = expected_model(read_station_csv(COSORE, mapping=COSORE_MAPPING, **READER), load_parameters())
    tab.stacked.setChecked(True)
    settle()
    np.testing.assert_array_equal(curve(tab.curves["r1"])[1], model["r1"])
    np.testing.assert_array_equal(curve(tab.curves["r1+r2"])[1], model["r1"] + model["r2"])
    np.testing.assert_array_equal(curve(tab.curves["rs"])[1], model["rs"])


def test_a_table_layer_plots_as_its_file(dock):
    uri = f"file://{AMERIFLUX}?type=csv&skipLines=2&geomType=none&detectTypes=no"
    layer = QgsVectorLayer(uri, "US-CRT", "delimitedtext")
    assert layer.isValid() and layer.featureCount() == 96
    QgsProject.instance().addMapLayer(layer)
    mapping = {"t0": "TS_1_1_1"}
    from_file = curve(open_station(dock, AMERIFLUX, mapping).curves["rs"])
    tab = dock.station
    tab.table.set_source("layer", layer.id())
    tab.set_mapping(mapping)
    assert tab.open_station(), tab.status.text()
    for got, expected in zip(curve(tab.curves["rs"]), from_file):
        np.testing.assert_array_equal(got, expected)


def test_a_station_with_coordinates_is_a_point_that_opens_it_when_selected(dock):
    open_station(dock)
    layer = QgsProject.instance().mapLayersByName(STATION_LAYER_NAME)[0]
    (feature,) = list(layer.getFeatures())
    point = feature.geometry().asPoint()
    assert (point.x(), point.y()) == (-2.033208, 36.940046) and feature["station_id"] == "ES-Agu"
    open_station(dock, AMERIFLUX, {"t0": "TS_1_1_1"})          # no coordinates in the file: no point
    assert layer.featureCount() == 1
    layer.selectByIds([feature.id()])
    settle()
    assert dock.station.table.source() == str(COSORE)
    assert dock.station.mapping() == COSORE_MAPPING
    assert curve(dock.station.curves["rs"])[0].size == 17568


def test_the_column_picker_reads_a_semicolon_header_as_the_reader_does(tmp_path):
    path = tmp_path / "site.csv"
    path.write_text("# Site: X\ntime;fc;ts 5cm\n2020-01-01 00:00;0,5;3\n", encoding="utf-8")
    assert table_source.csv_header(path) == ["time", "fc", "ts 5cm"]
    assert table_source.read_csv_columns(path) == {"time": ["2020-01-01 00:00"], "fc": ["0,5"], "ts 5cm": ["3"]}


def test_calibrate_runs_in_the_background_and_plots_the_fitted_model(dock, tmp_path, qgis_iface):
    tab = open_station(dock)
    tab.bootstrap.setValue(2)
    output = tmp_path / "fitted.json"
    assert tab.start_calibration(output) is not None
    assert tab.progress.isVisible() and tab.cancel_button.isVisible() and not tab.calibrate_button.isEnabled()
    wait_for(lambda: tab.calibration is None)
    assert output.exists() and output.with_suffix(".html").exists()
    assert tab.parameter_file.filePath() == str(output)
    assert tab.step.currentData() == "hourly" and not tab.progress.isVisible()
    fitted = load_parameters(output)
    assert fitted.name.startswith("calibrated")
    hourly = resample(read_station_csv(COSORE, mapping=COSORE_MAPPING, **READER), 3600)
    np.testing.assert_array_equal(curve(tab.curves["rs"])[1], expected_model(hourly, fitted)["rs"])
    # the fit's warnings are part of the result: T0 and T10 are the same sensor here, so k1 was not fitted
    shown = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any("Parameter file written" in text and "k1" in text for text in shown), shown
    assert "Warnings of the fit" in tab.status.text() and "k1" in tab.status.text()


def test_calibration_can_be_cancelled(dock, tmp_path, qgis_iface):
    tab = open_station(dock)
    tab.bootstrap.setValue(5000)
    output = tmp_path / "never.json"
    tab.start_calibration(output)
    settle(2)
    tab.cancel_calibration()
    wait_for(lambda: tab.calibration is None)
    assert not output.exists()
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any("cancelled" in text for text in warnings), warnings


def test_without_the_calibrate_algorithm_the_dock_says_so(dock, qgis_iface, monkeypatch):
    monkeypatch.setattr(calibration_task, "CALIBRATE_ID", "desertcarbon:not_installed")
    tab = open_station(dock)
    assert tab.start_calibration("unused.json") is None
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any("desertcarbon:not_installed is not available" in text for text in warnings), warnings


# ---- draw and total ----------------------------------------------------------------------------

@pytest.fixture
def flux_raster(tmp_path):
    """Two years of annual flux on a 0.25° grid over part of the Taklimakan, with a nodata hole."""
    rng = np.random.default_rng(3)
    values = rng.normal(-6.3, 3.0, size=(2, 20, 24))
    values[:, 5:8, 10:14] = -9999.0
    path = write_annual(tmp_path / "annual_flux.tif", values, from_origin(80.0, 41.0, 0.25, 0.25), first_year=2015)
    layer = QgsRasterLayer(path, "annual flux")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


def polygon(ring):
    return QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in ring]])


def mercator(ring):
    lon, lat = np.radians(np.asarray(ring, dtype=np.float64)).T
    return np.column_stack([EARTH_RADIUS * lon, EARTH_RADIUS * np.log(np.tan(np.pi / 4 + lat / 2))])


def test_a_drawn_polygon_is_totalled_as_aggregate_totals_it(plugin, dock, flux_raster, qgis_iface, tmp_path):
    import processing
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    dock.totals.raster_box.setLayer(flux_raster)
    plugin.draw_action.setChecked(True)
    assert canvas.mapTool() is plugin.draw_tool
    ring = [(81.1, 37.6), (83.7, 37.9), (84.2, 40.3), (81.9, 40.8), (81.1, 37.6)]
    plugin.draw_tool.finish(polygon(ring))
    expected = aggregate_totals(flux_raster.source(), [("drawn 1", [[np.array(ring)]])]).rows()
    np.testing.assert_equal(dock.totals.table_rows, expected)          # NaN (no ensemble) included
    assert dock.tabs.currentWidget() is dock.totals
    shown = [dock.totals.table.item(r, 1).text() for r in range(3)]
    assert shown == [f"{row['total_PgCO2_a']:.6g}" for row in expected]
    # drawn in 10⁻⁶ Pg (a few hundred km²: 1e-6 Pg), so that the bars' labels read as 3 digits when docked
    assert dock.totals.current_canvas().ci.getItem(0, 0).getAxis("left").labelText.endswith("10⁻⁶ Pg CO₂ a⁻¹")
    np.testing.assert_allclose(dock.totals.curves["total_PgCO2_a"].opts["height"] * 1e-6,
                               [row["total_PgCO2_a"] for row in expected[:2]], rtol=1e-12)

    # drawn on a Web Mercator canvas: totalled over the same polygon in the raster's lon/lat
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    ring2 = [(80.2, 38.2), (81.0, 38.1), (80.9, 40.4), (80.2, 38.2)]
    plugin.draw_tool.finish(polygon(mercator(ring2)))
    expected2 = aggregate_totals(flux_raster.source(), [("drawn 2", [[np.array(ring2)]])]).rows()
    for got, want in zip(dock.totals.table_rows, expected2):
        assert got["total_PgCO2_a"] == pytest.approx(want["total_PgCO2_a"], rel=1e-9)
        assert got["area_polygon_m2"] == pytest.approx(want["area_polygon_m2"], rel=1e-9)

    # both are kept in the scratch layer, which desertcarbon:aggregate takes: the same totals
    layer = scratch_layer(create=False)
    assert layer.name() == "Drawn polygons" and layer.featureCount() == 2
    assert [f["name"] for f in layer.getFeatures()] == ["drawn 1", "drawn 2"]
    result = processing.run("desertcarbon:aggregate", {
        "INPUT": flux_raster, "POLYGONS": layer, "ID_FIELD": "name", "OUTPUT": "memory:",
        "OUTPUT_CSV": str(tmp_path / "totals.csv"), "OUTPUT_HTML": str(tmp_path / "totals.html")})
    algorithm = {(f["feature_id"], f["year"]): f["total_PgCO2_a"] for f in result["OUTPUT"].getFeatures()}
    for row in expected + expected2:
        name = "drawn 1" if row in expected else "drawn 2"
        assert algorithm[(name, str(row["year"]))] == pytest.approx(row["total_PgCO2_a"], rel=1e-9)

    # ... and desertcarbon:scenario too, once the practice and planting year are filled in; its table
    # opens in the Scenario tab with a curve per drawn polygon
    fields = layer.fields()
    layer.dataProvider().changeAttributeValues({
        f.id(): {fields.indexOf("practice"): "shelter_forest", fields.indexOf("planting_year"): 2021}
        for f in layer.getFeatures()})
    processing.run("desertcarbon:scenario", {
        "BASELINE": flux_raster, "INTERVENTIONS": layer, "ID_FIELD": "name", "START_YEAR": 2020, "HORIZON": 10,
        "OUTPUT": "memory:", "OUTPUT_CSV": str(tmp_path / "scenario.csv")})
    dock.scenario.table.set_source("file", str(tmp_path / "scenario.csv"))
    assert dock.scenario.open_table(), dock.scenario.status.text()
    assert list(dock.scenario.polygon_curves) == ["drawn 1", "drawn 2"]

    plugin.draw_action.setChecked(False)
    assert canvas.mapTool() is not plugin.draw_tool


def test_without_a_flux_raster_the_drawn_polygon_is_not_totalled(plugin, dock, qgis_iface):
    dock.totals.raster_box.setLayer(None)
    assert dock.totals.total(polygon([(0, 0), (1, 0), (1, 1), (0, 0)])) is None
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any("Choose a flux raster" in text for text in warnings)


# ---- scenario tab ------------------------------------------------------------------------------

PLANTINGS = (("north", 82.0, 40.0, "shelter_forest", 2026), ("south", 83.0, 38.0, "haloxylon_plantation", 2028),
             ("west", 80.5, 39.0, "shelter_forest", 2032))


def square(lon, lat, size=0.4):
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]


@pytest.fixture
def scenario_csv(tmp_path):
    """A real desertcarbon:scenario table (core.scenario): three plantings, thirty years."""
    interventions = [Intervention(name, [[np.array(square(lon, lat))]], practice, year)
                     for name, lon, lat, practice, year in PLANTINGS]
    result = run_scenario(interventions, load_practices(), 2025, 30, baseline_rate=-6.31, crs="EPSG:4326")
    path = tmp_path / "scenario.csv"
    write_csv(result, path)
    return path


def scenario_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scenario_curves_are_the_table_and_follow_the_map_selection(dock, scenario_csv):
    tab = dock.scenario
    tab.table.set_source("file", str(scenario_csv))
    rows = scenario_rows(scenario_csv)
    cumulative = sorted(name for name in rows[0] if name.startswith("cumulative"))   # x, x_max, x_min
    assert len(cumulative) == 3, list(rows[0])
    assert tab.roles() == {"year": "year", "polygon": "feature_id", "baseline": "baseline_PgCO2_a",
                           "baseline_low": None, "baseline_high": None, "scenario": "scenario_PgCO2_a",
                           "scenario_low": "scenario_min_PgCO2_a", "scenario_high": "scenario_max_PgCO2_a",
                           "cumulative": cumulative[0], "cumulative_low": cumulative[2],
                           "cumulative_high": cumulative[1], "parameter_low": "scenario_parameter_p05_PgCO2_a",
                           "parameter_high": "scenario_parameter_p95_PgCO2_a",
                           "interannual_sd": "baseline_interannual_sd_PgCO2_a"}
    assert tab.open_table(), tab.status.text()

    def column(name, feature="region"):
        return np.array([float(r[name]) for r in rows if r["feature_id"] == feature])
    years = column("year")
    columns = (("baseline", "baseline_PgCO2_a"), ("scenario", "scenario_PgCO2_a"), ("cumulative", cumulative[0]))
    for key, name in columns:
        x, y = curve(tab.curves[key])
        np.testing.assert_array_equal(x, years)
        np.testing.assert_array_equal(y, column(name))
    for key, low, high in (("scenario", "scenario_min_PgCO2_a", "scenario_max_PgCO2_a"),
                           ("cumulative", cumulative[2], cumulative[1])):
        edges = [np.asarray(c.getData()[1]) for c in tab.bands[key].curves]
        np.testing.assert_array_equal(edges[0], column(low))
        np.testing.assert_array_equal(edges[1], column(high))
    assert list(tab.polygon_curves) == ["north", "south", "west"]
    for name, item in tab.polygon_curves.items():
        np.testing.assert_array_equal(curve(item)[1], column(cumulative[0], name))
    assert column("scenario_PgCO2_a")[-1] < column("baseline_PgCO2_a")[-1]        # plantings take up CO2

    tab.shown.setCurrentIndex(tab.shown.findData("south"))
    settle()
    np.testing.assert_array_equal(curve(tab.curves["scenario"])[1], column("scenario_PgCO2_a", "south"))

    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "plantings", "memory")
    layer.dataProvider().addAttributes([make_field("site", "string")])
    layer.updateFields()
    for name in ("north", "south", "west"):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name])
        feature.setGeometry(polygon([(82, 40), (82.4, 40), (82.4, 40.4), (82, 40)]))
        layer.dataProvider().addFeature(feature)
    QgsProject.instance().addMapLayer(layer)
    tab.polygon_layer.setLayer(layer)
    tab.id_field.setField("site")
    layer.selectByExpression("\"site\" = 'west'")
    settle()
    assert tab.highlighted == {"west"}
    assert tab.polygon_curves["west"].opts["pen"].widthF() > tab.polygon_curves["north"].opts["pen"].widthF()
    layer.removeSelection()
    assert tab.highlighted == set()


# ---- exports and project -----------------------------------------------------------------------

def test_exports_of_the_plot_and_its_data(dock, tmp_path):
    tab = open_station(dock)
    dock.export_image(tmp_path / "plot.png")
    image = QImage(str(tmp_path / "plot.png"))
    assert not image.isNull() and image.width() > 500 and len(distinct_colours(image)) > 30
    dock.export_image(tmp_path / "plot.svg")
    svg = (tmp_path / "plot.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "µmol CO₂ m⁻² s⁻¹" in svg
    dock.export_csv(tmp_path / "plot.csv")
    with open(tmp_path / "plot.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header, body = table[0], table[1:]
    assert header[:3] == ["time", "epoch_s", "fc_observed_umol_m-2_s-1"]
    assert {"rs_modelled_umol_m-2_s-1", "theta10_m3_m-3", "cumulative_modelled_gCO2_m-2",
            "uptake_season"} <= set(header)
    assert len(body) == 17568                       # every step, not the downsampled display
    rs = np.array([float(row[header.index("rs_modelled_umol_m-2_s-1")] or "nan") for row in body])
    np.testing.assert_array_equal(rs, curve(tab.curves["rs"])[1])


def test_a_station_without_t0_says_which_column_to_choose(dock):
    """Opened with the format's defaults, COSORE has no T0 (its only soil temperature is at 5 cm)."""
    tab = open_station(dock, mapping={})
    text = tab.status.text()
    assert "Model not run: the table has no T0" in text and "Columns and reading" in text
    assert "mapping=" not in text and "{" not in text            # no Python syntax
    assert "rs" not in tab.curves


def test_legend_swatches_tell_bands_fills_and_lines_apart(dock):
    tab = open_station(dock)
    band, line = tab.bands["uptake season"], tab.curves["r1"]
    assert band.swatch == "band" and not hasattr(line, "swatch")
    band_colour = plotting.pg.mkBrush(plotting.COLOURS["uptake season"]).color()
    for key in ("fc", "rs", "r1", "r2", "r3"):               # no band shares a hue with a flux curve
        assert band_colour.rgb() != plotting.pg.mkColor(plotting.COLOURS[key]).rgb(), key
    tab.stacked.setChecked(True)
    settle()
    image = QImage(40, 24, QImage.Format.Format_ARGB32)
    for item, kind in ((tab.bands["uptake season"], "band"), (tab.curves["r1"], "area")):
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        plotting.Swatch(item).paint(painter)
        painter.end()
        # a band fills its tile's top-left corner; a filled curve leaves the tile above its line white
        assert (image.pixel(3, 5) != 0xFFFFFFFF) == (kind == "band"), kind


def test_the_time_axis_names_month_and_year_when_zoomed(dock, tmp_path):
    tab = open_station(dock)
    axis = tab.plots["cumulative"].getAxis("bottom")
    start = float(np.datetime64("2012-03-03T00:00", "s").astype(np.int64))
    tab.plots["flux"].setXRange(start, start + 2 * 86400, padding=0)       # two days: hour ticks
    settle()
    picture = tmp_path / "zoomed.png"
    dock.export_image(picture)
    texts = [text for level in axis.tickValues(start, start + 2 * 86400, axis.geometry().width())
             for text in axis.tickStrings(level[1], 1.0, level[0])]
    assert "03 Mar 2012" in texts or "04 Mar 2012" in texts, texts
    axis.zoomLevel = MONTH_DAY_ZOOM_LEVEL                                    # a few weeks: month and day ticks
    month_ticks = axis.tickStrings([float(np.datetime64("2012-05-01", "s").astype(np.int64))], 1.0, MONTH_SPACING)
    assert month_ticks == ["May 2012"]
    assert picture.exists() and QImage(str(picture)).width() > 0


def test_project_new_resets_the_dock(plugin, dock, scenario_csv, flux_raster):
    open_station(dock)
    dock.scenario.table.set_source("file", str(scenario_csv))
    assert dock.scenario.open_table()
    QgsProject.instance().clear()                             # what Project ▸ New does
    settle()
    assert dock.station.series is None and dock.station.table.source() == "" and not dock.station.curves
    assert dock.scenario.data is None and dock.scenario.table.source() == ""
    assert dock.totals.result is None and dock.station.status.text() == ""


def test_drawn_polygons_stay_with_the_saved_project(plugin, dock, flux_raster, tmp_path):
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    dock.totals.raster_box.setLayer(flux_raster)
    ring = [(81.1, 37.6), (83.7, 37.9), (84.2, 40.3), (81.1, 37.6)]
    dock.totals.total(polygon(ring), QgsCoordinateReferenceSystem("EPSG:4326"))
    project = QgsProject.instance()
    assert project.write(str(tmp_path / "kept.qgs"))
    assert (tmp_path / "kept_drawn_polygons.gpkg").exists()
    project.clear()
    assert project.read(str(tmp_path / "kept.qgs"))
    settle()
    layer = scratch_layer(create=False)
    assert layer is not None and layer.providerType() == "ogr"
    features = list(layer.getFeatures())
    assert [f["name"] for f in features] == ["drawn 1"]
    assert features[0].geometry().area() == pytest.approx(polygon(ring).area(), rel=1e-9)
    project.clear()
    del layer, features


def test_the_dock_state_is_saved_in_the_project_and_restored(plugin, dock, tmp_path, scenario_csv, flux_raster):
    path = parameter_file(tmp_path, k1=0.02)
    open_station(dock, parameters=str(path))
    dock.station.step.setCurrentIndex(dock.station.step.findData("hourly"))
    dock.station.view.setCurrentIndex(VIEWS.index("diel cycle per month"))
    dock.scenario.table.set_source("file", str(scenario_csv))
    assert dock.scenario.open_table()
    dock.totals.raster_box.setLayer(flux_raster)
    dock.show_tab("scenario")
    saved = dock.state()
    project = QgsProject.instance()
    assert project.write(str(tmp_path / "project.qgs"))

    open_station(dock, AMERIFLUX, {"t0": "TS_1_1_1"})
    dock.station.step.setCurrentIndex(0)
    dock.scenario.table.set_source("file", "")
    dock.show_tab("station")
    assert dock.state() != saved
    assert project.read(str(tmp_path / "project.qgs"))
    settle()
    assert dock.state() == saved
    assert dock.station.plot_data.step == 3600 and dock.station.series.source == str(COSORE)
    assert "modelled 2012-06" in dock.station.curves and dock.scenario.data is not None


def test_unload_takes_the_toolbar_dock_and_map_tool_away(plugin, dock, qgis_iface, tmp_path):
    plugin.draw_action.setChecked(True)
    tool = plugin.draw_tool
    plugin.unload()
    assert plugin.dock is None and plugin.toolbar is None and plugin.draw_tool is None
    assert qgis_iface.mapCanvas().mapTool() is not tool
    assert QgsProject.instance().write(str(tmp_path / "after_unload.qgs"))     # no handler left behind
    plugin.initGui()                                                           # the fixture unloads again


def run_plugin_without(package, tmp_path):
    """The plugin in a fresh interpreter in which ``import <package>`` fails, as on a QGIS without it."""
    script = tmp_path / f"no_{package}.py"
    script.write_text(f"""
import json, sys
sys.modules[{package!r}] = None
sys.path.insert(0, {str(Path(desert_carbon.__file__).parent.parent)!r})
from qgis.core import Qgis, QgsApplication
app = QgsApplication([], True)
app.initQgis()
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtWidgets import QMainWindow, QToolBar
import desert_carbon

log = []
QgsApplication.messageLog().messageReceived.connect(lambda message, tag, level: log.append([tag, message]))


class Iface:  # what the plugin asks of QGIS's iface; message-bar warnings recorded
    def __init__(self):
        self.window, self.canvas, self.warnings = QMainWindow(), QgsMapCanvas(), []
    def mainWindow(self): return self.window
    def mapCanvas(self): return self.canvas
    def messageBar(self): return self
    def pushMessage(self, title, text, level=Qgis.MessageLevel.Info, duration=0):
        if level == Qgis.MessageLevel.Warning:
            self.warnings.append(text)
    def addToolBar(self, name): return QToolBar(name, self.window)
    def addPluginToMenu(self, menu, action): pass
    def removePluginMenu(self, menu, action): pass
    def addDockWidget(self, area, dock): pass
    def removeDockWidget(self, dock): pass


iface = Iface()
plugin = desert_carbon.classFactory(iface)
plugin.initGui()
plugin.dock_action.trigger()
plugin.draw_action.trigger()
provider = QgsApplication.processingRegistry().providerById("desertcarbon")
print(json.dumps({{"warnings": iface.warnings, "log": log,
                  "dock_tabs": plugin.dock.tabs.count() if plugin.dock else 0,
                  "checked": [plugin.dock_action.isChecked(), plugin.draw_action.isChecked()],
                  "draw_enabled": plugin.draw_action.isEnabled(),
                  "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else []}}))
plugin.unload()
""")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_without_pyqtgraph_the_plugin_names_the_fix_and_processing_still_works(tmp_path):
    found = run_plugin_without("pyqtgraph", tmp_path)
    assert found["dock_tabs"] == 0 and found["checked"] == [False, False]
    command = install_command("pyqtgraph")
    assert found["warnings"] and all(command in w for w in found["warnings"])
    assert any(tag == "Desert Carbon Sink" and command in message for tag, message in found["log"])
    assert {"desertcarbon:fluxscheme", "desertcarbon:calibrate", "desertcarbon:aggregate"} <= set(found["algorithms"])


def test_without_rasterio_the_plugin_names_the_fix_and_keeps_the_station_plots(tmp_path):
    found = run_plugin_without("rasterio", tmp_path)
    command = install_command("rasterio")
    assert found["warnings"] and all(command in w for w in found["warnings"])
    assert any(tag == "Desert Carbon Sink" and command in message for tag, message in found["log"])
    assert found["algorithms"] == []                    # the provider needs rasterio
    assert found["dock_tabs"] == 2                      # station and scenario plots still offered
    assert not found["draw_enabled"]


def test_plot_data_keeps_the_numbers_apart_from_the_widgets():
    """plot_data imports neither Qt, qgis nor pyqtgraph: a script gets what the dock draws without them."""
    tree = ast.parse((Path(desert_carbon.__file__).parent / "plugin" / "plot_data.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in ("qgis", "PyQt5", "PyQt6", "pyqtgraph")}


# ---- the real desktop --------------------------------------------------------------------------

SESSION = Path(__file__).resolve().parent / "dock_desktop_session.py"


@needs_desktop
def test_the_dock_in_the_qgis_desktop(tmp_path, scenario_csv, flux_raster):
    plantings = tmp_path / "plantings.geojson"
    plantings.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"feature_id": name},
         "geometry": {"type": "Polygon", "coordinates": [square(lon, lat)]}} for name, lon, lat, _, _ in PLANTINGS]}))
    ring = [(81.1, 37.6), (83.7, 37.9), (84.2, 40.3), (81.9, 40.8), (81.1, 37.6)]
    inputs = {"station": str(COSORE), "mapping": COSORE_MAPPING, "scenario": str(scenario_csv),
              "plantings": str(plantings), "raster": flux_raster.source(), "ring": ring}
    report, shots = tmp_path / "report.json", tmp_path / "shots"
    shots.mkdir()
    found = run_in_qgis_desktop(tmp_path, SESSION, {"DESERT_CARBON_DOCK_INPUTS": json.dumps(inputs),
                                                    "DESERT_CARBON_REPORT": str(report),
                                                    "DESERT_CARBON_OUT_DIR": str(shots)}, screen="1400x1300")
    assert found["toolbar"] == ["desertcarbon_dock", "desertcarbon_draw"]
    assert found["station_opened"] and {"fc", "rs", "theta10", "cumulative_modelled"} <= set(found["station_curves"])
    assert found["parameter_file"] == str(shots / "calibrated_parameters.json")        # calibrated in the dock
    assert found["scenario_opened"] and found["highlighted"] == ["south"]
    assert found["map_tool_is_draw_tool"]
    expected = aggregate_totals(flux_raster.source(), [("drawn 1", [[np.array(ring)]])]).rows()
    assert [row["total_PgCO2_a"] for row in found["totals"]] == pytest.approx(
        [row["total_PgCO2_a"] for row in expected],
                                                                             rel=1e-12)
    for name in ("dock_station.png", "dock_scenario.png", "dock_totals.png"):
        image = QImage(str(shots / name))
        assert image.width() >= 1000 and len(distinct_colours(image, step=3)) > 150, name
        shutil.copy(shots / name, PLUGIN_ROOT.parent / name)        # for a look, and the README's docs/


def chamber_table(path, cycle_s=3456, days=6):
    """SYNTHETIC: a chamber sampling every 3,456 s (its own cycle, as at one COSORE site), two ports."""
    seconds = np.arange(0, days * 86400, cycle_s)
    hours = seconds / 3600.0
    t0 = 20 + 10 * np.sin(2 * np.pi * hours / 24)
    t10 = 20 + 3 * np.sin(2 * np.pi * hours / 24 - 1)
    start = np.datetime64("2015-06-01T00:00:00")
    lines = ["time,co2,ts0,ts10,swc10"] + [
        f"{str(start + np.timedelta64(int(s), 's')).replace('T', ' ')},{0.1 + 0.01 * (a - 20):.6f},{a:.3f},{b:.3f},0.03"
        for s, a, b in zip(seconds, t0, t10)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_station_tab_reads_irregular_chambers_ports_and_units_as_calibrate_does(dock, tmp_path):
    tab = dock.station
    path = chamber_table(tmp_path / "chamber.csv")
    tab.table.set_source("file", str(path))
    tab.set_mapping({"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"}, "time")
    assert tab.reading_step.currentIndex() == 0                       # auto: binned to hourly steps
    assert tab.open_station(), tab.status.text()
    assert tab.series.step == 3600
    expected = read_station_csv(path, mapping={"fc": "co2", "t0": "ts0", "t10": "ts10", "theta10": "swc10"},
                                time_column="time", step="auto", required=("fc",))
    np.testing.assert_array_equal(tab.series.columns["fc"], expected.columns["fc"])
    tab.reading_step.setCurrentIndex(4)                               # none: regular tables only
    assert not tab.open_station() and "reading step" in tab.status.text()
    tab.reading_step.setCurrentIndex(0)
    tab.port.setCurrentText("north")
    assert not tab.open_station() and "ports: 'north' is not a list of chamber ports" in tab.status.text()
    tab.port.setCurrentText("mean")
    tab.flux_unit.setCurrentIndex(2)                                  # mg CO2 m-2 s-1
    assert tab.open_station(), tab.status.text()
    np.testing.assert_allclose(tab.series.columns["fc"], expected.columns["fc"] * UMOL_PER_MG_CO2, rtol=1e-12)
    parameters = calibration_task.calibration_parameters(tab.state(), 0, tmp_path / "out.json")
    assert (parameters["STEP"], parameters["FLUX_UNIT"], parameters["PORTS"]) == (0, 2, "mean")


def test_drawn_totals_and_scenario_plots_show_the_parameter_band_beside_the_interannual_one(plugin, dock, flux_raster,
                                                                                           qgis_iface, tmp_path):
    """An ensemble folder of 0.5, 1 and 1.5 × the flux: the drawn total's error bars are its members' 5–95 %, the
    bands are mean ± interannual sd and ± combined; the scenario tab draws the table's parameter and interannual
    bands."""
    import processing
    folder = tmp_path / "members"
    folder.mkdir()
    with rasterio.open(flux_raster.source()) as dataset:
        values, transform = dataset.read(), dataset.transform
    for number, scale in enumerate((0.5, 1.0, 1.5), start=1):
        write_annual(folder / f"member_{number:03d}.tif", np.where(values == -9999.0, -9999.0, values * scale),
                     transform, first_year=2015)
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_iface.mapCanvas().setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    dock.totals.raster_box.setLayer(flux_raster)
    dock.totals.ensemble_folder.setFilePath(str(folder))
    ring = [(81.1, 37.6), (83.7, 37.9), (84.2, 40.3), (81.9, 40.8), (81.1, 37.6)]
    plugin.draw_action.setChecked(True)
    plugin.draw_tool.finish(polygon(ring))
    members = sorted(str(p) for p in folder.iterdir())
    expected = aggregate_totals(flux_raster.source(), [("drawn 1", [[np.array(ring)]])], ensemble_paths=members)
    bands = dock.totals.bands
    totals = expected.polygons[0].total_pg_co2
    member_totals = np.outer([0.5, 1.0, 1.5], totals)                # exact scales of the same float32 values
    np.testing.assert_allclose(bands.parameter_low, np.percentile(member_totals, 5, axis=0), rtol=1e-9)
    np.testing.assert_allclose(bands.parameter_high, np.percentile(member_totals, 95, axis=0), rtol=1e-9)
    assert bands.combined == pytest.approx(np.hypot(bands.parameter_sd, bands.interannual_sd), rel=1e-12)
    assert {"parameter", "interannual", "combined"} <= set(dock.totals.curves)
    assert bands.headline in dock.totals.summary.text() and "3 parameter sets" in bands.headline
    plugin.draw_action.setChecked(False)

    layer = scratch_layer(create=False)
    fields = layer.fields()
    layer.dataProvider().changeAttributeValues({f.id(): {fields.indexOf("practice"): "shelter_forest",
                                                         fields.indexOf("planting_year"): 2021}
                                                for f in layer.getFeatures()})
    processing.run("desertcarbon:scenario", {
        "BASELINE": flux_raster, "BASELINE_ENSEMBLE_FOLDER": str(folder), "INTERVENTIONS": layer, "ID_FIELD": "name",
        "START_YEAR": 2020, "HORIZON": 10, "OUTPUT": "memory:", "OUTPUT_CSV": str(tmp_path / "scenario.csv")})
    dock.scenario.table.set_source("file", str(tmp_path / "scenario.csv"))
    assert dock.scenario.open_table(), dock.scenario.status.text()
    roles = dock.scenario.data.roles
    assert (roles["parameter_low"], roles["parameter_high"], roles["interannual_sd"]) == (
        "scenario_parameter_p05_PgCO2_a", "scenario_parameter_p95_PgCO2_a", "baseline_interannual_sd_PgCO2_a")
    assert roles["scenario_low"] == "scenario_min_PgCO2_a"        # the practices' envelope stays what it was
    assert {"parameter", "interannual"} <= set(dock.scenario.bands)
def export_refusal(export, path):
    try:
        export(path)
    except ValueError as error:
        return str(error)
    return None


def test_an_export_over_the_station_file_or_with_another_extension_is_refused(dock, tmp_path):
    """The output guard (core.output_guard) for the dock's exports, on a copy of the real COSORE sample."""
    station = tmp_path / "cosore" / COSORE.name
    shutil.copytree(COSORE.parent, station.parent)
    open_station(dock, path=station)
    before = station.read_bytes()
    message = export_refusal(dock.export_csv, station)
    assert message is not None and f"Export ({station}) is the input the station table" in message
    assert station.read_bytes() == before
    assert "cannot be a .xlsx file" in export_refusal(dock.export_csv, tmp_path / "plot.xlsx")
    assert "cannot be a .jpg file" in export_refusal(dock.export_image, tmp_path / "plot.jpg")
    dock.export_csv(tmp_path / "plot.csv")
    assert (tmp_path / "plot.csv").stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cosore", "plot.csv"]
