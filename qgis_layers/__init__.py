"""QGIS layers in and out, shared by the Processing provider and the dock: polygons as the core takes
them, table layers as columns, and fields that work on every supported QGIS release.

Imports core and qgis only; ``processing_provider/`` and ``plugin/`` both import from here.
"""
