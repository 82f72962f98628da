"""The map layer of opened stations: a point per station table with coordinates, carrying the options it was
opened with, so that selecting a point (a click with the select tool) opens that station again."""
import json

from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

from ..qgis_layers.fields import make_field
from .table_source import stop_watching_selection, watched

STATION_LAYER_NAME = "Stations (Desert Carbon)"
STATION_FIELDS = (("station_id", "string"), ("name", "string"), ("kind", "string"), ("source", "string"),
                  ("options", "string"))


class StationLayer:
    """The project's station layer, found by name or made when missing; ``on_selected(state)`` is called with
    the saved options of a station selected alone."""

    def __init__(self, on_selected):
        self.on_selected = on_selected
        self.layer = None

    def show(self, series, state):
        """Add or update the point of ``series`` (nothing without coordinates); ``state`` reopens it."""
        if series.latitude is None or series.longitude is None:
            return
        layer = self._layer()
        feature = next((f for f in layer.getFeatures() if f["kind"] == state["kind"] and
                        f["source"] == state["source"]), None)
        attributes = [series.station_id or "", series.station_name or "", state["kind"], state["source"],
                      json.dumps(state)]
        geometry = QgsGeometry.fromPointXY(QgsPointXY(series.longitude, series.latitude))
        provider = layer.dataProvider()         # not the edit buffer: the layer may be in edit mode
        if feature is None:
            feature = QgsFeature(layer.fields())
            feature.setAttributes(attributes)
            feature.setGeometry(geometry)
            provider.addFeature(feature)
        else:
            provider.changeAttributeValues({feature.id(): dict(enumerate(attributes))})
            provider.changeGeometryValues({feature.id(): geometry})
        layer.updateExtents()
        layer.triggerRepaint()

    def disconnect(self):
        """Stop watching the layer's selection (the dock closes, or the project dropped the layer)."""
        self.layer = stop_watching_selection(self.layer, self._selection_changed)

    def _layer(self):
        project = QgsProject.instance()
        layer = watched(self.layer)
        if layer is None or project.mapLayer(layer.id()) is not layer:
            self.disconnect()
            found = project.mapLayersByName(STATION_LAYER_NAME)
            layer = found[0] if found else QgsVectorLayer("Point?crs=EPSG:4326", STATION_LAYER_NAME, "memory")
            if not found:
                layer.dataProvider().addAttributes([make_field(name, kind) for name, kind in STATION_FIELDS])
                layer.updateFields()
                project.addMapLayer(layer)
            layer.selectionChanged.connect(self._selection_changed)
            self.layer = layer
        return layer

    def _selection_changed(self, selected, _deselected, _clear):
        if len(selected) == 1:
            self.on_selected(json.loads(self.layer.getFeature(selected[0])["options"]))
