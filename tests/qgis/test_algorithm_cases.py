"""Every case of algorithm_cases.yaml through checkParameterValues and processing.run, as QGIS's own
AlgorithmsTestBase runs its YAML cases."""
from pathlib import Path

import processing
import pytest
import rasterio
import yaml
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingException, QgsVectorLayer

from case_inputs import write_inputs

CASES = yaml.safe_load((Path(__file__).with_name("algorithm_cases.yaml")).read_text(encoding="utf-8"))
OUTPUT_PREFIX = "out:"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return write_inputs(tmp_path_factory.mktemp("case_inputs"))


def _parameters(case, inputs, folder):
    def value(text):
        if isinstance(text, str) and text.startswith(OUTPUT_PREFIX):
            return str(folder / text[len(OUTPUT_PREFIX):])
        return inputs.get(text, text) if isinstance(text, str) else text
    return {name: value(text) for name, text in case["params"].items()}


def _check_raster(path, expected):
    with rasterio.open(path) as raster:
        bands = dict(zip(raster.descriptions, raster.read()))
    for cell in expected["cells"]:
        found = float(bands[cell["band"]][cell["row"], cell["col"]])
        assert found == pytest.approx(cell["value"], abs=cell["abs"]), cell["why"]


def _check_table(path, expected):
    layer = QgsVectorLayer(str(path), "table", "ogr")
    assert layer.isValid(), path
    rows = [feature.attributes() for feature in layer.getFeatures()]
    names = layer.fields().names()
    for check in expected["rows"]:
        matching = [dict(zip(names, row)) for row in rows
                    if all(str(dict(zip(names, row))[key]) == str(value) for key, value in check["where"].items())]
        assert len(matching) == 1, f"{check['where']}: {len(matching)} rows"
        tolerance = {"rel": check["rel"]} if "rel" in check else {"abs": check["abs"]}
        assert matching[0][check["field"]] == pytest.approx(check["value"], **tolerance), check["why"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case, inputs, provider, tmp_path):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(case["algorithm"])
    assert algorithm is not None, case["algorithm"]
    parameters = _parameters(case, inputs, tmp_path)
    context = QgsProcessingContext()
    valid, message = algorithm.checkParameterValues(parameters, context)
    if "error" in case:
        if valid:
            with pytest.raises(QgsProcessingException) as raised:
                processing.run(case["algorithm"], parameters)
            message = str(raised.value)
        assert case["error"] in message
        return
    assert valid, message
    results = processing.run(case["algorithm"], parameters)
    for name, expected in case["results"].items():
        if expected["type"] == "raster":
            _check_raster(results[name], expected)
        elif expected["type"] == "table":
            _check_table(results[name], expected)
        else:
            assert results[name] == pytest.approx(expected["value"], abs=expected["abs"]), expected["why"]
