"""The bundled Processing model chains fluxscheme → trend → aggregate → scenario, in QGIS and from qgis_process; it is
valid as the Graphical Modeler checks it, with a title, help, inputs in order and labelled outputs."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import processing
import pytest
from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsVectorLayer

from forcing_files import synthetic_forcing, write_era5_netcdf

MODEL_ID = "desertcarbon:desert_carbon_chain"
PLUGIN_ROOT = Path(__file__).resolve().parents[2] / ".build" / "plugins"


def write_geojson(layer, path):
    """A memory layer as GeoJSON, without QgsVectorFileWriter (whose writers are deprecated one by one)."""
    names = layer.fields().names()
    features = [{"type": "Feature", "properties": dict(zip(names, feature.attributes())),
                 "geometry": json.loads(feature.geometry().asJson())} for feature in layer.getFeatures()]
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    files = []
    for year in range(2001, 2005):           # four years: enough for a trend with MIN_VALID_YEARS=3
        times = np.arange(np.datetime64(f"{year}-01-01", "s").astype(np.int64),
                          np.datetime64(f"{year + 1}-01-01", "s").astype(np.int64), 3600)
        t0, t10, theta = synthetic_forcing(times, 3, 4, seed=year)
        files.append(write_era5_netcdf(folder / f"era5_{year}.nc", times, t0 + 0.2 * (year - 2001), t10,
                                       t10 - 1.0, theta, theta))
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "desert", "memory")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((80.3 38.7, 81.6 38.7, 81.6 39.8, 80.3 38.7))"))
    feature.setAttributes(["desert"])
    layer.dataProvider().addFeatures([feature])
    polygons = str(folder / "desert.geojson")
    write_geojson(layer, polygons)
    belt = QgsVectorLayer("Polygon?crs=EPSG:4326&field=practice:string&field=planting_year:integer", "belt", "memory")
    planted = QgsFeature(belt.fields())
    planted.setGeometry(QgsGeometry.fromWkt("POLYGON((80.6 39.0, 81.0 39.0, 81.0 39.1, 80.6 39.0))"))
    planted.setAttributes(["shelter_forest", 2005])
    belt.dataProvider().addFeatures([planted])
    interventions = str(folder / "interventions.geojson")
    write_geojson(belt, interventions)
    return files, polygons, interventions


def test_model_is_offered_and_runs(provider, inputs, tmp_path):
    files, polygons, interventions = inputs
    assert QgsApplication.processingRegistry().algorithmById(MODEL_ID) is not None
    result = processing.run(MODEL_ID, {
        "FORCING": files, "DESERT": polygons, "MIN_VALID_YEARS": 3, "INTERVENTIONS": interventions,
        "START_YEAR": 2005, "HORIZON": 10, "scenario:SCENARIO": "memory:",
        "scenario:SCENARIO_CSV": str(tmp_path / "scenario.csv"),
        "fluxscheme:ANNUAL_FLUX": str(tmp_path / "annual.tif"), "trend:TREND": str(tmp_path / "trend.tif"),
        "aggregate:TOTALS": "memory:", "aggregate:TOTALS_CSV": str(tmp_path / "totals.csv"),
        "aggregate:TOTALS_HTML": str(tmp_path / "totals.html")})
    totals = result["aggregate:TOTALS"]
    if isinstance(totals, str):
        totals = QgsVectorLayer(totals)
    years = sorted(f["year"] for f in totals.getFeatures())
    assert years == ["2001", "2002", "2003", "2004", "mean"]
    assert (tmp_path / "trend.tif").exists() and (tmp_path / "totals.html").exists()
    scenario_rows = (tmp_path / "scenario.csv").read_text().splitlines()
    assert any(",2014," in row for row in scenario_rows)          # the tenth year of the horizon


def test_model_runs_from_qgis_process(inputs, tmp_path):
    files, polygons, interventions = inputs
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "profile"),
           "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(["qgis_process.bin", "plugins", "enable", "desert_carbon"], env=env, capture_output=True)
    run = subprocess.run(["qgis_process.bin", "--json", "run", MODEL_ID, "--",
                          *(f"FORCING={f}" for f in files), f"DESERT={polygons}", "MIN_VALID_YEARS=3",
                          f"INTERVENTIONS={interventions}", "START_YEAR=2005", "HORIZON=10",
                          f"scenario:SCENARIO={tmp_path / 'scenario.gpkg'}",
                          f"fluxscheme:ANNUAL_FLUX={tmp_path / 'annual.tif'}",
                          f"trend:TREND={tmp_path / 'trend.tif'}",
                          f"aggregate:TOTALS={tmp_path / 'totals.gpkg'}",
                          f"aggregate:TOTALS_CSV={tmp_path / 'totals.csv'}",
                          f"aggregate:TOTALS_HTML={tmp_path / 'totals.html'}"],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(run.stdout[run.stdout.index("{"):])["results"]
    assert Path(results["aggregate:TOTALS_CSV"]).read_text().count("\n") == 5 + 1


def test_model_is_valid_titled_ordered_and_labelled(provider):
    registered = QgsApplication.processingRegistry().algorithmById(MODEL_ID)
    for model in (registered, registered.create()):        # the toolbox's and the copy the modeler and dialogs run
        assert model.validate() == (True, [])              # the modeler's Run asks "not valid…" otherwise
        assert model.displayName() == "Desert carbon chain: flux, trend, totals and scenario"
        assert "Pg CO<sub>2</sub> a⁻¹" in model.shortHelpString() and "Example" in model.shortHelpString()
        inputs = [d.name() for d in model.parameterDefinitions() if not d.isDestination()]
        assert inputs == ["FORCING", "DESERT", "MIN_VALID_YEARS", "INTERVENTIONS", "START_YEAR", "HORIZON"]
        outputs = {d.name(): d.description() for d in model.destinationParameterDefinitions()}
        assert set(outputs) == {"fluxscheme:ANNUAL_FLUX", "trend:TREND", "aggregate:TOTALS", "aggregate:TOTALS_CSV",
                                "aggregate:TOTALS_HTML", "scenario:SCENARIO", "scenario:SCENARIO_CSV"}
        assert all(outputs.values()), outputs


def test_model_run_dialog_as_the_modeler_opens_it(provider, algorithm_dialog):
    """The modeler's Run (ModelerDialog.runModel): validate() with no "not valid" prompt, then an AlgorithmDialog on
    model.create(), titled with the model's name and a label on every output."""
    from qgis.PyQt.QtWidgets import QLabel
    model = QgsApplication.processingRegistry().algorithmById(MODEL_ID).create()
    assert model.validate() == (True, [])
    dialog = algorithm_dialog(model)
    # QGIS 3.40 puts the group (or the provider) before the name: "Desert Carbon Sink - Desert carbon chain: …"
    assert dialog.windowTitle().endswith("Desert carbon chain: flux, trend, totals and scenario")
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    for output in model.destinationParameterDefinitions():          # "[optional]" follows some
        assert any(label.startswith(output.description()) for label in labels), (output.name(), labels)
