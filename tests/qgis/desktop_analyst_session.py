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
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

errors = []                     # what would have reached QGIS's Python error dialog
modals = []                     # every modal dialog that came up, in order: noted and closed as a user would
_hook = sys.excepthook


def recording_hook(kind, value, trace):
    errors.append("".join(traceback.format_exception(kind, value, trace)))
    _hook(kind, value, trace)


sys.excepthook = recording_hook


def close_modals():
    """Note and close every modal dialog, all session long: one left open (a prompt some release adds) would block
    the session until the test's timeout."""
    widget = QApplication.activeModalWidget()
    if widget is not None:
        modals.append({"type": type(widget).__name__, "title": widget.windowTitle()})
        getattr(widget, "reject", widget.close)()
    QTimer.singleShot(200, close_modals)


def run_model_as_the_modeler_does(report):
    """The Modeler's Run button: a "not valid" prompt or the run dialog opens modally (noted and closed)."""
    from processing.modeler.ModelerDialog import ModelerDialog
    model = QgsApplication.processingRegistry().algorithmById("desertcarbon:desert_carbon_chain").create()
    modeler = ModelerDialog.create(model)
    # the Run button, as a user presses it: Python's runModel on 3.22, QgsModelDesignerDialog's run from 3.26 on
    from qgis.PyQt.QtWidgets import QAction
    modeler.findChild(QAction, "mActionRun").trigger()
    report["modeler_run"] = list(modals)
    modeler.close()


def run_batch(report, then):
    """Batch aggregate over two rasters, as the Run button starts it; ``then`` once its rows are done (or 2 min)."""
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
    # Run as the button does, from the event loop: QGIS 3.44 runs the rows inside runAlgorithm in a nested event
    # loop that does not return (its progress task stays active); started from a timer, the polling below runs
    # within that loop, where a direct call never gave the session control back
    QTimer.singleShot(0, dialog.runAlgorithm)
    deadline = time.monotonic() + 120
    expected = 3 * len(batch["rasters"])

    def wait_for_rows():
        files = sorted(os.listdir(batch["folder"]))
        if len(files) < expected and time.monotonic() < deadline:
            QTimer.singleShot(200, wait_for_rows)
            return
        report["batch_files"] = files
        # on QGIS 3.44 the batch dialog's progress task ("Batch Processing - ...") stays active after the rows
        # have written their outputs: noted; finish() leaves QGIS without waiting for it
        report["tasks_left"] = [task.description() for task in QgsApplication.taskManager().activeTasks()]
        if not sip.isdeleted(dialog):       # some releases delete the dialog once its rows have run
            dialog.close()
        then()

    QTimer.singleShot(200, wait_for_rows)


def collect(report, then):
    report.update(plugin_loaded="desert_carbon" in plugins, locale=QgsApplication.locale())
    algorithm = QgsApplication.processingRegistry().algorithmById("desertcarbon:fluxscheme")
    report["fluxscheme_name"] = algorithm.displayName() if algorithm else None
    run_model_as_the_modeler_does(report)

    def dock_then_finish():
        try:
            dock = plugins["desert_carbon"].show_dock("station")
            report["dock_title"] = dock.windowTitle() if dock is not None else None
        except Exception:
            report["error"] = traceback.format_exc()
        then()

    run_batch(report, dock_then_finish)


def finish(report):
    for _ in range(30):
        QApplication.processEvents()
    report["errors"] = errors
    report["modals"] = modals
    iface.mainWindow().grab().save(os.environ["DESERT_CARBON_SCREENSHOT"])
    with open(os.environ["DESERT_CARBON_REPORT"], "w") as f:
        json.dump(report, f)
    if QgsApplication.taskManager().countActiveTasks():
        os._exit(0)         # QGIS would wait at exit for the task left active (above); the report is written
    QgsApplication.exit(0)


def start():
    report = {}

    def then():
        QTimer.singleShot(2000, lambda: finish(report))
    try:
        collect(report, then)
    except Exception:       # report any failure to the test instead of hanging the desktop
        report["error"] = traceback.format_exc()
        then()


QTimer.singleShot(1000, start)
QTimer.singleShot(500, close_modals)
