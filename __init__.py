"""Desert Carbon Sink: a QGIS plugin that makes the abiotic CO2 uptake of shifting sand measurable."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin.plugin import DesertCarbonPlugin
    return DesertCarbonPlugin(iface)
