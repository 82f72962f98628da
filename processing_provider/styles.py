"""Styles applied to the outputs, so that they load readable in the map."""
from qgis.core import (QgsColorRampShader, QgsProcessingLayerPostProcessorInterface, QgsRasterBandStats,
                       QgsRasterLayer, QgsRasterShader, QgsSingleBandPseudoColorRenderer, QgsStyle)

DIVERGING_CLASSES = 9


def apply_diverging_style(layer, band=1):
    """Red for release, blue for uptake, white at zero, symmetric about zero."""
    stats = layer.dataProvider().bandStatistics(band, QgsRasterBandStats.Min | QgsRasterBandStats.Max)
    limit = max(abs(stats.minimumValue), abs(stats.maximumValue)) or 1.0
    ramp = QgsStyle.defaultStyle().colorRamp("RdBu")
    ramp.invert()
    items = []
    for i in range(DIVERGING_CLASSES):
        fraction = i / (DIVERGING_CLASSES - 1)
        value = -limit + 2 * limit * fraction
        items.append(QgsColorRampShader.ColorRampItem(value, ramp.color(fraction), f"{value:.3g}"))
    function = QgsColorRampShader(-limit, limit, ramp, QgsColorRampShader.Interpolated)
    function.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(function)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band, shader)
    renderer.setClassificationMin(-limit)
    renderer.setClassificationMax(limit)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def save_diverging_style(path):
    """Write the style as a .qml beside the raster: QGIS applies it whenever the file is opened."""
    layer = QgsRasterLayer(str(path), "style")
    if layer.isValid():
        apply_diverging_style(layer)
        layer.saveDefaultStyle()


class DivergingStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a result layer once Processing has loaded it into the project."""
    instances = []      # Processing keeps only a raw pointer: keep the Python object alive

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if isinstance(layer, QgsRasterLayer):
            apply_diverging_style(layer)

    @classmethod
    def create(cls):
        instance = cls()
        cls.instances.append(instance)
        return instance
