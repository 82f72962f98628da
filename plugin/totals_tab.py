"""The Drawn totals tab: a polygon drawn on the map, totalled at once over a flux raster with
core.aggregate (the numbers of desertcarbon:aggregate), per year, with its area and mean rate."""
import numpy as np
from qgis.core import Qgis, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from qgis.PyQt.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QLabel, QTableWidget,
                                 QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from ..qgis_layers.enums import LAYER_FILTER_RASTER
from ..core.aggregate import MEAN_ROW
from ..core.errors import InputError
from . import plotting
from .draw_tool import keep_drawn_polygon, scratch_layer, total_drawn_polygon
from .plotting import COLOURS, add_bars, add_plot, decimal_scale

MAX_LABELLED_BARS = 8             # more bars than this and their value labels overlap in a docked tab
MAX_YEAR_TICKS = 8
COLUMNS = (("year", QT_TRANSLATE_NOOP("TotalsTab", "year"), None),
           ("total_PgCO2_a", QT_TRANSLATE_NOOP("TotalsTab", "total\nPg CO₂ a⁻¹"), 1.0),
           ("area_summed_m2", QT_TRANSLATE_NOOP("TotalsTab", "area with flux\nkm²"), 1e-6),
           ("mean_rate_gCO2_m2_a", QT_TRANSLATE_NOOP("TotalsTab", "mean rate\ng CO₂ m⁻² a⁻¹"), 1.0),
           ("area_nodata_m2", QT_TRANSLATE_NOOP("TotalsTab", "area without data\nkm²"), 1e-6))


class TotalsTab(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.result = None                # core.aggregate.AggregateResult of the last polygon
        self.curves = {}
        self.table_rows = None
        self.raster_box = QgsMapLayerComboBox()
        self.raster_box.setFilters(LAYER_FILTER_RASTER)
        self.raster_box.setToolTip(self.tr("Annual flux raster, one band per year (g CO₂ m⁻² a⁻¹), e.g. the "
                                           "output of desertcarbon:fluxscheme"))
        self.draw_button = QToolButton()
        self.draw_button.setText(self.tr("Draw a polygon"))
        row = QHBoxLayout()
        row.addWidget(self.raster_box, 1)
        row.addWidget(self.draw_button)
        form = QFormLayout()
        form.addRow(self.tr("Flux raster"), row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.report(self.tr("Draw a polygon on the map (left click: vertex, right click: close)."))
        self.panel = plotting.PlotPanel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(label) for _, label, _ in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel, 3)
        layout.addWidget(self.table, 1)

    def set_draw_action(self, action):
        self.draw_button.setDefaultAction(action)

    def current_canvas(self):
        return self.panel.surface

    def total(self, geometry, crs=None):
        """Total the chosen raster over ``geometry`` (in ``crs``, default the project CRS), keep the
        polygon in the scratch layer and show the result; returns the AggregateResult or None."""
        crs = crs or QgsProject.instance().crs()
        raster = self.raster_box.currentLayer()
        if raster is None:
            self.show_message(self.tr("Choose a flux raster in the Drawn totals tab first."), Qgis.MessageLevel.Warning)
            return None
        layer = scratch_layer(create=False)
        name = self.tr("drawn {}").format(layer.featureCount() + 1 if layer else 1)
        try:
            result = total_drawn_polygon(geometry, crs, raster, name)
        except InputError as error:
            self.show_message(str(error), Qgis.MessageLevel.Critical)
            return None
        keep_drawn_polygon(geometry, crs, name, raster.name(), result)
        self.show_result(result)
        for warning in result.warnings:
            self.push(warning, Qgis.MessageLevel.Warning)
        return result

    def show_result(self, result):
        self.result = result
        self.table_rows = result.rows()
        polygon = result.polygons[0]
        mean = next(row for row in self.table_rows if row["year"] == MEAN_ROW)
        text = self.tr("{name}: {total:.4g} Pg CO₂ a⁻¹ on average over {years} year(s); polygon {area:,.1f} km², "
                       "{summed:,.1f} km² with flux; mean rate {rate:.4g} g CO₂ m⁻² a⁻¹").format(
            name=polygon.feature_id, total=mean["total_PgCO2_a"], years=len(result.years),
            area=polygon.area_polygon_m2 / 1e6, summed=mean["area_summed_m2"] / 1e6, rate=mean["mean_rate_gCO2_m2_a"])
        self.report("\n".join([text] + result.warnings))
        self.table.setRowCount(len(self.table_rows))
        for r, row in enumerate(self.table_rows):
            for c, (key, _label, scale) in enumerate(COLUMNS):
                value = row[key]
                text = str(value) if scale is None else ("" if value is None or not np.isfinite(value)
                                                         else f"{value * scale:.6g}")
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.draw()

    def draw(self):
        surface = self.panel.renew()
        self.curves = {}
        if self.result is None:
            return
        polygon = self.result.polygons[0]
        years = np.array([float(y) if y.isdigit() else np.nan for y in self.result.years])
        positions = years if np.isfinite(years).all() else np.arange(len(years), dtype=np.float64)
        exponent, prefix = decimal_scale(polygon.total_pg_co2)
        plot = add_plot(surface, 0, 0, self.tr("total"), prefix + "Pg CO₂ a⁻¹",
                        x_label=self.tr("year (band of the flux raster)"),
                        title=self.tr("{}: total per year").format(polygon.feature_id))
        # values on the bars only while they fit side by side; the table below holds them all
        self.curves["total_PgCO2_a"] = add_bars(plot, positions, polygon.total_pg_co2 / 10.0 ** exponent, 0.6,
                                                COLOURS["r1"], digits=3, values=len(positions) <= MAX_LABELLED_BARS)
        every = max(1, -(-len(positions) // MAX_YEAR_TICKS))
        plot.getAxis("bottom").setTicks([[(p, str(y)) for p, y in list(zip(positions, self.result.years))[::every]]])
        plot.addItem(plotting.pg.InfiniteLine(pos=0, angle=0, pen=plotting.pg.mkPen(plotting.FOREGROUND)))

    def report(self, text, error=False):
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b00020;" if error else "")

    def show_message(self, text, level):
        self.report(text, error=level != Qgis.MessageLevel.Info)
        self.push(text, level)

    def push(self, text, level):
        if self.iface is not None:
            self.iface.messageBar().pushMessage(self.tr("Drawn totals"), text, level=level, duration=8)

    def reset(self):
        """Forget the last drawn polygon's totals (Project ▸ New)."""
        self.result = None
        self.table_rows = None
        self.table.setRowCount(0)
        self.report(self.tr("Draw a polygon on the map (left click: vertex, right click: close)."))
        self.draw()

    def state(self):
        layer = self.raster_box.currentLayer()
        return {"raster": layer.id() if layer else ""}

    def restore(self, state):
        layer = QgsProject.instance().mapLayer(state.get("raster", ""))
        if layer is not None:
            self.raster_box.setLayer(layer)
