"""The Processing provider ``desertcarbon``: one algorithm per module beside this one."""
from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .aggregate_algorithm import AggregateAlgorithm
from .fluxscheme_algorithm import FluxSchemeAlgorithm
from .trend_algorithm import TrendAlgorithm

ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "icon.svg"


class DesertCarbonProvider(QgsProcessingProvider):
    def id(self):
        return "desertcarbon"

    def name(self):
        return self.tr("Desert Carbon Sink")

    def longName(self):
        return self.tr("Desert Carbon Sink: CO2 flux of shifting sand")

    def icon(self):
        return QIcon(str(ICON))

    def svgIconPath(self):
        return str(ICON)

    def loadAlgorithms(self):
        for algorithm in (FluxSchemeAlgorithm(), TrendAlgorithm(), AggregateAlgorithm()):
            self.addAlgorithm(algorithm)
