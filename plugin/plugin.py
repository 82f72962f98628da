"""The plugin object QGIS creates: the Processing provider, the menu entries, and a toolbar with the
dock of plots and the draw-and-total map tool."""
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from .qt_compat import QAction

from ..about import PLUGIN_NAME
from . import batch_results_fix, translation
from .dependencies import is_available, missing_message, missing_packages
from .project_state import read_state

MENU = f"&{PLUGIN_NAME}"
DRAW_ICON = ":/images/themes/default/mActionAddPolygon.svg"
ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "icon.svg"
LOG_TAG = PLUGIN_NAME


class DesertCarbonPlugin:
    """Works with ``iface`` None too: ``qgis_process`` loads the plugin only for its provider."""

    def __init__(self, iface):
        self.iface = iface
        # before the provider: parameter descriptions are translated when the algorithms are made
        self.language = translation.install()
        self.provider = None
        self.actions = []                  # one menu entry per algorithm
        self.toolbar = None
        self.dock = None
        self.dock_action = None
        self.draw_action = None
        self.draw_tool = None

    def tr(self, text):
        return QCoreApplication.translate("DesertCarbonPlugin", text)

    def initProcessing(self):  # noqa: N802
        batch_results_fix.install()          # batch mode of algorithms with HTML outputs on QGIS 3.22
        if self.provider is None and is_available("rasterio"):
            from ..processing_provider.provider import DesertCarbonProvider
            self.provider = DesertCarbonProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)
            # once more now that the provider is registered: the models' steps find their algorithms
            self.provider.refreshAlgorithms()
        elif self.provider is None:
            QgsMessageLog.logMessage(missing_message("rasterio"), LOG_TAG, Qgis.MessageLevel.Warning)

    def report_missing_packages(self):
        """Say in the message bar and the log what is missing, what needs it and how to install it."""
        for package in missing_packages():
            message = missing_message(package)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
            self.iface.messageBar().pushMessage(PLUGIN_NAME, message,
                                                level=Qgis.MessageLevel.Warning, duration=0)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        self.report_missing_packages()
        for algorithm in self.provider.algorithms() if self.provider else []:
            action = QAction(QIcon(str(ICON)), algorithm.displayName() + "…", self.iface.mainWindow())
            action.setObjectName(f"desertcarbon_{algorithm.name()}")
            # the default binds this algorithm's id now, not the last one the loop sees
            action.triggered.connect(lambda _checked=False, aid=algorithm.id(): self.open_dialog(aid))  # noqa: B008
            self.iface.addPluginToMenu(MENU, action)
            self.actions.append(action)

        self.dock_action = QAction(QIcon(str(ICON)), self.tr("Plots: stations, scenarios, drawn totals"),
                                   self.iface.mainWindow())
        self.dock_action.setObjectName("desertcarbon_dock")
        self.dock_action.setCheckable(True)
        self.dock_action.toggled.connect(self.toggle_dock)
        self.draw_action = QAction(QIcon(DRAW_ICON), self.tr("Draw a polygon and total the flux raster over it"),
                                   self.iface.mainWindow())
        self.draw_action.setObjectName("desertcarbon_draw")
        self.draw_action.setCheckable(True)
        self.draw_action.setEnabled(is_available("rasterio"))      # the totals are the aggregate code
        self.draw_action.toggled.connect(self.toggle_draw_tool)
        self.toolbar = self.iface.addToolBar(PLUGIN_NAME)
        self.toolbar.setObjectName("DesertCarbonToolbar")
        for action in (self.dock_action, self.draw_action):
            self.toolbar.addAction(action)
            self.iface.addPluginToMenu(MENU, action)
        project = QgsProject.instance()
        project.readProject.connect(self.restore_project_state)
        project.writeProject.connect(self.save_project_state)
        project.cleared.connect(self.reset_dock)

    @staticmethod
    def open_dialog(algorithm_id):
        import processing
        processing.execAlgorithmDialog(algorithm_id)

    # ---- dock -----------------------------------------------------------------------------------------

    def ensure_dock(self):
        """The dock, made on first use; None (with a message naming the fix) without pyqtgraph."""
        if self.dock is not None:
            return self.dock
        from .dock import DesertCarbonDock, import_pyqtgraph
        if import_pyqtgraph() is None:
            self.iface.messageBar().pushMessage(PLUGIN_NAME, missing_message("pyqtgraph"),
                                                level=Qgis.MessageLevel.Warning, duration=0)
            return None
        self.dock = DesertCarbonDock(self.iface, self.iface.mainWindow())
        if self.dock.totals is not None:
            self.dock.totals.set_draw_action(self.draw_action)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.setToggleVisibilityAction(self.dock_action)     # the action follows the dock's visibility
        return self.dock

    def toggle_dock(self, checked):
        if checked and self.dock is None:
            if self.ensure_dock() is None:
                self.dock_action.setChecked(False)
                return
            self.dock.setUserVisible(True)

    def show_dock(self, tab):
        if self.ensure_dock() is None:
            return None
        self.dock.setUserVisible(True)
        self.dock.show_tab(tab)
        return self.dock

    # ---- draw and total ---------------------------------------------------------------------------------

    def toggle_draw_tool(self, checked):
        canvas = self.iface.mapCanvas()
        if not checked:
            if self.draw_tool is not None and canvas.mapTool() is self.draw_tool:
                canvas.unsetMapTool(self.draw_tool)
            return
        if self.show_dock("totals") is None:
            self.draw_action.setChecked(False)
            return
        if self.draw_tool is None:
            from .draw_tool import PolygonDrawTool
            self.draw_tool = PolygonDrawTool(canvas)
            self.draw_tool.setAction(self.draw_action)        # unchecked when another map tool takes over
            self.draw_tool.finished.connect(self.total_drawn_polygon)
        canvas.setMapTool(self.draw_tool)

    def total_drawn_polygon(self, geometry):
        dock = self.show_dock("totals")
        if dock is not None:
            dock.totals.total(geometry, self.iface.mapCanvas().mapSettings().destinationCrs())

    # ---- project ------------------------------------------------------------------------------------

    def save_project_state(self, _document=None):
        if is_available("rasterio"):        # draw_tool needs it (the totals are core.aggregate's)
            from .draw_tool import save_drawn_polygons
            try:
                save_drawn_polygons()
            except OSError as error:
                self.iface.messageBar().pushMessage(PLUGIN_NAME, str(error), level=Qgis.MessageLevel.Warning,
                                                    duration=0)
        if self.dock is not None:
            self.dock.save_to_project(QgsProject.instance())

    def reset_dock(self):
        """Project ▸ New (and the clearing before a project is opened): nothing of the last project stays."""
        if self.dock is not None:
            self.dock.reset()

    def restore_project_state(self, _document=None):
        project = QgsProject.instance()
        if is_available("rasterio"):
            from .draw_tool import restore_drawn_polygons
            restore_drawn_polygons(project)
        if self.dock is None and read_state(project) is None:
            return
        if self.ensure_dock() is not None and self.dock.restore_from_project(project):
            self.dock.setUserVisible(True)

    def unload(self):
        if self.toolbar is not None:
            self.unload_dock_and_tools()
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        batch_results_fix.uninstall()
        translation.uninstall()

    def unload_dock_and_tools(self):
        project = QgsProject.instance()
        project.readProject.disconnect(self.restore_project_state)
        project.writeProject.disconnect(self.save_project_state)
        project.cleared.disconnect(self.reset_dock)
        if self.draw_tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.draw_tool)
            self.draw_tool.remove_band()
            self.draw_tool = None
        if self.dock is not None:
            self.dock.close_down()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        for action in (self.dock_action, self.draw_action):
            self.iface.removePluginMenu(MENU, action)
            action.deleteLater()
        self.dock_action = self.draw_action = None
        self.toolbar.deleteLater()
        self.toolbar = None
