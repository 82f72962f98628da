"""The Station tab: a station table read with ``core.stations``, the scheme run on it with a
parameter file, plotted three ways (time series, mean diel cycle per month, annual totals), and
calibrated in the background with desertcarbon:calibrate."""
import math
from pathlib import Path

from qgis.core import Qgis
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.gui import QgsCollapsibleGroupBox, QgsFileWidget
from qgis.PyQt.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                                 QProgressBar, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout, QWidget)

from ..core.calibration import DEFAULT_BOOTSTRAP
from ..core.errors import InputError
from ..core.parameters import load_parameters
from ..core.stations import (CANONICAL_UNITS, FORMAT_DEFAULT, LEAVE_OUT, QUANTITY, choices_from_mapping,
                             mapping_from_choices, read_station_columns, read_station_csv)
from ..qgis_layers.station_choices import FLUX_UNIT_CHOICES, STEP_CHOICES, reading_options
from ..qgis_layers.tables import layer_columns
from . import calibration_task, plotting
from .calibration_task import CalibrationTask, calibrate_algorithm, calibration_parameters
from .plot_data import LABEL_UNITS, STEPS, annual_totals, diel_cycles, robust_y_range, station_plot_data
from .plotting import COLOURS, add_bands, add_bars, add_curve, add_legend, add_plot, add_threshold, legend_row
from .station_layer import StationLayer
from .table_source import FILE, TableSource

VIEWS = ("time series", "diel cycle per month", "annual totals")
DIEL_COLUMNS = 4
MAPPING_COLUMNS = 3
MIN_ROW_HEIGHT = 120                  # px of a driver's plot: its two-line axis label fits, not clipped
FLUX_STRETCH, CUMULATIVE_STRETCH = 2.2, 1.4     # heights relative to a driver's plot
LEGEND_AND_AXIS_HEIGHT = 110
DRIVER_NAMES = {"t0": "T0", "t10": "T10", "theta10": "θ10"}
# the regime bands' legend names (plot_data's keys) and the views, for translators
REGIME_LABELS = (QT_TRANSLATE_NOOP("StationTab", "uptake season"),
                 QT_TRANSLATE_NOOP("StationTab", "moisture-activated"))
VIEW_LABELS = (QT_TRANSLATE_NOOP("StationTab", "time series"), QT_TRANSLATE_NOOP("StationTab", "diel cycle per month"),
               QT_TRANSLATE_NOOP("StationTab", "annual totals"), QT_TRANSLATE_NOOP("StationTab", "as read"),
               QT_TRANSLATE_NOOP("StationTab", "hourly"), QT_TRANSLATE_NOOP("StationTab", "daily"))


