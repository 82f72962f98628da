"""The output guard through processing.run on real QGIS: every algorithm with every output pointed at each of its
inputs is refused before anything is written, the input's bytes unchanged; wrong extensions, unwritable folders,
cancelled and failed runs; a replaced output takes its new style and statistics; results name the final files.

Inputs are the SYNTHETIC files of tests/case_inputs.py, the bundled parameter and practices files and the real
AmeriFlux sample (tests/data)."""
import hashlib
import shutil
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from qgis.core import (QgsPalettedRasterRenderer, QgsProcessingContext, QgsProcessingException,
                       QgsProcessingFeedback, QgsProject, QgsVectorLayer)

from case_inputs import _box, _polygons, write_inputs
from desert_carbon.core.output_guard import TEMPORARY_FOLDER
from desert_carbon.core.parameters import DEFAULT_PARAMETER_FILE
from desert_carbon.core.practices import DEFAULT_PRACTICES

DATA = Path(__file__).resolve().parents[1] / "data"
AMERIFLUX = DATA / "ameriflux_base_US-CRT" / "AMF_US-CRT_BASE_HH_2-5.csv"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guard_inputs")
    files = write_inputs(folder)
    for name, source in (("parameters.json", DEFAULT_PARAMETER_FILE), ("practices.csv", DEFAULT_PRACTICES),
                         ("station.csv", AMERIFLUX), ("reference.csv", AMERIFLUX)):
        files[name] = str(shutil.copy(source, folder / name))
    for member in ("member.tif", "member2.tif"):
        files[member] = str(shutil.copy(files["constant_flux.tif"], folder / member))
    return files


def algorithm_parameters(inputs, out):
    """Per algorithm: its parameters with every file input given, and its file outputs in ``out``."""
    annual = inputs["constant_flux.tif"]
    polygons = inputs["box_80_81_38_39.geojson"]
    return {
        "fluxscheme": ({"T0": inputs["dry_t0.tif"], "T10": inputs["dry_t10.tif"], "VWC10": inputs["dry_vwc10.tif"],
                        "START": "2001-01-01T00:00", "STEP_HOURS": 24, "MASK": annual,
                        "PARAMETERS": inputs["parameters.json"], "VWC10_STATION": inputs["station.csv"],
                        "LAND_SEA_MASK": inputs["three_trends.tif"]},
                       {"OUTPUT": "flux.tif", "OUTPUT_COMPONENTS": "components.tif", "OUTPUT_REGIMES": "regimes.tif",
                        "OUTPUT_RAIN": "rain.tif", "OUTPUT_RN": "rn.tif"}),
        "calibrate": ({"STATION": inputs["station.csv"], "INITIAL_PARAMETERS": inputs["parameters.json"],
                       "BOOTSTRAP": 0},
                      {"OUTPUT": "calibrated.json", "OUTPUT_REPORT": "report.html"}),
        "openpathcorrection": ({"INPUT": inputs["station.csv"], "REFERENCE": inputs["reference.csv"]},
                               {"OUTPUT": "corrected.csv", "OUTPUT_SUMMARY": "summary.html",
                                "OUTPUT_SUMS": "sums.csv"}),
        "trend": ({"INPUT": inputs["three_trends.tif"], "MIN_VALID_YEARS": 3}, {"OUTPUT": "trend.tif"}),
        "aggregate": ({"INPUT": annual, "POLYGONS": polygons, "MASK": inputs["dry_t0.tif"],
                       "ENSEMBLE": [inputs["member.tif"], inputs["member2.tif"]]},
                      {"OUTPUT": "totals.gpkg", "OUTPUT_CSV": "totals.csv", "OUTPUT_HTML": "totals.html"}),
        "scenario": ({"BASELINE": annual, "INTERVENTIONS": inputs["overlapping_plantings.geojson"],
                      "PRACTICES": inputs["practices.csv"], "REGION": polygons},
                     {"OUTPUT": "scenario.gpkg", "OUTPUT_CHANGE": "change.tif", "OUTPUT_CSV": "scenario.csv"}),
        "siting": ({"BASELINE": annual, "PRACTICES": inputs["practices.csv"],
                    "CONSTRAINT_RASTERS": [inputs["three_trends.tif"]], "EXCLUDE_POLYGONS": polygons,
                    "WATER_NEED": inputs["dry_t10.tif"]},
                   {"OUTPUT": "suitability.tif", "OUTPUT_SITES": "sites.gpkg"}),
    }


def input_files(parameters):
    for name, value in parameters.items():
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, str) and Path(path).is_file():
                yield name, path


def file_inputs(parameters):
    """(parameter, position in a list or None) of every file input."""
    for name, value in parameters.items():
        if isinstance(value, list):
            yield from ((name, position) for position in range(len(value)))
        elif isinstance(value, str) and value.startswith("/"):
            yield name, None


