"""pyqtgraph pieces the dock's tabs share: styled plots, curves that downsample for display only,
threshold lines, shaded interval bands, and image export.

Imported only after ``dock.import_pyqtgraph`` has found pyqtgraph (and chosen its Qt binding).
"""
from datetime import datetime, timezone

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import SVGExporter
from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING, MONTH_DAY_ZOOM_LEVEL, MONTH_SPACING
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy

FOREGROUND = "#202020"
GRID_ALPHA = 0.15
AXIS_WIDTH = 74
LEGEND_ROW_HEIGHT = 19
TICK_FONT = QFont()
TICK_FONT.setPointSize(8)
COLOURS = {
    "fc": "#505050", "rs": "#d62728", "r1": "#1f77b4", "r2": "#2ca02c", "r3": "#9467bd",
    "t0": "#ff7f0e", "t10": "#8c564b", "delta_t": "#e377c2", "theta10": "#17becf", "rn": "#bcbd22",
    "p": "#1f77b4", "cumulative_observed": "#505050", "cumulative_modelled": "#d62728",
    # regime bands in hues no curve of the flux plot uses, so that a swatch names one thing
    "uptake season": (140, 140, 140, 40), "moisture-activated": (23, 190, 207, 45),
    "baseline": "#505050", "scenario": "#2ca02c", "gain": "#1f77b4", "highlight": "#d62728",
    "threshold": "#303030",
    # the two parts of a total's uncertainty, apart (Okabe-Ito vermillion and orange)
    "parameter": "#d55e00", "interannual": "#e69f00",
}
# A qualitative palette for many curves of the same kind (polygons), colour-blind safe (Okabe-Ito).
CYCLE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


class PlotPanel(QScrollArea):
    """Holds a white plotting surface (a GraphicsLayoutWidget) and replaces it on every redraw.

    Taking items out of a pyqtgraph 0.13.1 scene under sip 6.7 raises "unable to convert a QVariant
    back to a Python object" in their itemChange, which QGIS reports as a Python error; deleting
    the whole surface raises nothing. A surface taller than the dock scrolls: stacked plots keep
    the height their axis labels need.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.surface = None
        self.renew()

    def renew(self, min_height=0):
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.surface = pg.GraphicsLayoutWidget()
        self.surface.setBackground("w")
        self.surface.ci.setContentsMargins(4, 4, 8, 4)
        self.surface.setMinimumHeight(min_height)
        self.setWidget(self.surface)
        return self.surface


def status_label():
    """The line under a tab's plots that says what was read, computed or left out: wraps, and its text can be
    selected and copied (an error message names a file and a row)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TimeAxis(pg.DateAxisItem):
    """A date axis whose labels say the month and the year at every zoom: pyqtgraph's show "Mar" over days and
    "Tue 03" over hours, which is no date once zoomed in or exported. Times are the table's clock (utcOffset 0)."""

    def __init__(self):
        super().__init__(orientation="bottom", utcOffset=0)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        if MONTH_SPACING <= spacing < 300 * DAY_SPACING and self.zoomLevel is MONTH_DAY_ZOOM_LEVEL:
            form = "%b %Y"                             # month ticks among days: Mar 2012 (over years: Mar)
        elif spacing == DAY_SPACING and self.zoomLevel is not MONTH_DAY_ZOOM_LEVEL:
            form = "%d %b %Y"                          # day ticks among hours: 03 Mar 2012
        else:
            return super().tickStrings(values, scale, spacing)
        try:
            return [datetime.fromtimestamp(value, timezone.utc).strftime(form) for value in values]
        except (OverflowError, ValueError, OSError):
            return super().tickStrings(values, scale, spacing)


class Swatch(ItemSample):
    """Legend samples that tell shaded bands from filled curves and from lines: a band is a plain tile, a filled
    curve a tile under its line, a line a line (pyqtgraph draws a triangle for both kinds of fill)."""

    def paint(self, painter, *args):
        kind = getattr(self.item, "swatch", None)
        opts = self.item.opts
        if kind is None and opts.get("fillLevel") is not None and opts.get("fillBrush") is not None:
            kind = "area"
        if kind is None or not self.item.isVisible():
            return super().paint(painter, *args)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pg.mkBrush(opts["fillBrush"]))
        if kind == "band":
            painter.drawRect(QRectF(1, 3, 20, 16))
            return None
        painter.drawPolygon(QPointF(1, 19), QPointF(1, 9), QPointF(21, 5), QPointF(21, 19))
        painter.setPen(pg.mkPen(opts["pen"]))
        painter.drawLine(QPointF(1, 9), QPointF(21, 5))
        return None


