"""Polygon layers as the core takes them, and the core's rings back as QGIS geometries.

The core wants each polygon as parts of rings ((N, 2) float arrays, the exterior first, then holes) in
the raster's CRS: vertices are transformed, edges stay straight in that CRS, and invalid geometries are
repaired with a warning naming the feature instead of Processing's stop at the first invalid one.
"""
from dataclasses import dataclass
from functools import partial

import numpy as np
from qgis.core import QgsCoordinateTransform, QgsFeature, QgsFeatureRequest, QgsGeometry, QgsPointXY

from .enums import GEOMETRY_POLYGON, SKIP_GEOMETRY_CHECKS


@dataclass
class PolygonFeature:
    feature_id: str
    parts: list                 # rings in the target CRS, as the core takes them
    geometry: QgsGeometry       # the repaired geometry in the target CRS
    feature: QgsFeature


def polygons_in_crs(source, crs, context, feedback, id_field=""):
    """PolygonFeature per feature of ``source`` with a geometry, in ``crs``; ids from ``id_field`` or the fid."""
    transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
    polygons = []
    features = source.getFeatures(QgsFeatureRequest(), SKIP_GEOMETRY_CHECKS)
    for feature in features:
        fid = str(feature[id_field]) if id_field else str(feature.id())
        geometry = feature.geometry()
        if geometry.isEmpty():
            feedback.reportError(f"Feature {fid} has no geometry: left out.", fatalError=False)
            continue
        report = partial(feedback.reportError, f"Feature {fid}: invalid geometry repaired (makeValid).",
                         fatalError=False)
        geometry = repaired_in_crs(geometry, transform, report)
        polygons.append(PolygonFeature(fid, parts_of(geometry), geometry, feature))
    return polygons


def repaired_in_crs(geometry, transform, on_repair=None):
    """A copy of a polygon ``geometry`` made valid (``on_repair()`` is called when it was not) and
    transformed by the QgsCoordinateTransform ``transform``; the input geometry is left as it was."""
    geometry = QgsGeometry(geometry)
    if not geometry.isGeosValid():
        if on_repair is not None:
            on_repair()
        geometry = geometry.makeValid().convertToType(GEOMETRY_POLYGON, True)
    geometry.transform(transform)
    return geometry


def parts_of(geometry):
    """The core's parts of rings of a (multi)polygon geometry."""
    parts = geometry.asMultiPolygon() if geometry.isMultipart() else [geometry.asPolygon()]
    return [[np.array([(p.x(), p.y()) for p in ring], dtype=np.float64) for ring in part] for part in parts if part]


def geometry_from_parts(parts):
    """A (multi)polygon geometry from the core's parts of closed rings."""
    polygons = [[[QgsPointXY(float(x), float(y)) for x, y in ring] for ring in part] for part in parts]
    if len(polygons) == 1:
        return QgsGeometry.fromPolygonXY(polygons[0])
    return QgsGeometry.fromMultiPolygonXY(polygons)
