"""Write resources/models/desert_carbon_chain.model3, the Processing model of the demo's chain.

Built with the QGIS model API rather than by hand so the file is exactly what the graphical modeler
saves; rerun after changing a chained algorithm's parameters:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_model.py
"""
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / ".build" / "plugins"))

from qgis.core import (QgsApplication, QgsProcessingModelAlgorithm,  # noqa: E402
                       QgsProcessingModelChildAlgorithm, QgsProcessingModelChildParameterSource,
                       QgsProcessingModelOutput, QgsProcessingModelParameter,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber)
from qgis.PyQt.QtCore import QPointF  # noqa: E402

from desert_carbon.qgis_layers.enums import NUMBER_INTEGER, SOURCE_FILE, SOURCE_VECTOR_POLYGON  # noqa: E402

TARGET = REPOSITORY / "resources" / "models" / "desert_carbon_chain.model3"


def source_from_input(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def source_from_child(child_id, output):
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]


def value(v):
    return [QgsProcessingModelChildParameterSource.fromStaticValue(v)]


def child(model, algorithm_id, child_id, description, sources, outputs, x):
    step = QgsProcessingModelChildAlgorithm(algorithm_id)
    step.setChildId(child_id)
    step.setDescription(description)
    step.setPosition(QPointF(x, 200))
    for name, parameter_sources in sources.items():
        step.addParameterSources(name, parameter_sources)
    model_outputs = {}
    for child_output, label in outputs.items():
        output = QgsProcessingModelOutput(label)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(x, 330))
        model_outputs[label] = output
    step.setModelOutputs(model_outputs)
    model.addChildAlgorithm(step)


def build():
    model = QgsProcessingModelAlgorithm("desert_carbon_chain", "Desert Carbon Sink")
    model.setHelpContent({"ALG_DESC": "The review's chain on ERA5-Land forcing: flux scheme → per-pixel trend → "
                                      "totals over the desert polygons, in Pg CO2 per year → a "
                                      "desertification-control scenario for the intervention polygons "
                                      "(practice and planting year as attributes).",
                          "ALG_CREATOR": "Desert Carbon Sink plugin"})
    inputs = [
        (QgsProcessingParameterMultipleLayers("FORCING", "ERA5 / ERA5-Land forcing files (NetCDF)",
                                              SOURCE_FILE), 0),
        (QgsProcessingParameterFeatureSource("DESERT", "Desert polygons", [SOURCE_VECTOR_POLYGON]), 1),
        (QgsProcessingParameterNumber("MIN_VALID_YEARS", "Minimum number of valid years for a trend",
                                      NUMBER_INTEGER, defaultValue=10, minValue=3), 2),
        (QgsProcessingParameterFeatureSource("INTERVENTIONS", "Interventions (fields practice, planting_year)",
                                             [SOURCE_VECTOR_POLYGON]), 3),
        (QgsProcessingParameterNumber("START_YEAR", "First year of the scenario",
                                      NUMBER_INTEGER, defaultValue=2023), 4),
        (QgsProcessingParameterNumber("HORIZON", "Scenario horizon (years)", NUMBER_INTEGER,
                                      defaultValue=30, minValue=1), 5),
    ]
    for definition, row in inputs:
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(100 + 250 * row, 60))
        model.addModelParameter(definition, component)
    child(model, "desertcarbon:fluxscheme", "fluxscheme", "Annual flux",
          {"FORCING": source_from_input("FORCING")}, {"OUTPUT": "Annual flux"}, 100)
    child(model, "desertcarbon:trend", "trend", "Trend",
          {"INPUT": source_from_child("fluxscheme", "OUTPUT"), "MIN_VALID_YEARS": source_from_input("MIN_VALID_YEARS"),
           "CORRECTION": value(0)}, {"OUTPUT": "Trend"}, 350)
    child(model, "desertcarbon:aggregate", "aggregate", "Totals",
          {"INPUT": source_from_child("fluxscheme", "OUTPUT"), "POLYGONS": source_from_input("DESERT")},
          {"OUTPUT": "Totals", "OUTPUT_CSV": "Totals CSV", "OUTPUT_HTML": "Totals summary"}, 600)
    child(model, "desertcarbon:scenario", "scenario", "Scenario",
          {"BASELINE": source_from_child("fluxscheme", "OUTPUT"), "INTERVENTIONS": source_from_input("INTERVENTIONS"),
           "REGION": source_from_input("DESERT"), "START_YEAR": source_from_input("START_YEAR"),
           "HORIZON": source_from_input("HORIZON")},
          {"OUTPUT": "Scenario", "OUTPUT_CSV": "Scenario CSV"}, 850)
    return model


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    import desert_carbon
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    model = build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    if not model.toFile(str(TARGET)):
        sys.exit(f"could not write {TARGET}")
    print(TARGET)
