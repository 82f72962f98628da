"""Styles for the outputs, so that they load readable in the map.

A style is a function of a layer. ``style_output`` writes it as a .qml beside the file (QGIS applies
that whenever the file is opened, qgis_process runs included) and, when Processing loads the result,
applies it through a post-processor.
"""
import math

from qgis.core import (QgsBasicNumericFormat, QgsColorRampLegendNodeSettings, QgsColorRampShader,
                       QgsPalettedRasterRenderer, QgsProcessingLayerPostProcessorInterface, QgsRasterLayer,
                       QgsRasterShader, QgsSingleBandPseudoColorRenderer, QgsStyle)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..core.output_guard import final_path
from ..qgis_layers.enums import RAMP_INTERPOLATED

RAMP_CLASSES = 9
# the units the core writes in the band metadata, as a legend shows them
UNIT_LABELS = {"g CO2 m-2 a-1": "g CO₂ m⁻² a⁻¹", "mm a-1": "mm a⁻¹", "W m-2": "W m⁻²",
               "fraction of valid steps": QT_TRANSLATE_NOOP("styles", "fraction of valid steps (0–1)"),
               "t CO2 ha-1 a-1": "t CO₂ ha⁻¹ a⁻¹",
               "kg CO2 m-3": "kg CO₂ m⁻³", "1": "0–1"}
FLUX_UNIT = "g CO2 m-2 a-1"
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
# significance code -> (colour, label): the Trends.Earth convention, blue = more uptake (decrease)
SIGNIFICANCE_CLASSES = {
    -3: ("#2166ac", QT_TRANSLATE_NOOP("styles", "decrease, 99 %")),
    -2: ("#67a9cf", QT_TRANSLATE_NOOP("styles", "decrease, 95 %")),
    -1: ("#d1e5f0", QT_TRANSLATE_NOOP("styles", "decrease, 90 %")),
    0: ("#f7f7f7", QT_TRANSLATE_NOOP("styles", "no significant trend")),
    1: ("#fddbc7", QT_TRANSLATE_NOOP("styles", "increase, 90 %")),
    2: ("#ef8a62", QT_TRANSLATE_NOOP("styles", "increase, 95 %")),
    3: ("#b2182b", QT_TRANSLATE_NOOP("styles", "increase, 99 %")),
}


def tr(text):
    return QCoreApplication.translate("styles", text)


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (> 0): a legend's round end."""
    exponent = math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * 10 ** exponent >= value * (1 - 1e-12):
            return step * 10 ** exponent
    return 10.0 ** (exponent + 1)


def band_range(layer, bands):
    """The 2nd and 98th percentiles over ``bands`` (all by default): one scale for every year, so that years compare
    and a few strong edge cells do not wash out the desert's small signal."""
    provider = layer.dataProvider()
    cuts = [provider.cumulativeCut(band, 0.02, 0.98) for band in bands or range(1, layer.bandCount() + 1)]
    return min(low for low, _ in cuts), max(high for _, high in cuts)


def label(value, step):
    """``value`` rounded to its class step's precision (−6, −4.5, 0.25), with a true minus sign."""
    text = f"{round(value / step) * step:.6g}" if step > 0 else f"{value:.6g}"
    return "0" if float(text) == 0 else text.replace("-", "−")


def pseudocolor(layer, band, low, high, ramp, unit):
    """A single-band ramp from ``low`` to ``high`` with rounded labels and the unit after the continuous legend."""
    items = []
    step = (high - low) / (RAMP_CLASSES - 1)
    for i in range(RAMP_CLASSES):
        fraction = i / (RAMP_CLASSES - 1)
        value = low + (high - low) * fraction
        items.append(QgsColorRampShader.ColorRampItem(value, ramp.color(fraction), label(value, step)))
    function = QgsColorRampShader(low, high, ramp, RAMP_INTERPOLATED)
    function.setColorRampItemList(items)
    legend = QgsColorRampLegendNodeSettings()
    legend.setUseContinuousLegend(True)
    legend.setSuffix(" " + tr(UNIT_LABELS.get(unit, unit)))
    number = QgsBasicNumericFormat()
    number.setNumberDecimalPlaces(max(0, -math.floor(math.log10(max(abs(low), abs(high), 1e-12))) + 1))
    number.setShowTrailingZeros(False)
    legend.setNumericFormat(number)
    function.setLegendSettings(legend)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(function)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def diverging_style(band=1, bands=None, unit=FLUX_UNIT):
    """Red for release, blue for uptake, white at zero; symmetric about zero and rounded, over ``bands`` (all)."""
    def apply(layer):
        low, high = band_range(layer, bands)
        limit = nice_ceiling(max(abs(low), abs(high)) or 1.0)
        ramp = QgsStyle.defaultStyle().colorRamp("RdBu")
        ramp.invert()
        pseudocolor(layer, band, -limit, limit, ramp, unit)
    return apply


def sequential_style(ramp_name, unit, band=1, bands=None, limits=None):
    """A sequential ramp over rounded 2nd–98th percentiles of ``bands`` (all), or fixed ``limits`` (rain: "Blues",
    net radiation: "YlOrRd", fractions: 0–1)."""
    def apply(layer):
        low, high = limits or band_range(layer, bands)
        if limits is None:
            step = nice_ceiling((high - low) / (RAMP_CLASSES - 1)) if high > low else 1.0
            low, high = math.floor(low / step) * step, math.ceil(high / step) * step
            if not high > low:
                high = low + step          # a uniform field: any ramp of one step shows it
        pseudocolor(layer, band, low, high, QgsStyle.defaultStyle().colorRamp(ramp_name), unit)
    return apply


def significance_style(band):
    """The significance code −3..+3 as seven named classes."""
    def apply(layer):
        classes = [QgsPalettedRasterRenderer.Class(code, QColor(colour), tr(label))
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
