"""QGIS table layers as plain columns for the core's station reader (no rasterio needed)."""
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant


def layer_columns(layer):
    """{field name: list of values} of a table layer, with NULL as None and dates as Python dates."""
    names = layer.fields().names()
    columns = {name: [] for name in names}
    for feature in layer.getFeatures():
        for name, value in zip(names, feature.attributes()):
            columns[name].append(_python_value(value))
    return columns


def _python_value(value):
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toPyDateTime()
    if isinstance(value, QDate):
        return value.toPyDate()
    return value
