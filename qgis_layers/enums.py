"""QGIS enum values whose names moved between releases, resolved once for the running QGIS.

QGIS 3.30–3.36 moved many enums into ``Qgis`` (``Qgis.WkbType``, ``Qgis.ProcessingSourceType`` ...),
keeping the old names as aliases; Qt 6 builds (QGIS 4) accept only fully scoped names. Each value
here is taken under its newest name when this QGIS has it, else under the 3.22 name, so the shells
use one name that works from 3.22 to 4 (CONTRIBUTING.md, "QGIS releases").
"""
import qgis.core
import qgis.gui


def resolve(*dotted_names):
    """The first of ``dotted_names`` ("Qgis.WkbType.NoGeometry", ...) that this QGIS defines."""
    for dotted in dotted_names:
        owner_name, *path = dotted.split(".")
        value = getattr(qgis.core, owner_name, None) or getattr(qgis.gui, owner_name, None)
        for attribute in path:
            value = getattr(value, attribute, None)
        if value is not None:
            return value
    raise AttributeError(f"None of {dotted_names} exists in QGIS {qgis.core.Qgis.QGIS_VERSION}")


NUMBER_INTEGER = resolve("Qgis.ProcessingNumberParameterType.Integer", "QgsProcessingParameterNumber.Type.Integer")
NUMBER_DOUBLE = resolve("Qgis.ProcessingNumberParameterType.Double", "QgsProcessingParameterNumber.Type.Double")
SOURCE_VECTOR_ANY = resolve("Qgis.ProcessingSourceType.Vector", "QgsProcessing.SourceType.TypeVector")
SOURCE_VECTOR_POLYGON = resolve("Qgis.ProcessingSourceType.VectorPolygon",
                                "QgsProcessing.SourceType.TypeVectorPolygon")
SOURCE_RASTER = resolve("Qgis.ProcessingSourceType.Raster", "QgsProcessing.SourceType.TypeRaster")
SOURCE_FILE = resolve("Qgis.ProcessingSourceType.File", "QgsProcessing.SourceType.TypeFile")
FILE_BEHAVIOR_FOLDER = resolve("Qgis.ProcessingFileParameterBehavior.Folder",
                               "QgsProcessingParameterFile.Behavior.Folder")
PARAMETER_ADVANCED = resolve("Qgis.ProcessingParameterFlag.Advanced",
                             "QgsProcessingParameterDefinition.Flag.FlagAdvanced")
PARAMETER_OPTIONAL = resolve("Qgis.ProcessingParameterFlag.Optional",
                             "QgsProcessingParameterDefinition.Flag.FlagOptional")
SKIP_GEOMETRY_CHECKS = resolve("Qgis.ProcessingFeatureSourceFlag.SkipGeometryValidityChecks",
                               "QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks")
FAST_INSERT = resolve("QgsFeatureSink.Flag.FastInsert")
WKB_NO_GEOMETRY = resolve("Qgis.WkbType.NoGeometry", "QgsWkbTypes.Type.NoGeometry")
WKB_MULTIPOLYGON = resolve("Qgis.WkbType.MultiPolygon", "QgsWkbTypes.Type.MultiPolygon")
WKB_POINT = resolve("Qgis.WkbType.Point", "QgsWkbTypes.Type.Point")
GEOMETRY_POLYGON = resolve("Qgis.GeometryType.Polygon", "QgsWkbTypes.GeometryType.PolygonGeometry")
RAMP_INTERPOLATED = resolve("Qgis.ShaderInterpolationMethod.Linear", "QgsColorRampShader.Type.Interpolated")
LAYER_FILTER_RASTER = resolve("Qgis.LayerFilter.RasterLayer", "QgsMapLayerProxyModel.Filter.RasterLayer")
LAYER_FILTER_VECTOR = resolve("Qgis.LayerFilter.VectorLayer", "QgsMapLayerProxyModel.Filter.VectorLayer")
LAYER_FILTER_POLYGON = resolve("Qgis.LayerFilter.PolygonLayer", "QgsMapLayerProxyModel.Filter.PolygonLayer")
PROPERTY_STATIC = resolve("Qgis.PropertyType.Static", "QgsProperty.Type.StaticProperty")
