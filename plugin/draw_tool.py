"""Draw a polygon on the map and total a flux raster over it with the code of desertcarbon:aggregate.

Drawn polygons are kept in a scratch memory layer, "Drawn polygons", in the project CRS, which the
aggregate and scenario algorithms accept like any polygon layer: its empty practice and
planting_year fields are the ones desertcarbon:scenario reads, for the user to fill in. A project keeps
no memory layer's features: when it is saved they are written to a GeoPackage beside it
(<project>_drawn_polygons.gpkg), and the layer reads that file when the project is opened again.
"""
from pathlib import Path

from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsFeature, QgsGeometry, QgsProject,
                       QgsVectorFileWriter, QgsVectorLayer, QgsWkbTypes)
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from ..core.aggregate import MEAN_ROW, aggregate_totals
from ..core.text_output import finite_or_none
from ..qgis_layers.fields import make_field
from ..qgis_layers.polygons import parts_of, repaired_in_crs

SCRATCH_LAYER_NAME = "Drawn polygons"
SCRATCH_PROPERTY = "desert_carbon/scratch"          # marks the layer, whatever the user renames it to
SCRATCH_FIELDS = (("name", "string"), ("flux_raster", "string"), ("area_km2", "double"),
                  ("mean_PgCO2_a", "double"), ("mean_rate_gCO2_m2_a", "double"),
                  ("practice", "string"), ("planting_year", "int"))
DRAWN_FILE_SUFFIX = "_drawn_polygons.gpkg"
DRAWN_TABLE = "drawn_polygons"
FINISH_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
UNDO_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class PolygonDrawTool(QgsMapTool):
    """Left click adds a vertex, right click or Enter closes the polygon, Backspace takes the last
    vertex back, Esc starts again. ``finished`` carries the polygon in the canvas CRS."""
    finished = pyqtSignal(QgsGeometry)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points = []
        self.band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.band.setStrokeColor(QColor(214, 39, 40, 220))
        self.band.setFillColor(QColor(214, 39, 40, 50))
        self.band.setWidth(2)
        self.setCursor(QgsApplication.getThemeCursor(QgsApplication.Cursor.CapturePoint))

    def canvasReleaseEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.points.append(self.toMapCoordinates(event.pos()))
            self._show()
        elif event.button() == Qt.MouseButton.RightButton:
            self.close_polygon()

    def canvasMoveEvent(self, event):  # noqa: N802
        if self.points:
            self._show(self.toMapCoordinates(event.pos()))

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.reset()
        elif event.key() in UNDO_KEYS and self.points:
            self.points.pop()
            self._show()
        elif event.key() in FINISH_KEYS:
            self.close_polygon()
        else:
            return
        event.accept()

    def close_polygon(self):
        if len(self.points) >= 3:
            geometry = QgsGeometry.fromPolygonXY([self.points])
            self.reset()
            self.finish(geometry)
        else:
            self.reset()

    def finish(self, geometry):
        """Hand a finished polygon (canvas CRS) on; tests call this with a geometry of their own."""
        self.finished.emit(geometry)

    def reset(self):
        self.points = []
        self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)

    def deactivate(self):
        self.reset()
        super().deactivate()

    def remove_band(self):
        self.canvas().scene().removeItem(self.band)

    def _show(self, moving=None):
        ring = self.points + ([moving] if moving is not None else [])
        self.band.setToGeometry(QgsGeometry.fromPolygonXY([ring]), None)


def scratch_layer(project=None, create=True):
    """The "Drawn polygons" memory layer of the project (made in the project CRS when missing)."""
    project = project or QgsProject.instance()
    for layer in project.mapLayers().values():
        if layer.customProperty(SCRATCH_PROPERTY) == "drawn":
            return layer
    if not create:
        return None
    layer = QgsVectorLayer(f"Polygon?crs={project.crs().authid() or 'EPSG:4326'}", SCRATCH_LAYER_NAME, "memory")
    layer.dataProvider().addAttributes([make_field(name, kind) for name, kind in SCRATCH_FIELDS])
    layer.updateFields()
    layer.setCustomProperty(SCRATCH_PROPERTY, "drawn")
    layer.renderer().symbol().setColor(QColor(214, 39, 40, 60))
    project.addMapLayer(layer)
    return layer


def polygon_rings(geometry, source_crs, target_crs, project=None):
    """The parts of rings core.aggregate takes, in ``target_crs``: vertices transformed, edges straight
    there, an invalid polygon repaired, as desertcarbon:aggregate does."""
    project = project or QgsProject.instance()
    transform = QgsCoordinateTransform(source_crs, target_crs, project.transformContext())
    return parts_of(repaired_in_crs(geometry, transform))


def total_drawn_polygon(geometry, crs, raster_layer, name, project=None, ensemble=()):
    """core.aggregate's totals of ``raster_layer`` over one polygon given in ``crs`` (``ensemble``: member rasters)."""
    parts = polygon_rings(geometry, crs, raster_layer.crs(), project)
    return aggregate_totals(raster_layer.source(), [(name, parts)], ensemble_paths=tuple(ensemble))


def keep_drawn_polygon(geometry, crs, name, raster_name, result, project=None):
    """Add the polygon and its mean figures to the scratch layer; returns the layer."""
    project = project or QgsProject.instance()
    layer = scratch_layer(project)
    geometry = QgsGeometry(geometry)
    geometry.transform(QgsCoordinateTransform(crs, layer.crs(), project.transformContext()))
    mean = next(row for row in result.rows() if row["year"] == MEAN_ROW)
    feature = QgsFeature(layer.fields())
    feature.setGeometry(geometry)
    feature.setAttributes([name, raster_name, mean["area_polygon_m2"] / 1e6, finite_or_none(mean["total_PgCO2_a"]),
                           finite_or_none(mean["mean_rate_gCO2_m2_a"]), None, None])
    layer.dataProvider().addFeature(feature)
    layer.updateExtents()
    layer.triggerRepaint()
    return layer


def drawn_polygons_file(project):
    """The GeoPackage beside the project's file that keeps its drawn polygons; None for an unsaved project."""
    if not project.fileName():
        return None
    path = Path(project.fileName())
    return path.with_name(path.stem + DRAWN_FILE_SUFFIX)


def save_drawn_polygons(project=None):
    """Write the scratch layer's polygons to the GeoPackage beside the project (when the project is saved);
    returns the file, or None when there is nothing to keep or the layer already lives in a file."""
    project = project or QgsProject.instance()
    layer = scratch_layer(project, create=False)
    target = drawn_polygons_file(project)
    if layer is None or target is None or layer.providerType() != "memory":
        return None
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = DRAWN_TABLE
    temporary = target.with_name(target.name + ".partial.gpkg")         # renamed once complete
    error, message, _path, _layer = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(temporary), project.transformContext(), options)
    if error != QgsVectorFileWriter.WriterError.NoError:
        temporary.unlink(missing_ok=True)
        raise OSError(f"The drawn polygons could not be written to {target}: {message}")
    temporary.replace(target)
    return target


def restore_drawn_polygons(project=None):
    """When an opened project's scratch layer came back empty (a memory layer), point it at the GeoPackage saved
    beside the project; returns the layer when it was restored."""
    project = project or QgsProject.instance()
    layer = scratch_layer(project, create=False)
    source = drawn_polygons_file(project)
    if layer is None or source is None or not source.exists():
        return None
    if layer.providerType() != "memory" or layer.featureCount() > 0:
        return None
    layer.setDataSource(f"{source}|layername={DRAWN_TABLE}", layer.name(), "ogr")
    return layer if layer.isValid() else None