class StationTab(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.series = None
        self.plot_data = None
        self.plots, self.curves, self.thresholds, self.bands = {}, {}, {}, {}
        self.legend_entries = []          # (item, name) of the time series' legend
        self.table_rows = None            # CSV table of the current view
        self.view_note = ""               # what the current view leaves out
        self.summary = ("", False)        # the status line's last report
        self.calibration = None           # the CalibrationTask while one runs
        self.station_layer = StationLayer(self.open_selected_station)
        self._build()

    # ---- layout -------------------------------------------------------------------------------------

    def _build(self):
        self.table = TableSource("CSV (*.csv *.txt)")
        self.table.changed.connect(self.refresh_columns)
        self.parameter_file = QgsFileWidget()
        self.parameter_file.setFilter("JSON (*.json)")
        self.parameter_file.lineEdit().setPlaceholderText(self.tr("bundled defaults"))
        self.parameter_file.fileChanged.connect(lambda _path: self.recompute())

        mapping_box = QgsCollapsibleGroupBox(self.tr("Columns and reading"))
        mapping_box.setSaveCollapsedState(False)
        grid = QGridLayout(mapping_box)
        self.time_column = QComboBox()
        self.mapping_boxes = {canonical: QComboBox() for canonical in CANONICAL_UNITS}
        self.port = QComboBox()
        self.port.setEditable(True)
        self.port.addItem("mean")
        self.reading_step = QComboBox()
        for text, _value in STEP_CHOICES:
            self.reading_step.addItem(QCoreApplication.translate("DesertCarbonAlgorithm", text))
        self.flux_unit = QComboBox()
        for text, _value in FLUX_UNIT_CHOICES:
            self.flux_unit.addItem(QCoreApplication.translate("DesertCarbonAlgorithm", text))
        self.step = QComboBox()
        for label in STEPS:
            self.step.addItem(self.tr(label), label)
        self.step.currentIndexChanged.connect(lambda _index: self.recompute())
        self.bootstrap = QSpinBox()
        self.bootstrap.setRange(0, 5000)
        self.bootstrap.setValue(DEFAULT_BOOTSTRAP)
        fields = [("time", self.time_column, self.tr("time column (start of each step)"))]
        fields += [(canonical, box, f"{QUANTITY[canonical]}, {CANONICAL_UNITS[canonical]}")
                   for canonical, box in self.mapping_boxes.items()]
        fields += [(self.tr("ports"), self.port, self.tr("COSORE chamber ports to average: numbers and ranges such as "
                                                          "1-4 or 1,3, or mean for all ports (as PORTS)")),
                   (self.tr("reading step"), self.reading_step,
                    self.tr("step to average irregular samples into, e.g. a chamber's own cycle (as STEP)")),
                   (self.tr("flux unit"), self.flux_unit, self.tr("unit of the CO2 flux column (as FLUX_UNIT)")),
                   (self.tr("step"), self.step, self.tr("average to hourly or daily steps before plotting")),
                   (self.tr("bootstrap"), self.bootstrap, self.tr("bootstrap replicates of the calibration"))]
        for index, (label, widget, tip) in enumerate(fields):
            row, col = divmod(index, MAPPING_COLUMNS)
            text = QLabel(label)
            for item in (text, widget):
                item.setToolTip(tip)
            grid.addWidget(text, row, 2 * col)
            grid.addWidget(widget, row, 2 * col + 1)
            grid.setColumnStretch(2 * col + 1, 1)
        mapping_box.setCollapsed(True)         # after its widgets are in, or it opens when shown
        self.refresh_columns()

        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(self.open_station)
        self.calibrate_button = QPushButton(self.tr("Calibrate…"))
        self.calibrate_button.setToolTip(self.tr("Fit the scheme to this table with desertcarbon:calibrate "
                                                 "in the background, then plot the fitted model"))
        self.calibrate_button.clicked.connect(lambda: self.start_calibration())
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_calibration)
        buttons = QHBoxLayout()
        for widget in (self.open_button, self.calibrate_button, self.progress, self.cancel_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)

        self.view = QComboBox()
        for label in VIEWS:
            self.view.addItem(self.tr(label), label)
        self.view.currentIndexChanged.connect(self.show_view)
        self.stacked = QCheckBox(self.tr("stack R1, R2, R3"))
        self.stacked.toggled.connect(lambda _on: self.draw())
        view_row = QHBoxLayout()
        view_row.addWidget(QLabel(self.tr("View")))
        view_row.addWidget(self.view)
        view_row.addWidget(self.stacked)
        view_row.addStretch(1)
        buttons.addLayout(view_row)

        form = QFormLayout()
        form.addRow(self.tr("Station table"), self.table)
        form.addRow(self.tr("Parameter file"), self.parameter_file)
        self.panels = {name: plotting.PlotPanel() for name in VIEWS}
        self.pages = QStackedWidget()
        for name in VIEWS:
            self.pages.addWidget(self.panels[name])
        self.status = plotting.status_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(mapping_box)
        layout.addLayout(buttons)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)

    def refresh_columns(self):
        """Fill the mapping boxes with the table's columns, keeping what was chosen where possible.

        Each entry's data is what it means: FORMAT_DEFAULT (the reader's choice), LEAVE_OUT, or a column.
        """
        names = self.table.column_names()
        default = (self.tr("(format default)"), FORMAT_DEFAULT)
        boxes = [(self.time_column, (default,))]
        boxes += [(box, (default, (self.tr("(none)"), LEAVE_OUT))) for box in self.mapping_boxes.values()]
        for box, special in boxes:
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            for text, data in list(special) + [(name, name) for name in names]:
                box.addItem(text, data)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            box.blockSignals(False)

    # ---- reading options and state ------------------------------------------------------------------

    def mapping(self):
        """The caller mapping for the reader: only what differs from the format's default."""
        return mapping_from_choices({canonical: box.currentData() for canonical, box in self.mapping_boxes.items()})

    def time_column_choice(self):
        time_column = self.time_column.currentData()
        return None if time_column == FORMAT_DEFAULT else time_column

    def reader_options(self):
        """The reader's options; an InputError (shown in the status line) when the ports text is not ports."""
        return {"mapping": self.mapping(), "time_column": self.time_column_choice(),
                **reading_options(self.reading_step.currentIndex(), self.flux_unit.currentIndex(),
                                  self.port.currentText(), self.tr("ports"), self.tr("reading step")),
                "required": ("fc",)}

    def set_mapping(self, mapping, time_column=None, port="mean"):
        self.refresh_columns()
        choices = choices_from_mapping(mapping)
        boxes = [(box, choices[canonical]) for canonical, box in self.mapping_boxes.items()]
        for box, data in boxes + [(self.time_column, time_column or FORMAT_DEFAULT)]:
            if box.findData(data) < 0:
                box.addItem(data, data)    # a column of a table not at hand now: kept, the reader will say
            box.setCurrentIndex(box.findData(data))
        self.port.setCurrentText(str(port))

    def state(self):
        return {"kind": self.table.kind(), "source": self.table.source(), "mapping": self.mapping(),
                "time_column": self.time_column_choice(), "port": self.port.currentText().strip() or "mean",
                "reading_step": self.reading_step.currentIndex(), "flux_unit": self.flux_unit.currentIndex(),
                "step": self.step.currentData(), "parameters": self.parameter_file.filePath(),
                "view": self.view.currentData(), "stacked": self.stacked.isChecked(),
                "bootstrap": self.bootstrap.value()}

    def restore(self, state):
        """Apply a saved state and open its table (nothing is opened when it has no source)."""
        widgets = (self.step, self.parameter_file, self.view, self.stacked)
        for widget in widgets:
            widget.blockSignals(True)
        self.table.set_source(state.get("kind", FILE), state.get("source", ""))
        self.set_mapping(state.get("mapping", {}), state.get("time_column"), state.get("port", "mean"))
        self.reading_step.setCurrentIndex(int(state.get("reading_step", 0)))
        self.flux_unit.setCurrentIndex(int(state.get("flux_unit", 0)))
        self.step.setCurrentIndex(max(self.step.findData(state.get("step", "as read")), 0))
        self.parameter_file.setFilePath(state.get("parameters", ""))
        self.view.setCurrentIndex(max(self.view.findData(state.get("view", VIEWS[0])), 0))
        self.pages.setCurrentIndex(self.view.currentIndex())
        self.stacked.setChecked(bool(state.get("stacked", False)))
        self.stacked.setEnabled(self.view.currentData() == "time series")
        self.bootstrap.setValue(int(state.get("bootstrap", DEFAULT_BOOTSTRAP)))
        for widget in widgets:
            widget.blockSignals(False)
        if self.table.source():
            self.open_station()

    # ---- reading and computing ----------------------------------------------------------------------

    def read_series(self):
        options = self.reader_options()
        if self.table.kind() == FILE:
            return read_station_csv(self.table.source(), **options)
        layer = self.table.layer()
        return read_station_columns(layer_columns(layer), f"layer {layer.name()} ({layer.source()})", **options)

    def parameters(self):
        return load_parameters(self.parameter_file.filePath() or None)

    def open_station(self):
        """Read the table with the chosen mapping, compute and draw; errors go to the status line."""
        if not self.table.source():
            self.report(self.tr("Choose a station table first."), error=True)
            return False
        try:
            self.series = self.read_series()
        except InputError as error:
            self.series = self.plot_data = None
            self.report(str(error), error=True)
            self.draw()
            return False
        self.show_reader_choices()
        self.station_layer.show(self.series, self.state())
        return self.recompute()

    def show_reader_choices(self):
        """Name the reader's own choice in each '(format default)' entry, so the user can confirm it."""
        for canonical, box in self.mapping_boxes.items():
            provenance = self.series.provenance.get(canonical)
            chosen = " + ".join(provenance.sources) if provenance and provenance.sources else self.tr("absent")
            box.setItemText(0, self.tr("(format default)") + f" {chosen}")
            box.setToolTip(provenance.describe() if provenance else "")

    def recompute(self):
        if self.series is None:
            return False
        try:
            params = self.parameters()
            self.plot_data = station_plot_data(self.series, params, STEPS[self.step.currentData()])
        except InputError as error:
            self.plot_data = None
            self.report(str(error), error=True)
            self.draw()
            return False
        d, s = self.plot_data, self.series
        name = " ".join(part for part in (s.station_id, s.station_name and f"({s.station_name})") if part)
        lines = [self.tr("{station}: {steps} steps of {step} s, {first} to {last}; parameters: {name} ({file})").format(
            station=name or s.source, steps=d.times.size, step=d.step, first=s.report.first_time,
            last=s.report.last_time, name=params.name, file=self.parameter_file.filePath() or self.tr("bundled"))]
        not_run = self.model_not_run(d)
        lines += [not_run] if not_run else []
        lines += [self.tr("Note: {}").format(note) for note in d.notes]
        self.report("\n".join(lines), error=bool(not_run))
        self.status.setToolTip(s.summary())
        self.draw()
        return True

    def model_not_run(self, data):
        """Why the model is not drawn, in the dock's terms (the columns to choose), or "" when it is."""
        if data.missing_drivers:
            names = ", ".join(DRIVER_NAMES[name] for name in data.missing_drivers)
            return self.tr("Model not run: the table has no {names}. Choose the column under “Columns and reading” "
                           "(a table with one soil temperature can give it as both T0 and T10: then ΔT = 0 and k1 "
                           "keeps its starting value).").format(names=names)
        return self.tr("Model not run: {}").format(data.model_note) if data.model_note else ""

    def report(self, text, error=False):
        self.summary = (text, error)
        self._show_status()

    def _show_status(self):
        """The status line: the last report and what the current view leaves out."""
        text, error = self.summary
        self.status.setText("\n".join(part for part in (text, self.view_note) if part))
        self.status.setStyleSheet("color: #b00020;" if error else "")

    # ---- drawing ------------------------------------------------------------------------------------

    def show_view(self, index):
        self.pages.setCurrentIndex(index)
        self.stacked.setEnabled(self.view.currentData() == "time series")
        self.draw()

    def current_canvas(self):
        return self.panels[self.view.currentData()].surface

    def draw(self):
        self.plots, self.curves, self.thresholds, self.bands = {}, {}, {}, {}
        self.table_rows = None
        self.view_note = ""
        view = self.view.currentData()
        surface = self.panels[view].renew(self.min_height(view))
        if self.plot_data is not None:
            {"time series": self.draw_time_series, "diel cycle per month": self.draw_diel_cycles,
             "annual totals": self.draw_annual_totals}[view](surface)
        self._show_status()

    def min_height(self, view):
        """Height below which the view scrolls instead of squeezing its axis labels."""
        if self.plot_data is None or view == "annual totals":
            return 0
        if view == "time series":
            rows = self.plot_data.driver_rows
            return int(MIN_ROW_HEIGHT * (FLUX_STRETCH + rows + CUMULATIVE_STRETCH) + LEGEND_AND_AXIS_HEIGHT)
        return int(MIN_ROW_HEIGHT * 1.6 * math.ceil(self.plot_data.month_count / DIEL_COLUMNS))

    def draw_time_series(self, surface):
        """Flux, drivers and cumulative sums in rows with linked time axes, one legend above them."""
        d = self.plot_data
        self.legend_entries = []
        self._draw_flux(surface)
        self._draw_drivers(surface)
        plot = self._plot(surface, "cumulative", self.tr("Σ flux"), LABEL_UNITS["cumulative"],
                          stretch=CUMULATIVE_STRETCH)
        for key, label in (("cumulative_observed", self.tr("Σ observed (common steps)")),
                           ("cumulative_modelled", self.tr("Σ modelled (common steps)"))):
            if key in d.cumulative:
                self._curve(plot, key, d.cumulative[key], label, COLOURS[key], width=1.6)
        clock = (self.tr("table clock") if self.series.utc_offset_hours is None
                 else self.tr("local standard time, UTC{:+g} h").format(self.series.utc_offset_hours))
        plot.setLabel("bottom", self.tr("time ({})").format(clock), color=plotting.FOREGROUND, size="8pt")
        plot.showAxis("bottom")
        legend_row(surface, self.legend_entries, columns=5)
        self.table_rows = d.time_series_table()

    def _draw_flux(self, surface):
        """Observed and modelled flux (components side by side or stacked) over the regime bands."""
        d = self.plot_data
        flux = self._plot(surface, "flux", self.tr("CO₂ flux"), LABEL_UNITS["flux"], stretch=FLUX_STRETCH)
        for name, intervals in d.regimes.items():
            self.bands[name] = add_bands(flux, intervals, COLOURS[name])
            self.legend_entries.append((self.bands[name], self.tr(name)))
        c = d.components
        if c and self.stacked.isChecked():
            # painted back to front, each fill from zero: the visible part of a fill is what its
            # component adds to the stack (exact where the components share a sign)
            for key, label, values, colour in (("rs", "R3", c["rs"], COLOURS["r3"]),
                                               ("r1+r2", "R2", c["r1"] + c["r2"], COLOURS["r2"]),
                                               ("r1", "R1", c["r1"], COLOURS["r1"])):
                self._curve(flux, key, values, self.tr("{} (stacked)").format(label), colour, width=0.8,
                            fill_level=0.0, fill=colour)
        elif c:
            for key, label in (("r1", self.tr("R1 heat-driven")), ("r2", self.tr("R2 moisture")),
                               ("r3", self.tr("R3 soil properties"))):
                self._curve(flux, key, c[key], label, COLOURS[key], width=1.0)
        self._curve(flux, "fc", d.observed, self.tr("observed Fc"), COLOURS["fc"], width=1.0)
        if c:
            self._curve(flux, "rs", c["rs"], self.tr("modelled Rs"), COLOURS["rs"], width=1.6)
        y_range = robust_y_range([d.observed] + list(c.values()))
        if y_range is not None:          # the plot's auto-range button still shows everything
            flux.setYRange(*y_range, padding=0.05)

    def _draw_drivers(self, surface):
        """A row per driver, with the thresholds of the scheme that concern it."""
        drivers, thresholds = self.plot_data.drivers, self.plot_data.thresholds
        if "t0" in drivers or "t10" in drivers:
            plot = self._plot(surface, "temperature", "T", LABEL_UNITS["temperature"])
            for key, label in (("t0", "T0"), ("t10", "T10")):
                if key in drivers:
                    self._curve(plot, key, drivers[key], label, COLOURS[key])
        if "delta_t" in drivers:
            plot = self._plot(surface, "delta_t", "ΔT", LABEL_UNITS["delta_t"])
            self._curve(plot, "delta_t", drivers["delta_t"], "ΔT = T0 − T10", COLOURS["delta_t"])
            self.thresholds["delta_t0"] = add_threshold(plot, thresholds["delta_t0"],
                                                        f"ΔT0 = {thresholds['delta_t0']:g} K")
            if thresholds["regime_delta_t"] != thresholds["delta_t0"]:
                self.thresholds["regime_delta_t"] = add_threshold(
                    plot, thresholds["regime_delta_t"],
                    self.tr("uptake season below {:g} K").format(thresholds["regime_delta_t"]))
        if "theta10" in drivers:
            plot = self._plot(surface, "theta10", "θ10", LABEL_UNITS["theta10"])
            self._curve(plot, "theta10", drivers["theta10"], "θ10", COLOURS["theta10"])
            self.thresholds["theta_c"] = add_threshold(plot, thresholds["theta_c"],
                                                       f"θc = {thresholds['theta_c']:g} m³ m⁻³")
        if "rn" in drivers:
            plot = self._plot(surface, "rn", "Rn", LABEL_UNITS["rn"])
            self._curve(plot, "rn", drivers["rn"], "Rn", COLOURS["rn"])
            self.thresholds["regime_rn"] = add_threshold(plot, thresholds["regime_rn"],
                                                         f"Rn = {thresholds['regime_rn']:g} W m⁻²")
        if "p" in drivers:
            plot = self._plot(surface, "p", self.tr("rain"), LABEL_UNITS["p"])
            self._curve(plot, "p", drivers["p"], self.tr("rain"), COLOURS["p"], fill_level=0.0, fill=COLOURS["p"])

    def _plot(self, surface, name, quantity, unit, stretch=1.0):
        """A row of the time-series stack: x linked to the flux plot, time labels on the last row only."""
        row = len(self.plots) + 1             # row 0 holds the legend
        plot = add_plot(surface, row, 0, quantity, unit, time_axis=True)
        surface.ci.layout.setRowStretchFactor(row, int(10 * stretch))
        if self.plots:
            plot.setXLink(self.plots["flux"])
            for previous in self.plots.values():
                previous.hideAxis("bottom")
        self.plots[name] = plot
        return plot

    def _curve(self, plot, key, values, label, colour, width=1.0, **style):
        self.curves[key] = add_curve(plot, self.plot_data.times, values, label, colour, width=width, **style)
        self.legend_entries.append((self.curves[key], label))

    def draw_diel_cycles(self, surface):
        """The review's Fig. 6 kind of plot: mean diel cycle of each month, observed and modelled."""
        try:
            cycles = diel_cycles(self.plot_data)
        except InputError as error:
            self.view_note = str(error)
            return
        complete = cycles.complete()
        left_out = len(cycles.months) - len(complete)
        if left_out:
            self.view_note = self.tr("Diel cycles: {} month(s) without a value in every hour of the day are not "
                                     "drawn (they are in the CSV).").format(left_out)
        if not complete:
            return
        rows = math.ceil(len(complete) / DIEL_COLUMNS)
        hours = cycles.centres
        for col in range(DIEL_COLUMNS):
            surface.ci.layout.setColumnStretchFactor(col, 1)
        low, high = cycles.value_range(complete)
        for n, i in enumerate(complete):
            row, col = divmod(n, DIEL_COLUMNS)
            year, month = cycles.months[i].split("-")
            plot = add_plot(surface, row + 1, col, self.tr("flux") if col == 0 else "",
                            LABEL_UNITS["flux"] if col == 0 else "",
                            x_label=self.tr("hour of day") if row == rows - 1 else None,
                            title=f"{year}-{month}")
            surface.ci.layout.setRowStretchFactor(row + 1, 10)
            plot.getAxis("bottom").setTicks([[(h, str(h)) for h in (0, 6, 12, 18, 24)]])
            plot.setXRange(0, 24, padding=0.02)
            key = cycles.months[i]
            self.curves[f"observed {key}"] = add_curve(plot, hours, cycles.observed[i], self.tr("observed Fc"),
                                                       COLOURS["fc"], width=1.2, symbol="o")
            if self.plot_data.modelled is not None:
                self.curves[f"modelled {key}"] = add_curve(plot, hours, cycles.modelled[i], self.tr("modelled Rs"),
                                                           COLOURS["rs"], width=1.6)
            if self.plots:
                plot.setYLink(next(iter(self.plots.values())))
            else:                   # one range for all months, so that their cycles compare at a glance
                plot.setYRange(low, high, padding=0.05)
            self.plots[key] = plot
        first = cycles.months[complete[0]]
        names = ({"observed": self.tr("observed, mean of each half-hour"),
                  "modelled": self.tr("modelled, mean of each half-hour")} if self.plot_data.step == 1800 else
                 {"observed": self.tr("observed, mean of each hour"),
                  "modelled": self.tr("modelled, mean of each hour")})
        legend_row(surface, [(self.curves[f"{label} {first}"], names[label])
                             for label in ("observed", "modelled") if f"{label} {first}" in self.curves],
                   columns=2, span=DIEL_COLUMNS)
        self.table_rows = cycles.table()

    def draw_annual_totals(self, surface):
        totals = annual_totals(self.plot_data)
        shown = totals.shown()
        left_out = [str(year) for year in totals.years[~shown]]
        if left_out:
            self.view_note = self.tr("Annual totals: {} left out, with less than a day of steps with observed "
                                     "and modelled flux (in the CSV).").format(", ".join(left_out))
        plot = add_plot(surface, 0, 0, self.tr("annual sum"), LABEL_UNITS["annual"],
                        x_label=self.tr("calendar year (share of its steps with observed and modelled flux)"))
        legend = add_legend(plot, columns=3)
        width = 0.26
        for offset, key, label, colour in ((-width, "observed", self.tr("observed"), COLOURS["fc"]),
                                           (0.0, "modelled", self.tr("modelled, same steps"), COLOURS["rs"]),
                                           (width, "modelled_all", self.tr("modelled, gaps filled"), COLOURS["r1"])):
            self.curves[key] = add_bars(plot, totals.years[shown] + offset, getattr(totals, key)[shown],
                                        width * 0.95, colour, legend, label)
        plot.getAxis("bottom").setTicks([[(int(y), f"{y} ({c:.0%})")
                                          for y, c in zip(totals.years[shown], totals.coverage[shown])]])
        plot.addItem(plotting.pg.InfiniteLine(pos=0, angle=0, pen=plotting.pg.mkPen(plotting.FOREGROUND)))
        self.plots["annual"] = plot
        self.table_rows = totals.table()

    # ---- stations on the map ------------------------------------------------------------------------

    def open_selected_station(self, state):
        """A station point selected on the map: open it with its options, unless it is open already."""
        if (state["kind"], state["source"]) != (self.table.kind(), self.table.source()):
            self.restore(state)

    def disconnect_layers(self):
        self.station_layer.disconnect()

    # ---- calibration --------------------------------------------------------------------------------

    def start_calibration(self, output_path=None):
        """Run desertcarbon:calibrate as a background task; returns the task (None when not started)."""
        algorithm = calibrate_algorithm()
        if algorithm is None:
            self.message(self.tr("Calibration"), self.tr("The algorithm {} is not available in this installation; "
                                                         "the plots still work.").format(calibration_task.CALIBRATE_ID),
                         Qgis.MessageLevel.Warning)
            return None
        if self.series is None:
            self.report(self.tr("Open a station table before calibrating."), error=True)
            return None
        if output_path is None:
            suggested = str(Path(self.table.source()).with_name("calibrated_parameters.json")) \
                if self.table.kind() == FILE else "calibrated_parameters.json"
            output_path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the calibrated parameter file"),
                                                               suggested, "JSON (*.json)")
            if not output_path:
                return None
        parameters = calibration_parameters(self.state(), self.bootstrap.value(), output_path)
        self._calibrating(True)
        self.calibration = CalibrationTask(algorithm, parameters, self.progress.setValue, self.calibration_finished)
        return self.calibration.task

    def cancel_calibration(self):
        if self.calibration is not None:
            self.calibration.cancel()

    def calibration_finished(self, successful, results, feedback):
        self.calibration = None
        self._calibrating(False)
        if not successful:
            log = feedback.textLog().strip().splitlines()
            why = self.tr("cancelled") if feedback.isCanceled() else (log[-1] if log else self.tr("failed"))
            self.message(self.tr("Calibration"), why, Qgis.MessageLevel.Warning)
            return
        fitted_step = load_parameters(results["OUTPUT"]).time_step_seconds
        step_label = next((label for label, seconds in STEPS.items() if seconds == fitted_step), None)
        if step_label and fitted_step != self.series.step:
            self.step.blockSignals(True)
            self.step.setCurrentIndex(self.step.findData(step_label))      # plot at the step of the fit
            self.step.blockSignals(False)
        self.parameter_file.setFilePath(results["OUTPUT"])                # recomputes and redraws
        done = self.tr("Parameter file written: {}; held-out RMSE {:.3g} (fit) vs {:.3g} (start) µmol m⁻² s⁻¹").format(
            results["OUTPUT"], results.get("HELD_OUT_RMSE", float("nan")),
            results.get("HELD_OUT_RMSE_INITIAL", float("nan")))
        warnings = getattr(feedback, "warnings", [])
        if warnings:               # the fit's own doubts (ΔT0 at its bound, k1 not fitted) are part of the result
            done = self.tr("{done}\nWarnings of the fit:\n{warnings}").format(
                done=done, warnings="\n".join(f"• {warning}" for warning in warnings))
        self.message(self.tr("Calibration"), done,
                     Qgis.MessageLevel.Warning if warnings else Qgis.MessageLevel.Success)

    def _calibrating(self, running):
        self.progress.setValue(0)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.calibrate_button.setEnabled(not running)

    def message(self, title, text, level):
        if self.iface is not None:
            self.iface.messageBar().pushMessage(title, text, level=level,
                                                duration=0 if level == Qgis.MessageLevel.Warning else 8)
        self.report(text, error=level in (Qgis.MessageLevel.Warning, Qgis.MessageLevel.Critical))

    # ---- a new project ------------------------------------------------------------------------------

    def reset(self):
        """Forget the station: Project ▸ New must not show the previous project's table."""
        self.cancel_calibration()
        for widget in (self.step, self.parameter_file, self.view, self.stacked):
            widget.blockSignals(True)
        self.table.set_source(FILE, "")
        self.parameter_file.setFilePath("")
        self.step.setCurrentIndex(0)
        self.view.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.stacked.setChecked(False)
        for widget in (self.step, self.parameter_file, self.view, self.stacked):
            widget.blockSignals(False)
        self.series = self.plot_data = None
        self.set_mapping({})
        self.status.setToolTip("")
        self.report("")
        self.draw()