# every (algorithm, output, input) pair, from the parameters with placeholder paths
_LISTING = algorithm_parameters({name: f"/{name}" for name in (
    "constant_flux.tif", "box_80_81_38_39.geojson", "dry_t0.tif", "dry_t10.tif", "dry_vwc10.tif", "parameters.json",
    "station.csv", "three_trends.tif", "reference.csv", "member.tif", "member2.tif", "overlapping_plantings.geojson",
    "practices.csv")}, None)
CASES = [(algorithm, output, name, position) for algorithm, (parameters, outputs) in _LISTING.items()
         for output in outputs for name, position in file_inputs(parameters)]


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refusal(algorithm, parameters, feedback=None):
    """The message of the QgsProcessingException the run raises, or None (nothing kept alive afterwards)."""
    try:
        processing.run(f"desertcarbon:{algorithm}", parameters, feedback=feedback)
    except QgsProcessingException as error:
        return str(error)
    return None


@pytest.mark.parametrize("algorithm, output, given, position", CASES,
                         ids=[f"{a}-{o}-over-{i}{'' if p is None else p}" for a, o, i, p in CASES])
def test_every_output_over_each_input_is_refused_and_the_input_unchanged(provider, inputs, tmp_path, algorithm,
                                                                        output, given, position):
    parameters, outputs = algorithm_parameters(inputs, tmp_path)[algorithm]
    value = parameters[given]
    target = value if position is None else value[position]
    before = {path: digest(path) for _, path in input_files(parameters)}
    run = {**parameters, **{key: str(tmp_path / name) for key, name in outputs.items()}, output: target}
    message = refusal(algorithm, run)
    assert message is not None, "the run was not refused"
    assert f"{output} ({target}) is the input {given}" in message and "nothing was written" in message
    assert {path: digest(path) for path in before} == before
    assert list(tmp_path.iterdir()) == []                   # no output, no temporary folder


def test_an_extension_the_output_cannot_have_is_refused(provider, inputs, tmp_path):
    parameters, _ = algorithm_parameters(inputs, tmp_path)["trend"]
    message = refusal("trend", {**parameters, "OUTPUT": str(tmp_path / "trend.txt")})
    assert "OUTPUT" in message and "cannot be a .txt file" in message and "trend.tif" in message
    assert list(tmp_path.iterdir()) == []


def test_an_output_in_a_folder_that_cannot_be_written_is_refused(provider, inputs, tmp_path):
    parameters, _ = algorithm_parameters(inputs, tmp_path)["aggregate"]
    message = refusal("aggregate", {**parameters, "OUTPUT": str(tmp_path / "totals.gpkg"),
                                    "OUTPUT_CSV": str(tmp_path / "t.csv"),
                                    "OUTPUT_HTML": str(Path(inputs["practices.csv"]) / "t.html")})
    assert "OUTPUT_HTML" in message and "cannot be written" in message and "is a file, not a folder" in message
    assert list(tmp_path.iterdir()) == []


def test_a_cancelled_run_leaves_no_file(provider, inputs, tmp_path):
    parameters, _ = algorithm_parameters(inputs, tmp_path)["scenario"]
    feedback = QgsProcessingFeedback()
    # cancelled once the table is written: the CSV and the change raster must not appear either
    feedback.progressChanged.connect(lambda progress: feedback.cancel() if progress >= 50 else None)
    planting = _polygons(tmp_path.parent / f"{tmp_path.name}_planting.geojson", [(
        {"name": "a", "practice": "shelter_forest", "planting_year": 2025}, _box(80.0, 38.0, 80.2, 38.2))])
    message = refusal("scenario", {**parameters, "INTERVENTIONS": planting, "OUTPUT": str(tmp_path / "s.gpkg"),
                                   "OUTPUT_CSV": str(tmp_path / "s.csv"), "OUTPUT_CHANGE": str(tmp_path / "c.tif")},
                      feedback)
    assert message == "Cancelled: no output was written."
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_leaves_no_file(provider, inputs, tmp_path):
    message = refusal("trend", {"INPUT": inputs["single_year.tif"], "MIN_VALID_YEARS": 3,
                                "OUTPUT": str(tmp_path / "out" / "trend.tif")})
    assert "fewer than the minimum" in message
    assert list(tmp_path.iterdir()) == []                   # not even the folder made for it


def test_a_replaced_output_gets_its_new_style_and_statistics(provider, inputs, tmp_path):
    out = tmp_path / "trend.tif"
    processing.run("desertcarbon:trend", {"INPUT": inputs["three_trends.tif"], "MIN_VALID_YEARS": 3,
                                          "OUTPUT": str(out)})
    style = out.with_suffix(".qml")
    statistics = Path(str(out) + ".aux.xml")
    style.write_text("<qgis><!-- stale style of an old result --></qgis>")
    statistics.write_text("<PAMDataset><!-- stale statistics: ±1 --></PAMDataset>")
    result = processing.run("desertcarbon:trend", {"INPUT": inputs["three_trends.tif"], "MIN_VALID_YEARS": 3,
                                                   "OUTPUT": str(out)})
    assert result["OUTPUT"] == str(out)
    assert "stale" not in style.read_text() and "paletted" in style.read_text()
    assert not statistics.exists() or "stale" not in statistics.read_text()
    assert not [p for p in tmp_path.iterdir() if TEMPORARY_FOLDER.match(p.name)]


