"""Run inside a real QGIS desktop (``qgis --code``) in Chinese by test_desktop.py: the model from the Modeler's Run,
batch aggregate over two rasters, and the dock. Writes a JSON report and a screenshot.

Environment: DESERT_CARBON_BATCH (JSON: the two rasters, the polygons, the output folder), DESERT_CARBON_REPORT,
DESERT_CARBON_SCREENSHOT.
"""
import json
import os
import sys
import time
import traceback

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

errors = []                     # what would have reached QGIS's Python error dialog
_hook = sys.excepthook


def recording_hook(kind, value, trace):
    errors.append("".join(traceback.format_exception(kind, value, trace)))
    _hook(kind, value, trace)


sys.excepthook = recording_hook


def run_model_as_the_modeler_does(report):
    """The Modeler's Run button: a "not valid" prompt or the run dialog opens modally; the first one is noted and
    closed."""
    from processing.modeler.ModelerDialog import ModelerDialog
    model = QgsApplication.processingRegistry().algorithmById("desertcarbon:desert_carbon_chain").create()
    modeler = ModelerDialog.create(model)
    seen = []

    def close_modal():
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(200, close_modal)
            return
        seen.append({"type": type(widget).__name__, "title": widget.windowTitle()})
        widget.reject()

    QTimer.singleShot(500, close_modal)
    # the Run button, as a user presses it: Python's runModel on 3.22, QgsModelDesignerDialog's run from 3.26 on
    from qgis.PyQt.QtWidgets import QAction
    modeler.findChild(QAction, "mActionRun").trigger()
    report["modeler_run"] = seen
    modeler.close()


def run_batch(report):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.tools.dataobjects import createContext
    batch = json.loads(os.environ["DESERT_CARBON_BATCH"])
    dialog = BatchAlgorithmDialog(QgsApplication.processingRegistry().createAlgorithmById("desertcarbon:aggregate"))
    panel = dialog.mainWidget()
    panel.checkLoadLayersOnCompletion.setChecked(False)
    while panel.batchRowCount() < 2:
        panel.addRow()
    for row, raster in enumerate(batch["rasters"]):
        values = {"INPUT": raster, "POLYGONS": batch["polygons"],
                  "OUTPUT": os.path.join(batch["folder"], f"totals_{row}.gpkg"),
                  "OUTPUT_CSV": os.path.join(batch["folder"], f"totals_{row}.csv"),
                  "OUTPUT_HTML": os.path.join(batch["folder"], f"totals_{row}.html")}
        for name, value in values.items():
            column = panel.parameter_to_column[name]
            if panel.alg.parameterDefinition(name).isDestination():
                panel.tblParameters.cellWidget(row + 1, column).setValue(value)
            else:
                panel.wrappers[row][column].setParameterValue(value, createContext())
    try:
        dialog.runAlgorithm()
    except Exception:           # noted as the error dialog would show it
        errors.append(traceback.format_exc())
    deadline = time.monotonic() + 120
    while QgsApplication.taskManager().countActiveTasks() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    report["batch_files"] = sorted(os.listdir(batch["folder"]))
    dialog.close()


def collect():
    report = {"plugin_loaded": "desert_carbon" in plugins, "locale": QgsApplication.locale()}
    algorithm = QgsApplication.processingRegistry().algorithmById("desertcarbon:fluxscheme")
    report["fluxscheme_name"] = algorithm.displayName() if algorithm else None
    run_model_as_the_modeler_does(report)
    run_batch(report)
    dock = plugins["desert_carbon"].show_dock("station")
    report["dock_title"] = dock.windowTitle() if dock is not None else None
    return report


def finish(report):
    for _ in range(30):
        QApplication.processEvents()
    report["errors"] = errors
    iface.mainWindow().grab().save(os.environ["DESERT_CARBON_SCREENSHOT"])
    with open(os.environ["DESERT_CARBON_REPORT"], "w") as f:
        json.dump(report, f)
    QgsApplication.exit(0)


def start():
    try:
        report = collect()
    except Exception:       # report any failure to the test instead of hanging the desktop
        report = {"error": traceback.format_exc()}
    QTimer.singleShot(2000, lambda: finish(report))


QTimer.singleShot(1000, start)
