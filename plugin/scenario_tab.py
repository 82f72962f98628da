"""The Scenario tab: the output table of desertcarbon:scenario (or any table with its kind of
columns) as baseline and scenario trajectories with uncertainty bands, the cumulative change, and
one curve per polygon, highlighted when the polygon is selected on the map."""
from qgis.core import QgsProject
from qgis.gui import QgsCollapsibleGroupBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                                 QVBoxLayout, QWidget)

from ..qgis_layers.enums import LAYER_FILTER_POLYGON
from ..core.errors import InputError
from ..qgis_layers.tables import layer_columns
from . import plotting
from .plot_data import SCENARIO_ROLES, cumulative_meaning, detect_scenario_columns, scenario_data
from .plotting import COLOURS, CYCLE, add_band, add_curve, add_legend, add_plot
from .table_source import FILE, TableSource, read_csv_columns, stop_watching_selection, watched

NOT_USED = "(none)"
ROLE_LABELS = {"year": "year", "polygon": "polygon id", "baseline": "baseline (Pg CO₂ a⁻¹)",
               "baseline_low": "baseline, low", "baseline_high": "baseline, high",
               "scenario": "scenario (Pg CO₂ a⁻¹)", "scenario_low": "scenario, low", "scenario_high": "scenario, high",
               "cumulative": "cumulative change or gain (Pg CO₂)", "cumulative_low": "cumulative, low",
               "cumulative_high": "cumulative, high", "parameter_low": "scenario, parameters 5 %",
               "parameter_high": "scenario, parameters 95 %", "interannual_sd": "interannual sd (Pg CO₂ a⁻¹)"}
REGION = "__region__"


