"""desertcarbon:trend — per-pixel OLS + t-test and Theil–Sen + Mann–Kendall over annual rasters."""
from qgis.core import (QgsProcessingParameterEnum, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.trend import BAND_NAMES, CORRECTIONS, SIGNIFICANCE_SOURCES
from ..core.trend_run import DEFAULT_MIN_VALID_YEARS, run_trend
from ..qgis_layers.enums import NUMBER_DOUBLE, NUMBER_INTEGER
from .base import DesertCarbonAlgorithm
from .styles import significance_style, style_output


class TrendAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "trend"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("TrendAlgorithm", "Per-pixel trend (OLS, Theil–Sen, Mann–Kendall)")
    GROUP = QT_TRANSLATE_NOOP("TrendAlgorithm", "Trends and totals")
    HELP = QT_TRANSLATE_NOOP(
        "TrendAlgorithm",
        "<p>Per-pixel trend of a raster with one band per year, e.g. the annual fluxes of <i>fluxscheme</i> (g "
        "CO<sub>2</sub> m⁻² a⁻¹), as the review's trend map with p &lt; 0.05 [R]. Years come from the band "
        "descriptions (e.g. 2017) or FIRST_YEAR; nodata years are skipped per pixel and years that are not "
        "consecutive keep their true place on the time axis.</p>"
        "<p><b>Output bands</b> (named in the band descriptions): ols_slope, the least-squares slope in input "
        "units per year (g CO<sub>2</sub> m⁻² a⁻²), and ols_p, its two-sided t-test; sen_slope, the Theil–Sen "
        "slope (same unit); mk_p, the Mann–Kendall p (tie-corrected variance, continuity correction) and "
        "kendall_tau; significance, −3/−2/−1 for a decrease significant at 99/95/90 %, +1/+2/+3 for an increase "
        "and 0 for none (the Trends.Earth convention), from the Mann–Kendall test or, with SIGNIFICANCE_FROM, "
        "from the OLS test; n_valid, the years with a value. The layer loads showing the significance "
        "classes.</p>"
        "<p><b>Options.</b> MIN_VALID_YEARS (default 10): pixels with fewer years are nodata. CORRECTION for "
        "serially correlated series: Yue–Wang pre-whitening or the Hamed–Rao variance correction, as in "
        "pymannkendall [L], with ALPHA the level of the autocorrelation test. The run goes window by window "
        "within MEMORY_MB, in this process or, with CLUSTER (local:N or a Dask scheduler's tcp:// address), as "
        "tasks on Dask workers, to the same bits; every band agrees with scipy and pymannkendall to 1e-9 (tested).</p>"
        "<p><b>Example.</b> INPUT = annual_flux.tif (23 bands, 2000–2022), MIN_VALID_YEARS = 10: a pixel whose "
        "uptake grows by 0.1 g CO<sub>2</sub> m⁻² a⁻¹ each year has ols_slope −0.1 g CO<sub>2</sub> m⁻² a⁻², "
        "and significance −3 when its Mann–Kendall p is below 0.01.</p>"
        "<p><b>Refuses</b> (naming the file and band): band descriptions that are not years when FIRST_YEAR is "
        "empty; two bands described as the same year; fewer bands than MIN_VALID_YEARS; MIN_VALID_YEARS below "
        "3. A cancelled run leaves no output.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("INPUT", self.tr("Annual raster (one band per year)")))
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("Year of band 1 (empty = read from band descriptions)"),
            NUMBER_INTEGER, optional=True, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "MIN_VALID_YEARS", self.tr("Minimum number of valid years"), NUMBER_INTEGER,
            defaultValue=DEFAULT_MIN_VALID_YEARS, minValue=3))
        self.addParameter(QgsProcessingParameterEnum(
            "CORRECTION", self.tr("Correction for serial correlation"), list(CORRECTIONS), defaultValue=0))
        advanced = [
            QgsProcessingParameterEnum("SIGNIFICANCE_FROM", self.tr("Significance code from"),
                                       list(SIGNIFICANCE_SOURCES), defaultValue=0),
            QgsProcessingParameterNumber("ALPHA", self.tr("Significance level of the autocorrelation test"),
                                         NUMBER_DOUBLE, defaultValue=0.05,
                                         minValue=0.001, maxValue=0.5),
            self.memory_parameter(256),
            self.cluster_parameter(),
        ]
        self.add_advanced_parameters(advanced)
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT", self.tr("Trend")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        layer = self.parameterAsRasterLayer(parameters, "INPUT", context)
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        first_year = parameters.get("FIRST_YEAR")
        result = self.run_core(
            feedback, run_trend, layer.source(), output,
            first_year=None if first_year in (None, "") else self.parameterAsInt(parameters, "FIRST_YEAR", context),
            min_valid_years=self.parameterAsInt(parameters, "MIN_VALID_YEARS", context),
            correction=CORRECTIONS[self.parameterAsEnum(parameters, "CORRECTION", context)],
            significance_from=SIGNIFICANCE_SOURCES[self.parameterAsEnum(parameters, "SIGNIFICANCE_FROM", context)],
            alpha=self.parameterAsDouble(parameters, "ALPHA", context),
            budget_bytes=self.memory_budget_bytes(parameters, context),
            cluster=self.cluster_choice(parameters, context, feedback))
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo(f"Years {result.years[0]}–{result.years[-1]} ({len(result.years)}); slope unit "
                          f"{result.slope_units}; {result.pixels_with_trend} of {result.pixels} cells with a trend.")
        significant = sum(n for code, n in result.significance_counts.items() if code != 0)
        if result.pixels_with_trend:
            feedback.pushInfo(f"Significant at 90 % or more: {significant} cells "
                              f"({significant / result.pixels_with_trend:.1%} of the cells with a trend).")
        style_output(output, context, significance_style(BAND_NAMES.index("significance") + 1))
        return {"OUTPUT": output, "SIGNIFICANT_SHARE": significant / result.pixels_with_trend
                if result.pixels_with_trend else 0.0}
