"""The plugin object QGIS creates: registers the Processing provider and the menu entries."""
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..processing_provider.provider import ICON, DesertCarbonProvider

MENU = "&Desert Carbon Sink"


class DesertCarbonPlugin:
    """Works with ``iface`` None too: ``qgis_process`` loads the plugin only for its provider."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []

    def tr(self, text):
        return QCoreApplication.translate("DesertCarbon", text)

    def initProcessing(self):  # noqa: N802
        if self.provider is None:
            self.provider = DesertCarbonProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        for algorithm in self.provider.algorithms():
            action = QAction(QIcon(str(ICON)), algorithm.displayName() + "…", self.iface.mainWindow())
            action.setObjectName(f"desertcarbon_{algorithm.name()}")
            action.triggered.connect(lambda _checked=False, aid=algorithm.id(): self.open_dialog(aid))
            self.iface.addPluginToMenu(self.tr(MENU), action)
            self.actions.append(action)

    @staticmethod
    def open_dialog(algorithm_id):
        import processing
        processing.execAlgorithmDialog(algorithm_id)

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu(self.tr(MENU), action)
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