def add_plot(surface, row, col, quantity, unit, x_label=None, time_axis=False, title=None):
    """A plot whose left axis names the quantity over its unit. Units are label text: pyqtgraph's
    SI prefixes would mangle compound units such as µmol m⁻² s⁻¹."""
    axes = {"bottom": TimeAxis()} if time_axis else {}
    plot = surface.addPlot(row=row, col=col, axisItems=axes)
    if title:
        plot.setTitle(title, color=FOREGROUND, size="9pt")
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(FOREGROUND))
        axis.setTextPen(pg.mkPen(FOREGROUND))
        axis.setStyle(tickFont=TICK_FONT)
    plot.setLabel("left", axis_label(quantity, unit), color=FOREGROUND, size="8pt")
    if x_label:
        plot.setLabel("bottom", x_label, color=FOREGROUND, size="8pt")
    plot.getAxis("left").setWidth(AXIS_WIDTH)     # equal widths keep linked axes aligned
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    return plot


def axis_label(quantity, unit):
    return f"{quantity}<br>{unit}" if unit else quantity


def legend_row(surface, entries, columns, span=1):
    """A legend of (item, name) entries in row 0, above the plots, so that it hides no data.

    Call it once the plots are in: a layout holding only a fixed-height legend has a fixed maximum
    height, and Qt shrinks the surface's plots to it for good. Entries are packed to the left, rows
    are text high: in a layout, a legend would otherwise spread over the width and the spare height.
    """
    legend = pg.LegendItem(colCount=columns, labelTextColor=FOREGROUND, labelTextSize="8pt", verSpacing=-4,
                           horSpacing=12, sampleType=Swatch)
    legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)   # a fixed width would cap the plots'
    surface.addItem(legend, row=0, col=0, colspan=span)
    for item, name in entries:
        legend.addItem(item, name)
    grid = legend.layout
    for col in range(grid.columnCount()):
        cells = [grid.itemAt(row, col) for row in range(grid.rowCount())]
        grid.setColumnMaximumWidth(col, max(cell.preferredWidth() for cell in cells if cell is not None))
    legend.setMaximumHeight(grid.rowCount() * LEGEND_ROW_HEIGHT)
    return legend


def add_legend(plot, columns=4, corner="top"):
    """A legend inside a plot, for plots with few curves, in its top or bottom left corner."""
    return plot.addLegend(offset=(4, 2 if corner == "top" else -4), colCount=columns, brush=(255, 255, 255, 210),
                          labelTextColor=FOREGROUND, labelTextSize="8pt", verSpacing=-6, sampleType=Swatch)


def add_curve(plot, x, y, name, colour, width=1.4, style=Qt.PenStyle.SolidLine, fill_level=None, fill=None,
              symbol=None):
    """A curve that downsamples (peak method) and clips to the view for display; the item keeps
    the full arrays (``getOriginalDataset``), which is what exports and tests read."""
    pen = pg.mkPen(colour, width=width, style=style) if colour else None
    item = pg.PlotDataItem(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), name=name, pen=pen,
                           connect="finite", fillLevel=fill_level, fillBrush=fill, symbol=symbol,
                           symbolSize=5, symbolBrush=colour, symbolPen=None, antialias=True)
    plot.addItem(item)
    # after addItem: a clipped curve outside a plot looks for a view it does not have (pyqtgraph 0.13.1)
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    return item


def add_bars(plot, x, heights, width, colour, legend=None, name=None, digits=4, values=True):
    """Bars with their values (``digits`` significant) written at their ends, unless ``values`` is False. The view
    is fitted to every bar of the plot: a BarGraphItem reports integer bounds (its QPicture's), which lose bars
    below 1 in size."""
    heights = np.asarray(heights, dtype=np.float64)
    bars = pg.BarGraphItem(x=np.asarray(x, dtype=np.float64), height=np.nan_to_num(heights), width=width,
                           brush=colour, pen=None)
    plot.addItem(bars)
    if legend is not None:
        legend.addItem(bars, name)
    for position, value in zip(x, heights):
        if values and np.isfinite(value):
            text = pg.TextItem(f"{value:.{digits}g}", color=FOREGROUND, anchor=(0.5, 1.0 if value >= 0 else 0.0))
            text.setFont(TICK_FONT)
            text.setPos(position, value)
            plot.addItem(text)
    every = [item for item in plot.items if isinstance(item, pg.BarGraphItem)]
    left = min(float(np.min(b.opts["x"])) - b.opts["width"] for b in every)
    right = max(float(np.max(b.opts["x"])) + b.opts["width"] for b in every)
    tops = np.concatenate([[0.0]] + [b.opts["height"] for b in every])
    plot.setXRange(left, right, padding=0.02)
    plot.setYRange(tops.min(), tops.max(), padding=0.12)
    return bars


