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

from desert_carbon.processing_provider.bundled_model import (CHAIN_HELP, CHAIN_ID, CHAIN_INPUTS,  # noqa: E402
                                                             CHAIN_OUTPUTS, CHAIN_STEPS)
from desert_carbon.qgis_layers.enums import (NUMBER_INTEGER, PARAMETER_OPTIONAL, SOURCE_FILE,  # noqa: E402
                                             SOURCE_VECTOR_POLYGON)

TARGET = REPOSITORY / "resources" / "models" / "desert_carbon_chain.model3"


def source_from_input(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def source_from_child(child_id, output):
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]


def value(v):
    return [QgsProcessingModelChildParameterSource.fromStaticValue(v)]


def child(model, algorithm_id, child_id, sources, x):
    """A step whose mandatory parameters not given in ``sources`` are set to their defaults in the file: the
    modeler marks a step with an unset mandatory parameter invalid, defaults or not."""
    step = QgsProcessingModelChildAlgorithm(algorithm_id)
    step.setChildId(child_id)
    step.setDescription(CHAIN_STEPS[child_id])
    step.setPosition(QPointF(x, 200))
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        if name in sources:
            step.addParameterSources(name, sources[name])
        elif not definition.isDestination() and not definition.flags() & PARAMETER_OPTIONAL:
            step.addParameterSources(name, value(definition.defaultValue()))
    model_outputs = {}
    for row, (child_output, name, description) in enumerate(CHAIN_OUTPUTS[child_id]):
        output = QgsProcessingModelOutput(name, description)
        output.setDescription(description)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(x, 330 + 50 * row))
        model_outputs[name] = output
    step.setModelOutputs(model_outputs)
    model.addChildAlgorithm(step)


def input_definitions():
    descriptions = dict(CHAIN_INPUTS)
    return {"FORCING": QgsProcessingParameterMultipleLayers("FORCING", descriptions["FORCING"], SOURCE_FILE),
            "DESERT": QgsProcessingParameterFeatureSource("DESERT", descriptions["DESERT"], [SOURCE_VECTOR_POLYGON]),
            "MIN_VALID_YEARS": QgsProcessingParameterNumber("MIN_VALID_YEARS", descriptions["MIN_VALID_YEARS"],
                                                            NUMBER_INTEGER, defaultValue=10, minValue=3),
            "INTERVENTIONS": QgsProcessingParameterFeatureSource("INTERVENTIONS", descriptions["INTERVENTIONS"],
                                                                 [SOURCE_VECTOR_POLYGON]),
            "START_YEAR": QgsProcessingParameterNumber("START_YEAR", descriptions["START_YEAR"], NUMBER_INTEGER,
                                                       defaultValue=2023),
            "HORIZON": QgsProcessingParameterNumber("HORIZON", descriptions["HORIZON"], NUMBER_INTEGER,
                                                    defaultValue=30, minValue=1)}


def build():
    model = QgsProcessingModelAlgorithm(CHAIN_ID, "Desert Carbon Sink")
    model.setHelpContent({"ALG_DESC": CHAIN_HELP, "ALG_CREATOR": "Desert Carbon Sink plugin"})
    definitions = input_definitions()
    for row, (name, _description) in enumerate(CHAIN_INPUTS):
        component = QgsProcessingModelParameter(name)
        component.setPosition(QPointF(100 + 250 * row, 60))
        model.addModelParameter(definitions[name], component)
    child(model, "desertcarbon:fluxscheme", "fluxscheme", {"FORCING": source_from_input("FORCING")}, 100)
    child(model, "desertcarbon:trend", "trend",
          {"INPUT": source_from_child("fluxscheme", "OUTPUT"), "MIN_VALID_YEARS": source_from_input("MIN_VALID_YEARS")},
          350)
    child(model, "desertcarbon:aggregate", "aggregate",
          {"INPUT": source_from_child("fluxscheme", "OUTPUT"), "POLYGONS": source_from_input("DESERT")}, 600)
    child(model, "desertcarbon:scenario", "scenario",
          {"BASELINE": source_from_child("fluxscheme", "OUTPUT"), "INTERVENTIONS": source_from_input("INTERVENTIONS"),
           "REGION": source_from_input("DESERT"), "START_YEAR": source_from_input("START_YEAR"),
           "HORIZON": source_from_input("HORIZON")}, 850)
    model.setParameterOrder([name for name, _description in CHAIN_INPUTS])
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