def test_results_and_loaded_layers_name_the_final_files(provider, layer_tree_view, inputs, tmp_path):
    parameters, _ = algorithm_parameters(inputs, tmp_path)["aggregate"]
    parameters = {"INPUT": parameters["INPUT"], "POLYGONS": parameters["POLYGONS"],
                  "OUTPUT": str(tmp_path / "totals.gpkg"), "OUTPUT_CSV": str(tmp_path / "totals.csv"),
                  "OUTPUT_HTML": str(tmp_path / "totals.html")}
    result = processing.runAndLoadResults("desertcarbon:aggregate", parameters)
    trend = processing.runAndLoadResults("desertcarbon:trend", {"INPUT": inputs["three_trends.tif"],
                                                                "MIN_VALID_YEARS": 3,
                                                                "OUTPUT": str(tmp_path / "trend.tif")})
    try:
        assert ".partial" not in result["OUTPUT"] and result["OUTPUT"].startswith(str(tmp_path / "totals.gpkg"))
        table = QgsVectorLayer(result["OUTPUT"], "totals", "ogr")
        assert table.isValid() and table.featureCount() == 4 and table.name() == "totals"
        del table
        loaded = {Path(layer.source().split("|")[0]).name: layer
                  for layer in QgsProject.instance().mapLayers().values()}
        assert {"totals.gpkg", "trend.tif"} <= set(loaded)
        assert all(".partial" not in layer.source() for layer in loaded.values())
        assert isinstance(loaded["trend.tif"].renderer(), QgsPalettedRasterRenderer)   # the style post-processor ran
        assert trend["OUTPUT"] == str(tmp_path / "trend.tif")
    finally:
        loaded = None
        QgsProject.instance().removeAllMapLayers()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".aux.xml")) == [
        "totals.csv", "totals.gpkg", "totals.html", "trend.qml", "trend.tif"]


def test_zero_features_and_all_nodata_say_so(provider, inputs, tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    feedback = QgsProcessingFeedback()
    with rasterio.open(inputs["constant_flux.tif"]) as source:
        profile, values = source.profile, source.read()
    nodata = tmp_path / "nodata.tif"
    with rasterio.open(nodata, "w", **profile) as target:
        target.write(np.full_like(values, profile["nodata"]))
        for band in range(1, values.shape[0] + 1):
            target.set_band_description(band, str(2000 + band))
    processing.run("desertcarbon:aggregate", {"INPUT": str(nodata), "POLYGONS": inputs["box_80_81_38_39.geojson"],
                                              "OUTPUT": str(tmp_path / "t.gpkg"), "OUTPUT_CSV": str(tmp_path / "t.csv"),
                                              "OUTPUT_HTML": str(tmp_path / "t.html")}, feedback=feedback)
    rows = (tmp_path / "t.csv").read_text().splitlines()
    assert rows[1].split(",")[2] == ""                           # total_PgCO2_a empty (unknown), not 0
    log = feedback.textLog()
    assert "unknown (empty), not 0" in log
    processing.run("desertcarbon:aggregate", {"INPUT": inputs["constant_flux.tif"], "POLYGONS": str(empty),
                                              "OUTPUT": str(tmp_path / "e.gpkg"), "OUTPUT_CSV": str(tmp_path / "e.csv"),
                                              "OUTPUT_HTML": str(tmp_path / "e.html")}, feedback=feedback)
    assert "has no features" in feedback.textLog()


def test_a_parameter_file_that_widens_its_bounds_is_warned_in_the_log(provider, inputs, tmp_path):
    text = Path(inputs["parameters.json"]).read_text().replace(
        '"k1":        {"value": 0.010, "unit": "umol m-2 s-1 K-1", "bounds": [0.0, 1.0]',
        '"k1":        {"value": 500, "unit": "umol m-2 s-1 K-1", "bounds": [0.0, 1000.0]')
    wide = tmp_path / "wide.json"
    wide.write_text(text)
    feedback = QgsProcessingFeedback()
    processing.run("desertcarbon:fluxscheme", {
        "T0": inputs["dry_t0.tif"], "T10": inputs["dry_t10.tif"], "VWC10": inputs["dry_vwc10.tif"],
        "START": "2001-01-01T00:00", "STEP_HOURS": 24, "PARAMETERS": str(wide),
        "OUTPUT": str(tmp_path / "flux.tif")}, feedback=feedback, context=QgsProcessingContext())
    assert "k1 = 500 (plugin's bounds [0, 1]) lies outside the plugin's bounds" in feedback.textLog()