def decimal_scale(values):
    """The power of ten that brings the largest |value| into 1–1000, and its label ("10⁻⁶ "; "" for 10⁰): drawn
    totals of a few km² are 1e-6 Pg, unreadable as 1.234e-06 on a docked plot."""
    finite = np.abs(np.asarray(values, dtype=np.float64))
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if not finite.size:
        return 0, ""
    exponent = int(3 * np.floor(np.log10(finite.max()) / 3))
    if exponent == 0:
        return 0, ""
    digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return exponent, f"10{digits} "


def add_threshold(plot, value, label, colour=COLOURS["threshold"]):
    """A dashed horizontal line at ``value``, labelled at its left end, on the side of it that is
    inside the view."""
    line = pg.InfiniteLine(pos=value, angle=0, movable=False,
                           pen=pg.mkPen(colour, width=1.2, style=Qt.PenStyle.DashLine),
                           label=label, labelOpts={"position": 0.01, "color": colour, "anchors": [(0, 0), (0, 1)],
                                                   "fill": (255, 255, 255, 200)})
    line.label.setFont(TICK_FONT)
    plot.addItem(line)
    return line


class IntervalBands(pg.GraphicsObject):
    """[start, end) intervals shaded over the full height of the view, painted in one pass.

    One item instead of one LinearRegionItem per interval: a year of hourly regimes can have
    hundreds of runs. It takes no part in auto-ranging; ``opts`` lets a legend draw a sample.
    """

    def __init__(self, intervals, colour):
        super().__init__()
        self.intervals = np.asarray(intervals, dtype=np.float64).reshape(-1, 2)
        self.opts = {"pen": None, "fillLevel": 0.0, "fillBrush": pg.mkBrush(colour)}
        self.swatch = "band"
        self.setZValue(-20)

    def _view(self):
        box = self.getViewBox()
        return box.viewRect() if box is not None else None

    def boundingRect(self):
        view = self._view()
        if view is None or not len(self.intervals):
            return QRectF()
        left, right = self.intervals[0, 0], self.intervals[-1, 1]
        return QRectF(left, view.top(), right - left, view.height())

    def viewRangeChanged(self):
        self.prepareGeometryChange()
        self.update()

    def paint(self, painter, *args):
        view = self._view()
        if view is None:
            return
        first = np.searchsorted(self.intervals[:, 1], view.left())
        last = np.searchsorted(self.intervals[:, 0], view.right())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.opts["fillBrush"])
        painter.drawRects([QRectF(start, view.top(), end - start, view.height())
                           for start, end in self.intervals[first:last]])


def add_bands(plot, intervals, colour):
    bands = IntervalBands(intervals, colour)
    plot.addItem(bands, ignoreBounds=True)
    return bands


def add_band(plot, x, low, high, colour, alpha=50):
    """An uncertainty band between two curves (the curves themselves are not drawn)."""
    colour = QColor(colour)
    colour.setAlpha(alpha)
    lower = pg.PlotCurveItem(np.asarray(x, dtype=np.float64), np.asarray(low, dtype=np.float64))
    upper = pg.PlotCurveItem(np.asarray(x, dtype=np.float64), np.asarray(high, dtype=np.float64))
    band = pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(colour))
    band.opts = {"pen": None, "fillLevel": 0.0, "fillBrush": band.brush()}     # what a legend sample draws
    band.swatch = "band"
    plot.addItem(band)
    return band


def export_image(widget, path):
    """PNG (what the screen shows, at its resolution) or SVG (vector) by the file's suffix."""
    path = str(path)
    if path.lower().endswith(".svg"):
        SVGExporter(widget.scene()).export(path)
    elif not widget.grab().save(path, "PNG"):
        raise OSError(f"Could not write {path}.")
