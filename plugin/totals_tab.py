"""The Drawn totals tab: a polygon drawn on the map, totalled at once over a flux raster with
core.aggregate (the numbers of desertcarbon:aggregate), per year, with its area and mean rate, and with an
ensemble folder the parameter band next to the interannual one."""
import numpy as np
from qgis.core import Qgis, QgsProject
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from qgis.PyQt.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QLabel, QTableWidget,
                                 QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from ..qgis_layers.enums import LAYER_FILTER_RASTER
from ..core.aggregate import MEAN_ROW
from ..core.ensemble_files import member_rasters
from ..core.errors import InputError
from . import plotting
from .draw_tool import keep_drawn_polygon, scratch_layer, total_drawn_polygon
from .plot_data import totals_bands
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
        self.bands = None                 # plot_data.TotalsBands of that result
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
        self.ensemble_folder = QgsFileWidget()
        self.ensemble_folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.ensemble_folder.lineEdit().setPlaceholderText(self.tr("none: no parameter uncertainty"))
        self.ensemble_folder.setToolTip(self.tr("Folder of annual-sum rasters, one per parameter set (fluxscheme's "
                                                "OUTPUT_ENSEMBLE): their spread is the parameter uncertainty"))
        form = QFormLayout()
        form.addRow(self.tr("Flux raster"), row)
        form.addRow(self.tr("Ensemble folder"), self.ensemble_folder)
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
            folder = self.ensemble_folder.filePath()
            members = member_rasters(folder, self.tr("Ensemble folder")) if folder else ()
            result = total_drawn_polygon(geometry, crs, raster, name, ensemble=members)
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
        self.bands = totals_bands(result)
        self.report("\n".join([text, self.bands.headline] + result.warnings))
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
        self._uncertainty(plot, positions, exponent)

    def _uncertainty(self, plot, positions, exponent):
        """Each year's parameter 5–95 % as an error bar; the mean ± interannual sd and ± combined as bands."""
        bands, scale = self.bands, 10.0 ** exponent
        legend = plotting.add_legend(plot, columns=2, corner="bottom")
        if np.isfinite(bands.parameter_low).any():
            errors = plotting.pg.ErrorBarItem(x=positions, y=bands.total / scale,
                                              top=(bands.parameter_high - bands.total) / scale,
                                              bottom=(bands.total - bands.parameter_low) / scale, beam=0.25,
                                              pen=plotting.pg.mkPen(COLOURS["parameter"], width=2))
            plot.addItem(errors)
            self.curves["parameter"] = errors
            legend.addItem(plotting.add_curve(plot, [], [], "", COLOURS["parameter"], width=2.0),
                           self.tr("parameters 5–95 %"))
        x = np.array([positions[0] - 0.5, positions[-1] + 0.5])
        for key, sd, label in (("interannual", bands.interannual_sd, self.tr("mean ± interannual sd")),
                               ("combined", bands.combined, self.tr("mean ± combined"))):
            if np.isfinite(sd):
                band = plotting.add_band(plot, x, np.full(2, (bands.mean - sd) / scale),
                                         np.full(2, (bands.mean + sd) / scale),
                                         COLOURS["interannual" if key == "interannual" else "parameter"], alpha=40)
                self.curves[key] = band
                legend.addItem(band, label)

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
        self.result = self.bands = None
        self.table_rows = None
        self.table.setRowCount(0)
        self.report(self.tr("Draw a polygon on the map (left click: vertex, right click: close)."))
        self.draw()

    def state(self):
        layer = self.raster_box.currentLayer()
        return {"raster": layer.id() if layer else "", "ensemble_folder": self.ensemble_folder.filePath()}

    def restore(self, state):
        self.ensemble_folder.setFilePath(state.get("ensemble_folder", ""))
        layer = QgsProject.instance().mapLayer(state.get("raster", ""))
        if layer is not None:
            self.raster_box.setLayer(layer)
