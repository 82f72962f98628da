"""Styles for the outputs, so that they load readable in the map.

A style is a function of a layer. ``style_output`` writes it as a .qml beside the file (QGIS applies
that whenever the file is opened, qgis_process runs included) and, when Processing loads the result,
applies it through a post-processor.
"""
from qgis.core import (QgsColorRampShader, QgsPalettedRasterRenderer, QgsProcessingLayerPostProcessorInterface,
                       QgsRasterLayer, QgsRasterShader, QgsSingleBandPseudoColorRenderer,
                       QgsStyle)
from qgis.PyQt.QtGui import QColor

from ..core.output_guard import final_path
from ..qgis_layers.enums import RAMP_INTERPOLATED

DIVERGING_CLASSES = 9
# significance code -> (colour, label): the Trends.Earth convention, blue = more uptake (decrease)
SIGNIFICANCE_CLASSES = {
    -3: ("#2166ac", "decrease, 99 %"), -2: ("#67a9cf", "decrease, 95 %"), -1: ("#d1e5f0", "decrease, 90 %"),
    0: ("#f7f7f7", "no significant trend"),
    1: ("#fddbc7", "increase, 90 %"), 2: ("#ef8a62", "increase, 95 %"), 3: ("#b2182b", "increase, 99 %"),
}


def diverging_style(band=1):
    """Red for release, blue for uptake, white at zero, symmetric about zero."""
    def apply(layer):
        # 2-98 % cumulative cut: a few strong edge cells must not wash out the desert's small signal
        low, high = layer.dataProvider().cumulativeCut(band, 0.02, 0.98)
        limit = max(abs(low), abs(high)) or 1.0
        ramp = QgsStyle.defaultStyle().colorRamp("RdBu")
        ramp.invert()
        items = []
        for i in range(DIVERGING_CLASSES):
            fraction = i / (DIVERGING_CLASSES - 1)
            value = -limit + 2 * limit * fraction
            items.append(QgsColorRampShader.ColorRampItem(value, ramp.color(fraction), f"{value:.3g}"))
        function = QgsColorRampShader(-limit, limit, ramp, RAMP_INTERPOLATED)
        function.setColorRampItemList(items)
        shader = QgsRasterShader()
        shader.setRasterShaderFunction(function)
        renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band, shader)
        renderer.setClassificationMin(-limit)
        renderer.setClassificationMax(limit)
        layer.setRenderer(renderer)
        layer.triggerRepaint()
    return apply


def sequential_style(ramp_name, band=1):
    """A sequential ramp from the 2nd to the 98th percentile (rain: "Blues", net radiation: "YlOrRd")."""
    def apply(layer):
        low, high = layer.dataProvider().cumulativeCut(band, 0.02, 0.98)
        if not high > low:
            high = low + 1.0                  # a uniform field: any ramp of width one shows it
        ramp = QgsStyle.defaultStyle().colorRamp(ramp_name)
        items = []
        for i in range(DIVERGING_CLASSES):
            fraction = i / (DIVERGING_CLASSES - 1)
            value = low + (high - low) * fraction
            items.append(QgsColorRampShader.ColorRampItem(value, ramp.color(fraction), f"{value:.3g}"))
        function = QgsColorRampShader(low, high, ramp, RAMP_INTERPOLATED)
        function.setColorRampItemList(items)
        shader = QgsRasterShader()
        shader.setRasterShaderFunction(function)
        renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band, shader)
        renderer.setClassificationMin(low)
        renderer.setClassificationMax(high)
        layer.setRenderer(renderer)
        layer.triggerRepaint()
    return apply


def significance_style(band):
    """The significance code −3..+3 as seven named classes."""
    def apply(layer):
        classes = [QgsPalettedRasterRenderer.Class(code, QColor(colour), label)
                   for code, (colour, label) in SIGNIFICANCE_CLASSES.items()]
        layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), band, classes))
        layer.triggerRepaint()
    return apply


def style_output(path, context, style):
    """``path`` may be the temporary path the output guard gave: the .qml is written beside it and moves into
    place with it; the layer Processing loads is the final one."""
    layer = QgsRasterLayer(str(path), "style")
    if layer.isValid():
        style(layer)
        # the .qml beside the file, which QGIS applies whenever it opens it; saveDefaultStyle() is
        # deprecated from 3.26 on and its replacement is missing in 3.22
        layer.saveNamedStyle(layer.styleURI())
    del layer                              # the file is moved into place once the run ends
    final = final_path(str(path))
    if context.willLoadLayerOnCompletion(final):
        context.layerToLoadOnCompletionDetails(final).setPostProcessor(StylePostProcessor.create(style))


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a result layer once Processing has loaded it into the project."""
    instances = []      # Processing keeps only a raw pointer: keep the Python object alive

    def __init__(self, style):
        super().__init__()
        self.style = style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if isinstance(layer, QgsRasterLayer):
            self.style(layer)

    @classmethod
    def create(cls, style):
        instance = cls(style)
        cls.instances.append(instance)
        return instance
