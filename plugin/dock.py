"""The plugin's dock: Station, Scenario and Drawn totals tabs, and export of what is shown.

pyqtgraph is imported here only, when the dock is first made: QGIS on Windows and macOS often lacks
it, and the Processing algorithms must work without it.
"""
import os
from pathlib import Path

from qgis.core import QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QT_VERSION_STR
from qgis.PyQt.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ..core.output_guard import Input, Output, write_outputs_together
from ..qgis_layers.sources import file_of_source
from .dependencies import is_available
from .plot_data import write_csv
from .project_state import read_state, write_state

TABS = ("station", "scenario", "totals")


def import_pyqtgraph():
    """pyqtgraph on the Qt binding QGIS runs on, or None when it is not installed."""
    # Set before the import: pyqtgraph would otherwise pick the first binding it finds, which may
    # not be the one QGIS runs on (docs/DESIGN.md).
    os.environ["PYQTGRAPH_QT_LIB"] = "PyQt6" if QT_VERSION_STR.startswith("6") else "PyQt5"
    try:
        import pyqtgraph
    except ImportError:
        return None
    return pyqtgraph


class DesertCarbonDock(QgsDockWidget):
    """Make it only after ``import_pyqtgraph`` returned pyqtgraph."""

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        from .scenario_tab import ScenarioTab          # these import pyqtgraph
        from .station_tab import StationTab
        self.setWindowTitle(self.tr("Desert Carbon Sink: stations, scenarios, totals"))
        self.setObjectName("DesertCarbonDock")
        self.station = StationTab(iface)
        self.scenario = ScenarioTab(iface)
        self.totals = None                 # the drawn totals need rasterio; the other tabs do not
        self.tabs = QTabWidget()
        self.tabs.addTab(self.station, self.tr("Station"))
        self.tabs.addTab(self.scenario, self.tr("Scenario"))
        if is_available("rasterio"):
            from .totals_tab import TotalsTab
            self.totals = TotalsTab(iface)
            self.tabs.addTab(self.totals, self.tr("Drawn totals"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for label, suffix in (("PNG…", "png"), ("SVG…", "svg"), ("CSV…", "csv")):
            button = QPushButton(self.tr("Export {}").format(label))
            button.setToolTip(self.tr("Save the plot shown as {}").format(suffix.upper()) if suffix != "csv"
                              else self.tr("Save the data behind the plot shown (full resolution) as CSV"))
            button.clicked.connect(lambda _checked=False, s=suffix: self.ask_and_export(s))
            buttons.addWidget(button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

    def current_tab(self):
        return self.tabs.currentWidget()

    def show_tab(self, name):
        self.tabs.setCurrentIndex(TABS.index(name))

    def export_image(self, path):
        from .plotting import export_image
        kind = "svg" if str(path).lower().endswith(".svg") else "png"
        self._export(path, kind, lambda temporary: export_image(self.current_tab().current_canvas(), temporary))

    def export_csv(self, path):
        rows = self.current_tab().table_rows
        if rows is None:
            raise ValueError(self.tr("The tab shows no plot to export."))
        self._export(path, "csv", lambda temporary: write_csv(rows, temporary))

    def _export(self, path, kind, write):
        """``write`` the export through the output guard: never over a file the dock or the project reads, only
        with its kind's extension, written under a temporary name and moved into place (``core.output_guard``)."""
        path = str(path)
        export = Output("Export", path, kind)
        with write_outputs_together([export], self.input_files()) as transaction:
            write(transaction.temporary(path))

    def input_files(self):
        """The files the project's layers and the station tab read, for the output guard."""
        found = [Input(f"layer {layer.name()}", file_of_source(layer.source()))
                 for layer in QgsProject.instance().mapLayers().values()]
        station = getattr(self.station, "table", None)
        if station is not None and station.kind() == "file" and station.source():
            found.append(Input("the station table", str(station.source())))
        return found

    def ask_and_export(self, suffix):
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export"), f"desert_carbon_plot.{suffix}",
                                                    f"{suffix.upper()} (*.{suffix})")
        if not path:
            return
        if not Path(path).suffix:
            path += f".{suffix}"
        try:
            self.export_csv(path) if suffix == "csv" else self.export_image(path)
        except (OSError, ValueError) as error:
            self.current_tab().report(str(error), error=True)

    def state(self):
        return {"tab": TABS[self.tabs.currentIndex()], "station": self.station.state(),
                "scenario": self.scenario.state(), "totals": self.totals.state() if self.totals else {}}

    def restore(self, state):
        if self.totals is not None:
            self.totals.restore(state.get("totals", {}))
        self.scenario.restore(state.get("scenario", {}))
        self.station.restore(state.get("station", {}))
        self.show_tab(state.get("tab", TABS[0]))

    def save_to_project(self, project):
        write_state(project, self.state())

    def restore_from_project(self, project):
        """Restore what the project saved; False when it saved nothing."""
        state = read_state(project)
        if state is None:
            return False
        self.restore(state)
        return True

    def reset(self):
        """A new project: no table, plot or total of the previous one stays on screen."""
        self.station.reset()
        self.scenario.reset()
        if self.totals is not None:
            self.totals.reset()
        self.show_tab(TABS[0])

    def close_down(self):
        """Let go of the layers watched before the dock is deleted (plugin unload)."""
        self.station.disconnect_layers()
        self.scenario.disconnect_layers()
