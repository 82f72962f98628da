"""The Processing provider ``desertcarbon``: one algorithm per module beside this one."""
from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..about import PLUGIN_NAME, VERSION
from .aggregate_algorithm import AggregateAlgorithm
from .bundled_model import BundledModel
from .calibrate_algorithm import CalibrateAlgorithm
from .fluxscheme_algorithm import FluxSchemeAlgorithm
from .openpathcorrection_algorithm import OpenPathCorrectionAlgorithm
from .scenario_algorithm import ScenarioAlgorithm
from .siting_algorithm import SitingAlgorithm
from .trend_algorithm import TrendAlgorithm

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICON = RESOURCES / "icons" / "icon.svg"


class DesertCarbonProvider(QgsProcessingProvider):
    def id(self):
        return "desertcarbon"

    def name(self):
        return PLUGIN_NAME

    def longName(self):
        return self.tr("{name} {version}: CO2 flux of shifting sand").format(name=PLUGIN_NAME, version=VERSION)

    def icon(self):
        return QIcon(str(ICON))

    def svgIconPath(self):
        return str(ICON)

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]        # the core writes GeoTIFF (with band names and units) whatever the name says

    def defaultRasterFileExtension(self):  # noqa: N802
        return "tif"

    def loadAlgorithms(self):
        for algorithm in (FluxSchemeAlgorithm(), CalibrateAlgorithm(), OpenPathCorrectionAlgorithm(), TrendAlgorithm(),
                          AggregateAlgorithm(), ScenarioAlgorithm(), SitingAlgorithm()):
            self.addAlgorithm(algorithm)
        # the chains of resources/models, offered beside the algorithms they chain
        for path in sorted((RESOURCES / "models").glob("*.model3")):
            model = BundledModel(path)
            if model.loaded:
                self.addAlgorithm(model)
