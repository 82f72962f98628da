"""desertcarbon:calibrate run for the Station tab as a QGIS background task, and the parameters it is run with:
the same reader options the tab plots with, so the fit is of the series on screen."""
from pathlib import Path

from qgis.core import (QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProcessingFeedback,
                       QgsProject)

from ..core.stations import mapping_text
from .table_source import FILE

CALIBRATE_ID = "desertcarbon:calibrate"


def calibration_parameters(state, bootstrap, output_path):
    """desertcarbon:calibrate's parameters for the tab's ``state`` (its reader options and table)."""
    parameters = {"MAPPING": mapping_text(state["mapping"]), "TIME_COLUMN": state["time_column"] or "",
                  "PORTS": str(state["port"]), "STEP": state.get("reading_step", 0),
                  "FLUX_UNIT": state.get("flux_unit", 0), "INITIAL_PARAMETERS": state["parameters"],
                  "BOOTSTRAP": bootstrap,
                  "OUTPUT": str(output_path), "OUTPUT_REPORT": str(Path(output_path).with_suffix(".html"))}
    parameters["STATION" if state["kind"] == FILE else "STATION_TABLE"] = state["source"]
    return parameters


def calibrate_algorithm():
    """The registered calibrate algorithm; None when this installation has none."""
    return QgsApplication.processingRegistry().algorithmById(CALIBRATE_ID)


class WarningsFeedback(QgsProcessingFeedback):
    """A feedback that keeps the run's warnings, so that the tab shows them with the result."""

    def __init__(self):
        super().__init__()
        self.warnings = []

    def pushWarning(self, warning):  # noqa: N802 (QGIS's name)
        self.warnings.append(warning)
        super().pushWarning(warning)


class CalibrationTask:
    """One background run: ``on_progress(percent)`` while it runs, ``on_finished(successful, results, feedback)``
    once. The task, its context and feedback are kept here until the task has reported."""

    def __init__(self, algorithm, parameters, on_progress, on_finished):
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.feedback = WarningsFeedback()
        self.feedback.progressChanged.connect(lambda percent: on_progress(int(percent)))
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(lambda successful, results: on_finished(successful, results, self.feedback))
        QgsApplication.taskManager().addTask(self.task)

    def cancel(self):
        self.feedback.cancel()
