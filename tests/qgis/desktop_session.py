"""Run inside a real QGIS desktop (``qgis --code``) by test_desktop.py; writes a JSON report and a screenshot.

Inputs come through environment variables: DESERT_CARBON_INPUTS (JSON of processing parameters),
DESERT_CARBON_REPORT (report path), DESERT_CARBON_SCREENSHOT (PNG path).
"""
import json
import os
import traceback

from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins


def legend_suffix(layer):
    """The unit a continuous ramp legend shows after its numbers ("" when the renderer has none)."""
    shader = getattr(layer.renderer(), "shader", lambda: None)()
    function = shader.rasterShaderFunction() if shader else None
    return function.legendSettings().suffix() if function is not None and hasattr(function, "legendSettings") else ""


def collect():
    report = {"plugin_loaded": "desert_carbon" in plugins}
    menu_texts = []
    for action in iface.pluginMenu().actions():
        if action.menu():
            menu_texts.extend(f"{action.text()}/{sub.text()}" for sub in action.menu().actions())
    report["plugin_menu"] = menu_texts
    provider = QgsApplication.processingRegistry().providerById("desertcarbon")
    report["algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else []
    import processing
    parameters = json.loads(os.environ["DESERT_CARBON_INPUTS"])
    processing.runAndLoadResults("desertcarbon:fluxscheme", parameters)
    layers = [layer for layer in QgsProject.instance().mapLayers().values() if isinstance(layer, QgsRasterLayer)]
    report["layers"] = [{"name": layer.name(), "source": layer.source(), "renderer": type(layer.renderer()).__name__,
                         "bands": list(layer.renderer().usesBands()),
                         "min": layer.renderer().classificationMin(), "max": layer.renderer().classificationMax(),
                         "legend": [label for label, _colour in layer.renderer().legendSymbologyItems()],
                         "legend_suffix": legend_suffix(layer)}
                        for layer in layers]
    if layers:
        iface.mapCanvas().setExtent(layers[0].extent())
        iface.mapCanvas().refreshAllLayers()
    return report


def finish(report):
    for _ in range(30):
        QApplication.processEvents()
    iface.mainWindow().grab().save(os.environ["DESERT_CARBON_SCREENSHOT"])
    with open(os.environ["DESERT_CARBON_REPORT"], "w") as f:
        json.dump(report, f)
    QgsApplication.exit(0)


def start():
    try:
        report = collect()
    except Exception:       # report any failure to the test instead of hanging the desktop
        report = {"error": traceback.format_exc()}
    QTimer.singleShot(3000, lambda: finish(report))


QTimer.singleShot(1000, start)
