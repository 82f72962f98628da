"""Pictures of `make demo`'s results: a PNG map and a PNG of plots in the output folder.

Run by scripts/run_demo.py with Debian's Python (it needs QGIS and pyqtgraph):
    python3 scripts/render_demo.py OUTPUT_FOLDER
map.png: the mean annual flux 2000–2022 (styled like the fluxscheme output), the Taklimakan outline
and the demo shelter belt, with a legend (flux in g CO₂ m⁻² a⁻¹), a scale bar and a graticule in degrees.
plots.png: the desert total per year with ± one interannual standard deviation, and the shelter-belt
scenario's cumulative gain with its range.
"""
import csv
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PyQt5"
REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / ".build" / "plugins"))

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from qgis.core import (QgsApplication, QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend,  # noqa: E402
                       QgsLayoutItemMap, QgsLayoutItemMapGrid, QgsLayoutItemScaleBar, QgsLayoutPoint, QgsLayoutSize,
                       QgsMapLayerLegendUtils, QgsPrintLayout, QgsProject, QgsRasterLayer, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtGui import QColor  # noqa: E402
from qgis.PyQt.QtWidgets import QApplication  # noqa: E402

from desert_carbon.core.raster_io import NODATA  # noqa: E402
from desert_carbon.processing_provider.styles import diverging_style  # noqa: E402

MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters
KILOMETERS = QgsUnitTypes.DistanceUnit.DistanceKilometers
MAP_PAGE_MM = (300, 140)
LEGEND_WIDTH_MM = 66
MAP_DPI = 110


def mean_flux_raster(annual, target):
    with rasterio.open(annual) as src:
        values = src.read(masked=True).mean(axis=0)
        profile = {**src.profile, "count": 1}
    with rasterio.open(target, "w", **profile) as dst:
        dst.write(values.filled(NODATA).astype(profile["dtype"]), 1)
        dst.set_band_description(1, "mean 2000-2022")


def add_graticule(map_item):
    """Grid lines every 2° of longitude and 1° of latitude, labelled in degrees outside a zebra frame."""
    grid = QgsLayoutItemMapGrid("degrees", map_item)
    grid.setIntervalX(2.0)
    grid.setIntervalY(1.0)
    grid.setAnnotationEnabled(True)
    grid.setAnnotationFormat(QgsLayoutItemMapGrid.AnnotationFormat.DecimalWithSuffix)      # 80°E, 38°N
    grid.setAnnotationPrecision(0)
    for side in (QgsLayoutItemMapGrid.BorderSide.Right, QgsLayoutItemMapGrid.BorderSide.Top):   # the legend's side
        grid.setAnnotationDisplay(QgsLayoutItemMapGrid.DisplayMode.HideAll, side)
    grid.setFrameStyle(QgsLayoutItemMapGrid.FrameStyle.Zebra)
    grid.setFrameWidth(1.2)
    grid.setGridLineColor(QColor(0, 0, 0, 60))
    map_item.grids().addGrid(grid)


def render_map(output):
    """map.png as a print layout: the map with a graticule labelled in degrees, a legend with the flux unit,
    a scale bar and a title saying the forcing is synthetic."""
    mean_path = output / "annual_flux_mean.tif"
    mean_flux_raster(output / "annual_flux.tif", mean_path)
    flux = QgsRasterLayer(str(mean_path), "Mean CO₂ flux 2000–2022")
    diverging_style()(flux)
    outline = QgsVectorLayer(str(REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"),
                             "Taklimakan (Natural Earth)")
    outline.renderer().symbol().symbolLayer(0).setBrushStyle(0)
    belt = QgsVectorLayer(str(REPOSITORY / "resources" / "demo" / "demo_shelter_belt.geojson"),
                          "Shelter belt (hypothetical)")
    belt.renderer().symbol().setColor(QColor("#1b7837"))
    project = QgsProject.instance()
    for layer in (flux, outline, belt):
        project.addMapLayer(layer)
    project.setCrs(flux.crs())
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(*MAP_PAGE_MM, MM))
    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    # sized before it moves: a move of the empty item gives it a 0 × 0 extent that zoomToExtent cannot scale
    map_item.attemptResize(QgsLayoutSize(MAP_PAGE_MM[0] - LEGEND_WIDTH_MM - 24, MAP_PAGE_MM[1] - 26, MM))
    map_item.attemptMove(QgsLayoutPoint(16, 14, MM))
    map_item.setLayers([belt, outline, flux])
    map_item.setCrs(flux.crs())
    map_item.zoomToExtent(flux.extent().buffered(0.2))
    map_item.setFrameEnabled(True)
    add_graticule(map_item)
    title = QgsLayoutItemLabel(layout)
    layout.addLayoutItem(title)
    title.setText("Mean annual CO₂ flux 2000–2022, SYNTHETIC demo forcing (positive = release, negative = uptake)")
    title.attemptMove(QgsLayoutPoint(16, 3, MM))
    title.attemptResize(QgsLayoutSize(MAP_PAGE_MM[0] - 32, 8, MM))
    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    legend.setLinkedMap(map_item)
    legend.setTitle("")
    legend.setWrapString("|")
    legend_node = legend.model().rootGroup().findLayer(flux)
    QgsMapLayerLegendUtils.setLegendNodeUserLabel(legend_node, 0, "mean of 23 annual sums")
    legend.model().refreshLayerLegend(legend_node)
    legend.attemptMove(QgsLayoutPoint(MAP_PAGE_MM[0] - LEGEND_WIDTH_MM - 4, 12, MM))
    scale = QgsLayoutItemScaleBar(layout)
    layout.addLayoutItem(scale)
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(KILOMETERS)
    scale.setUnitLabel("km")
    scale.setNumberOfSegmentsLeft(0)
    scale.setNumberOfSegments(3)
    scale.setUnitsPerSegment(100.0)            # km, true at the map's centre latitude
    scale.attemptMove(QgsLayoutPoint(MAP_PAGE_MM[0] - LEGEND_WIDTH_MM - 4, MAP_PAGE_MM[1] - 26, MM))
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = MAP_DPI
    result = QgsLayoutExporter(layout).exportToImage(str(output / "map.png"), settings)
    if result != QgsLayoutExporter.ExportResult.Success:
        raise SystemExit(f"map.png could not be written (layout export result {result})")


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def add_band(pg, plot, x, low, high, rgba):
    curves = [pg.PlotCurveItem(x, y, pen=pg.mkPen(rgba)) for y in (low, high)]
    for curve in curves:
        plot.addItem(curve)
    plot.addItem(pg.FillBetweenItem(*curves, brush=pg.mkBrush(*rgba)))


def render_plots(output):
    import pyqtgraph as pg
    from pyqtgraph.exporters import ImageExporter
    pg.setConfigOptions(background="w", foreground="k", antialias=True)
    totals = [r for r in read_rows(output / "totals.csv") if r["year"] != "mean"]
    years = np.array([float(r["year"]) for r in totals])
    total = np.array([float(r["total_PgCO2_a"]) for r in totals]) * 1e3      # in 1e-3 Pg, the review's scale
    spread = float(totals[0]["interannual_sd_PgCO2_a"]) * 1e3
    belt = [r for r in read_rows(output / "scenario.csv") if r["feature_id"] == "demo shelter belt"]
    scenario_years = np.array([float(r["year"]) for r in belt])
    gain = [np.array([float(r[f"cumulative_uptake_gain{suffix}_PgCO2"]) for r in belt])
            for suffix in ("", "_min", "_max")]

    layout = pg.GraphicsLayoutWidget(size=(1100, 700))
    desert = layout.addPlot(row=0, col=0, title="Taklimakan total ± one interannual standard deviation "
                                                 "(SYNTHETIC demo forcing), positive = release")
    desert.setLabel("left", "total, 10⁻³ Pg CO₂ a⁻¹")
    desert.setLabel("bottom", "year")
    add_band(pg, desert, years, total - spread, total + spread, (33, 102, 172, 60))
    desert.plot(years, total, pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5)
    desert.addLine(y=0, pen=pg.mkPen("#999999", style=2))
    desert.setXRange(years.min() - 0.5, years.max() + 0.5, padding=0)
    scenario = layout.addPlot(row=1, col=0, title="Demo shelter belt: cumulative uptake gain over the sand it "
                                                   "replaces, with the practice's low-high range")
    scenario.setLabel("left", "gain, Pg CO₂")
    scenario.setLabel("bottom", "year")
    add_band(pg, scenario, scenario_years, gain[1], gain[2], (27, 120, 55, 60))
    scenario.plot(scenario_years, gain[0], pen=pg.mkPen("#1b7837", width=2))
    scenario.setXRange(scenario_years.min(), scenario_years.max(), padding=0.02)
    layout.resize(1100, 700)
    layout.show()
    QApplication.processEvents()          # lay the plots out at that size before the export
    exporter = ImageExporter(layout.scene())
    exporter.parameters()["width"] = 1100
    exporter.export(str(output / "plots.png"))


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    app = QgsApplication([], True)
    app.initQgis()
    render_map(folder)
    render_plots(folder)
    print(folder / "map.png", folder / "plots.png")
