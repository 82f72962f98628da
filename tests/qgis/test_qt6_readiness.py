"""The plugin's code written so that it also runs under QGIS 4 / Qt 6 (PyQt6).

PyQt6 and Qt 6 builds of QGIS accept only fully scoped enums (``Qt.AlignmentFlag.AlignLeft``, not
``Qt.AlignLeft``), have no ``exec_``, keep ``QAction`` in QtGui and ``QVariant.Type`` nowhere. These
checks read the source with ``ast`` and evaluate every attribute chain on a Qt or QGIS class in the
running QGIS, so an unscoped enum is caught here on Qt 5 before a Qt 6 user meets it.
"""
import ast
from pathlib import Path

import pytest
import qgis.core
import qgis.gui
from qgis.PyQt import QtCore, QtGui, QtWidgets

REPOSITORY = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("core", "qgis_layers", "processing_provider", "plugin", "scripts")
                 for p in (REPOSITORY / folder).rglob("*.py")) + [REPOSITORY / "__init__.py"]
NAMESPACES = (qgis.core, qgis.gui, QtCore, QtGui, QtWidgets)
# where a Qt 5 name is used on purpose, behind a version check
VERSIONED = {"qgis_layers/fields.py", "plugin/qt_compat.py"}


def _chain(node):
    """["Qt", "AlignmentFlag", "AlignLeft"] for the attribute expression Qt.AlignmentFlag.AlignLeft."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(names)]
    return None


def _resolve(names):
    value = next((getattr(space, names[0]) for space in NAMESPACES if hasattr(space, names[0])), None)
    for name in names[1:]:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


def _with_parents(tree):
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node
    return tree


def unscoped_enums(source):
    """Lines of ``source`` that name a Qt or QGIS enum value without its enum (as evaluated here).

    A sip enum value of Qt 5 is an int subclass named after its enum; on a Qt 6 build (Python enums)
    this check would find nothing, so it belongs to the Qt 5 runs of the suite.
    """
    tree = _with_parents(ast.parse(source))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or isinstance(getattr(node, "parent", None), ast.Attribute):
            continue
        names = _chain(node)
        if not names or len(names) < 2 or not names[0].startswith("Q"):
            continue
        value = _resolve(names)
        enum_type = type(value)
        if isinstance(value, int) and enum_type not in (int, bool) and names[-2] != enum_type.__name__:
            found.append(f"line {node.lineno}: {'.'.join(names)} → {'.'.join(names[:-1])}."
                         f"{enum_type.__name__}.{names[-1]}")
    return found


def test_the_check_finds_unscoped_enums_and_passes_scoped_ones(qgis_app):
    source = ("a = Qt.AlignLeft\nb = Qt.AlignmentFlag.AlignLeft\nc = QgsFeatureSink.FastInsert\n"
              "d = QgsFeatureSink.Flag.FastInsert\ne = QgsProject.instance\n")
    assert [line.split(":")[0] for line in unscoped_enums(source)] == ["line 1", "line 3"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPOSITORY)))
def test_enums_are_fully_scoped(path, qgis_app):
    found = unscoped_enums(path.read_text(encoding="utf-8"))
    assert not found, "unscoped enums, which PyQt6 refuses:\n" + "\n".join(found)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPOSITORY)))
def test_no_qt5_only_spellings(path):
    relative = str(path.relative_to(REPOSITORY))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("exec_", "print_"):
            problems.append(f"line {node.lineno}: {node.attr}() is gone in Qt 6: use {node.attr[:-1]}()")
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("PyQt5", "PyQt6"):
            problems.append(f"line {node.lineno}: import Qt through qgis.PyQt, not {node.module}")
        moved_to_qtgui = isinstance(node, ast.ImportFrom) and node.module == "qgis.PyQt.QtWidgets" and any(
            alias.name in ("QAction", "QActionGroup", "QShortcut") for alias in node.names)
        if moved_to_qtgui and relative not in VERSIONED:
            problems.append(f"line {node.lineno}: QAction lives in QtGui under Qt 6 (see plugin/qt_compat.py)")
        if (relative not in VERSIONED and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "QVariant" and node.attr[:1].isupper()):
            problems.append(f"line {node.lineno}: QVariant.{node.attr} does not exist in PyQt6: "
                            f"use qgis_layers.fields")
    assert not problems, "\n".join(problems)
