"""Attribute fields built the way the running QGIS wants them.

QGIS 3.38 deprecated ``QgsField(name, QVariant.Type)`` for ``QgsField(name, QMetaType.Type)``; 3.22
to 3.36 know only the first. One place decides, so no shell raises a DeprecationWarning on new
releases or fails on old ones (and QGIS 4 / Qt 6 has no ``QVariant.Type`` at all).
"""
from qgis.core import Qgis, QgsField, QgsFields
from qgis.PyQt.QtCore import QMetaType, QVariant

# QGIS's version number from which QgsField takes a QMetaType.Type
METATYPE_FIELDS_SINCE = 33800

KINDS = ("string", "int", "double")


def _type_of(kind):
    if Qgis.versionInt() >= METATYPE_FIELDS_SINCE:
        return {"string": QMetaType.Type.QString, "int": QMetaType.Type.Int, "double": QMetaType.Type.Double}[kind]
    return {"string": QVariant.Type.String, "int": QVariant.Type.Int, "double": QVariant.Type.Double}[kind]


def make_field(name, kind):
    """A QgsField of ``kind`` ("string", "int" or "double")."""
    if kind not in KINDS:
        raise ValueError(f"field kind {kind!r} is not one of {KINDS}")
    return QgsField(name, _type_of(kind))


def make_fields(named_kinds):
    """QgsFields from (name, kind) pairs, in their order."""
    fields = QgsFields()
    for name, kind in named_kinds:
        fields.append(make_field(name, kind))
    return fields