class ScenarioTab(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.data = None                  # plot_data.ScenarioData
        self.plots, self.curves, self.bands = {}, {}, {}
        self.polygon_curves = {}          # polygon label -> PlotDataItem of the breakdown
        self.highlighted = set()
        self.table_rows = None
        self.linked_layer = None
        self._build()

    def _build(self):
        self.table = TableSource("CSV (*.csv *.txt)")
        self.table.changed.connect(self.refresh_columns)
        box = QgsCollapsibleGroupBox(self.tr("Columns"))
        box.setSaveCollapsedState(False)
        grid = QGridLayout(box)
        self.role_boxes = {}
        for index, role in enumerate(SCENARIO_ROLES):
            combo = QComboBox()
            self.role_boxes[role] = combo
            row, col = divmod(index, 2)
            grid.addWidget(QLabel(ROLE_LABELS[role]), row, 2 * col)
            grid.addWidget(combo, row, 2 * col + 1)
        box.setCollapsed(True)                 # after its widgets are in, or it opens when shown
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(self.open_table)
        self.shown = QComboBox()
        self.shown.setToolTip(self.tr("Trajectories and cumulative change of the region or of one polygon"))
        self.shown.currentIndexChanged.connect(lambda _index: self.draw())
        self.polygon_layer = QgsMapLayerComboBox()
        self.polygon_layer.setFilters(LAYER_FILTER_POLYGON)
        self.polygon_layer.setAllowEmptyLayer(True)
        self.polygon_layer.setLayer(None)
        self.id_field = QgsFieldComboBox()
        self.id_field.setAllowEmptyFieldName(True)
        self.id_field.setToolTip(self.tr("Field whose values are the table's polygon ids (empty = feature id)"))
        self.polygon_layer.layerChanged.connect(self.link_layer)
        self.id_field.fieldChanged.connect(lambda _name: self.highlight_selection())
        link = QHBoxLayout()
        link.addWidget(self.polygon_layer, 2)
        link.addWidget(self.id_field, 1)
        top = QHBoxLayout()
        top.addWidget(self.table, 1)
        top.addWidget(self.open_button)
        form = QFormLayout()
        form.addRow(self.tr("Scenario table"), top)
        form.addRow(self.tr("Polygons on the map"), link)
        form.addRow(self.tr("Shown"), self.shown)
        self.panel = plotting.PlotPanel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.status)
        self.refresh_columns()

    # ---- table and columns --------------------------------------------------------------------------

    def refresh_columns(self):
        """Offer the table's columns in every role box, with the detected one chosen."""
        names = self.table.column_names()
        detected = detect_scenario_columns(names)
        for role, combo in self.role_boxes.items():
            combo.clear()
            combo.addItems([NOT_USED] + names)
            combo.setCurrentText(detected[role] or NOT_USED)

    def roles(self):
        return {role: None if combo.currentText() == NOT_USED else combo.currentText()
                for role, combo in self.role_boxes.items()}

    def set_roles(self, roles):
        for role, combo in self.role_boxes.items():
            name = roles.get(role) or NOT_USED
            if combo.findText(name) < 0:
                combo.addItem(name)
            combo.setCurrentText(name)

    def read_columns(self):
        if self.table.kind() == FILE:
            return read_csv_columns(self.table.source())
        return layer_columns(self.table.layer())

    def open_table(self):
        if not self.table.source():
            self.report(self.tr("Choose a scenario table first."), error=True)
            return False
        try:
            self.data = scenario_data(self.read_columns(), self.roles())
        except (InputError, OSError) as error:
            self.data = None
            self.report(str(error), error=True)
            self.draw()
            return False
        self.shown.blockSignals(True)
        self.shown.clear()
        self.shown.addItem(self.region_name(), REGION)
        for label in self.data.polygons:
            self.shown.addItem(label, label)
        self.shown.blockSignals(False)
        self.report(self.tr("{}: {} polygon(s), years {:g} to {:g}; columns: {}").format(
            self.table.label(), len(self.data.polygons), self.data.years[0], self.data.years[-1],
            ", ".join(f"{role} = {name}" for role, name in self.data.roles.items() if name)))
        self.draw()
        return True

    def report(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    # ---- drawing ------------------------------------------------------------------------------------

    def current_canvas(self):
        return self.panel.surface

    def region_name(self):
        label = self.data.region_label
        return self.tr("region") if label == "region" else self.tr("region ({})").format(label)

    def shown_series(self):
        key = self.shown.currentData()
        if key in (None, REGION):
            return self.region_name(), self.data.region
        return key, self.data.polygons[key]

    def draw(self):
        surface = self.panel.renew()
        self.plots, self.curves, self.bands, self.polygon_curves = {}, {}, {}, {}
        self.table_rows = None
        if self.data is None:
            return
        roles = self.data.roles
        label, series = self.shown_series()
        plot = add_plot(surface, 0, 0, self.tr("total flux"), "Pg CO₂ a⁻¹",
                        title=self.tr("{}: baseline and scenario (negative = uptake)").format(label))
        legend = add_legend(plot, columns=4, corner="bottom")      # trajectories fall to the right
        for role, name, style in (("baseline", self.tr("baseline"), Qt.PenStyle.DashLine),
                                  ("scenario", self.tr("scenario"), Qt.PenStyle.SolidLine)):
            self._band(plot, role, series, legend, self.tr("{} range").format(name))
            if roles.get(role):
                self.curves[role] = add_curve(plot, self.data.years, series[role], name, COLOURS[role], width=2.0,
                                              style=style)
        self._uncertainty_bands(plot, series, legend)
        self.plots["trajectories"] = plot
        if roles.get("cumulative"):
            plot = add_plot(surface, 1, 0, self.tr("cumulative"), "Pg CO₂",
                            title=self.tr("{}: cumulative {}").format(label, cumulative_meaning(roles["cumulative"])))
            legend = add_legend(plot, columns=2)
            self._band(plot, "cumulative", series, legend, self.tr("range"))
            self.curves["cumulative"] = add_curve(plot, self.data.years, series["cumulative"], roles["cumulative"],
                                                  COLOURS["gain"], width=2.0)
            self.plots["cumulative"] = plot
        if self.data.polygons:
            self.draw_breakdown(surface, len(self.plots))
        for plot in list(self.plots.values())[1:]:
            plot.setXLink(self.plots["trajectories"])
        list(self.plots.values())[-1].setLabel("bottom", self.tr("year"), color=plotting.FOREGROUND, size="8pt")
        self.table_rows = self.data.table()
        self.highlight_selection()

    def _uncertainty_bands(self, plot, series, legend):
        """The scenario's parameter band (ensemble 5–95 %) and its ± interannual sd, when the table has them."""
        roles = self.data.roles
        if roles.get("parameter_low") and roles.get("parameter_high"):
            self.bands["parameter"] = add_band(plot, self.data.years, series["parameter_low"],
                                               series["parameter_high"], COLOURS["parameter"], alpha=70)
            legend.addItem(self.bands["parameter"], self.tr("scenario: parameters 5–95 %"))
        if roles.get("interannual_sd") and roles.get("scenario"):
            sd = series["interannual_sd"]
            self.bands["interannual"] = add_band(plot, self.data.years, series["scenario"] - sd,
                                                 series["scenario"] + sd, COLOURS["interannual"], alpha=45)
            legend.addItem(self.bands["interannual"], self.tr("scenario ± interannual sd"))

    def _band(self, plot, role, series, legend, name):
        """The low-high band of ``role`` when the table has both edges."""
        if self.data.roles.get(f"{role}_low") and self.data.roles.get(f"{role}_high"):
            band = add_band(plot, self.data.years, series[f"{role}_low"], series[f"{role}_high"],
                            COLOURS["gain" if role == "cumulative" else role])
            self.bands[role] = band
            legend.addItem(band, name)

    def draw_breakdown(self, surface, row):
        """One curve per polygon: its cumulative change (or gain) when the table has one, else its scenario."""
        role = "cumulative" if self.data.roles.get("cumulative") else "scenario"
        unit = "Pg CO₂" if role == "cumulative" else "Pg CO₂ a⁻¹"
        plot = add_plot(surface, row, 0, self.tr("per polygon"), unit,
                        title=self.tr("per polygon: {} (selected on the map: red)").format(self.data.roles[role]))
        if len(self.data.polygons) <= len(CYCLE):       # beyond, a legend would hide the curves
            add_legend(plot, columns=4)
        for index, (label, series) in enumerate(self.data.polygons.items()):
            self.polygon_curves[label] = add_curve(plot, self.data.years, series[role], label,
                                                   CYCLE[index % len(CYCLE)], width=1.2)
        self.plots["polygons"] = plot

    # ---- polygons on the map ------------------------------------------------------------------------

    def link_layer(self, layer):
        self.disconnect_layers()
        self.id_field.setLayer(layer)
        if layer is not None:
            layer.selectionChanged.connect(self.highlight_selection)
            self.linked_layer = layer
        self.highlight_selection()

    def disconnect_layers(self):
        self.linked_layer = stop_watching_selection(self.linked_layer, self.highlight_selection)

    def selected_ids(self):
        layer = watched(self.linked_layer)
        if layer is None:
            return set()
        field = self.id_field.currentField()
        return {str(f[field]) if field else str(f.id()) for f in layer.selectedFeatures()}

    def highlight_selection(self, *_signal_arguments):
        self.highlight(self.selected_ids())

    def highlight(self, labels):
        """Draw the curves of ``labels`` thick and red, above the others."""
        self.highlighted = {label for label in labels if label in self.polygon_curves}
        for index, (label, item) in enumerate(self.polygon_curves.items()):
            chosen = label in self.highlighted
            item.setPen(plotting.pg.mkPen(COLOURS["highlight"] if chosen else CYCLE[index % len(CYCLE)],
                                          width=3.2 if chosen else 1.2))
            item.setZValue(10 if chosen else 0)

    # ---- state --------------------------------------------------------------------------------------

    def reset(self):
        """Forget the scenario table (Project ▸ New)."""
        self.table.set_source(FILE, "")
        self.data = None
        self.shown.blockSignals(True)
        self.shown.clear()
        self.shown.blockSignals(False)
        self.report("")
        self.draw()

    def state(self):
        layer = self.polygon_layer.currentLayer()
        return {"kind": self.table.kind(), "source": self.table.source(), "columns": self.roles(),
                "shown": self.shown.currentData(), "polygon_layer": layer.id() if layer else "",
                "id_field": self.id_field.currentField()}

    def restore(self, state):
        self.table.set_source(state.get("kind", FILE), state.get("source", ""))
        self.set_roles(state.get("columns", {}))
        layer = QgsProject.instance().mapLayer(state.get("polygon_layer", ""))
        self.polygon_layer.setLayer(layer)
        self.id_field.setField(state.get("id_field", ""))
        if self.table.source() and self.open_table():
            index = self.shown.findData(state.get("shown"))
            self.shown.setCurrentIndex(max(index, 0))
