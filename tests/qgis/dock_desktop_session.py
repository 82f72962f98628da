"""Run inside a real QGIS desktop (``qgis --code``) by test_dock.py: the dock with a station, a scenario and a
drawn polygon; writes a JSON report and a screenshot of each tab.

Inputs come through environment variables: DESERT_CARBON_DOCK_INPUTS (JSON: station, mapping, scenario,
plantings, raster, ring), DESERT_CARBON_REPORT (report path), DESERT_CARBON_OUT_DIR (screenshot folder).
"""
import json
import os
import time
import traceback
from pathlib import Path

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsGeometry, QgsPointXY, QgsProject,
                       QgsRasterLayer, QgsVectorLayer)
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

INPUTS = json.loads(os.environ["DESERT_CARBON_DOCK_INPUTS"])
OUT = Path(os.environ["DESERT_CARBON_OUT_DIR"])
SIZE = (1120, 1240)


def settle(seconds=1.5):
    """Let layouts and repaints happen: some are posted events, some timers."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def grab(dock, name):
    settle()
    dock.grab().save(str(OUT / name))


def collect():
    plugin = plugins["desert_carbon"]
    report = {"toolbar": [a.objectName() for a in plugin.toolbar.actions()]}
    plugin.dock_action.trigger()
    dock = plugin.dock
    dock.setFloating(True)          # a window of its own, at a size where every axis label fits
    dock.resize(*SIZE)
    dock.move(10, 10)
    settle()

    tab = dock.station
    tab.table.set_source("file", INPUTS["station"])
    tab.set_mapping(INPUTS["mapping"])
    report["station_opened"] = tab.open_station()
    tab.bootstrap.setValue(5)
    tab.start_calibration(OUT / "calibrated_parameters.json")      # a background task; the fitted model is shown
    deadline = time.monotonic() + 120
    while tab.calibration is not None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    report["parameter_file"] = tab.parameter_file.filePath()
    report["station_curves"] = sorted(tab.curves)
    dock.show_tab("station")
    grab(dock, "dock_station.png")

    plantings = QgsVectorLayer(INPUTS["plantings"], "plantings", "ogr")
    QgsProject.instance().addMapLayer(plantings)
    scenario = dock.scenario
    scenario.table.set_source("file", INPUTS["scenario"])
    report["scenario_opened"] = scenario.open_table()
    scenario.polygon_layer.setLayer(plantings)
    scenario.id_field.setField("feature_id")
    plantings.selectByExpression("\"feature_id\" = 'south'")
    report["highlighted"] = sorted(scenario.highlighted)
    dock.show_tab("scenario")
    grab(dock, "dock_scenario.png")

    raster = QgsRasterLayer(INPUTS["raster"], "annual flux")
    QgsProject.instance().addMapLayer(raster)
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    iface.mapCanvas().setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    iface.mapCanvas().setExtent(raster.extent())
    dock.totals.raster_box.setLayer(raster)
    plugin.draw_action.trigger()
    report["map_tool_is_draw_tool"] = iface.mapCanvas().mapTool() is plugin.draw_tool
    plugin.draw_tool.finish(QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in INPUTS["ring"]]]))
    report["totals"] = [{key: row[key] for key in ("feature_id", "year", "total_PgCO2_a")}
                        for row in dock.totals.table_rows]
    grab(dock, "dock_totals.png")
    return report


def finish(report):
    with open(os.environ["DESERT_CARBON_REPORT"], "w") as f:
        json.dump(report, f)
    QgsApplication.exit(0)


def start():
    try:
        report = collect()
    except Exception:       # report any failure to the test instead of hanging the desktop
        report = {"error": traceback.format_exc()}
    QTimer.singleShot(500, lambda: finish(report))


QTimer.singleShot(1500, start)
