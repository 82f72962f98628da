"""desertcarbon:aggregate — totals of an annual flux raster over polygons, in Pg CO2 a-1 per year."""
import numpy as np
from qgis.core import (QgsProcessingException, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterRasterLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.aggregate import FIELDS, aggregate_totals, write_csv, write_html
from ..qgis_layers.enums import SOURCE_RASTER, SOURCE_VECTOR_ANY, SOURCE_VECTOR_POLYGON
from ..qgis_layers.polygons import polygons_in_crs
from .base import DesertCarbonAlgorithm

TEXT_FIELDS = {"feature_id", "year"}


class AggregateAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "aggregate"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("AggregateAlgorithm", "Totals over polygons (Pg CO2 per year)")
    GROUP = QT_TRANSLATE_NOOP("AggregateAlgorithm", "Trends and totals")
    HELP = QT_TRANSLATE_NOOP("AggregateAlgorithm", """<p>Totals of an annual flux raster
(one band per year, g CO<sub>2</sub> m⁻² a⁻¹, e.g. the output of
<i>fluxscheme</i>) over polygons: per polygon and per year, Σ flux · true cell area · exact covered fraction ·
mask fraction × 10⁻¹⁵ → <b>Pg CO<sub>2</sub> a⁻¹</b> (and Pg C a⁻¹ = × 12.011/44.0095), as the review's
desert-wide total of 1.05e-3 ± 0.96e-3 Pg CO<sub>2</sub> a⁻¹ for the Taklimakan [R].</p>
<ul><li>Cell areas are true areas on the WGS84 ellipsoid, for geographic and projected rasters alike
(within 1e-6 of a geodesic reference, tested).</li>
<li>Each cell counts with the exact fraction of it inside the polygon (not centre-in-polygon); holes and
multipart polygons are handled; polygons in any CRS are transformed to the raster's CRS (vertices
transformed, edges straight in the raster CRS: densify long edges first); invalid geometries are
repaired with a warning naming the feature.</li>
<li>MASK: optional mask (0/1) or sand fraction (0..1) that multiplies the cell area; nodata counts as 0.</li>
<li>ENSEMBLE: optional flux rasters from other parameter sets (same grid and years): their spread is the
parameter uncertainty.</li></ul>
<p>Output table, one row per polygon and year plus a <i>mean</i> row: total_PgCO2_a, total_PgC_a,
mean_rate_gCO2_m2_a, area_summed_m2, area_masked_m2, area_nodata_m2, area_polygon_m2,
interannual_sd_PgCO2_a, ensemble_sd_PgCO2_a; and the same as CSV and an HTML summary. A polygon outside the
raster gives zero-area rows and a warning. Sums in float64, window by window.</p>""")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("INPUT", self.tr("Annual flux raster (g CO2 m⁻² a⁻¹)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "POLYGONS", self.tr("Polygons"), [SOURCE_VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", self.tr("Polygon name field (empty = feature id)"), parentLayerParameterName="POLYGONS",
            optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "MASK", self.tr("Mask or sand fraction (0..1)"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "ENSEMBLE", self.tr("Ensemble of flux rasters (parameter uncertainty)"), SOURCE_RASTER,
            optional=True))
        self.add_advanced_parameters([self.cluster_parameter()])
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Totals per polygon and year"), SOURCE_VECTOR_ANY))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_CSV", self.tr("Totals as CSV"), "CSV files (*.csv)"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_HTML", self.tr("Summary (HTML)"), "HTML files (*.html)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        raster = self.parameterAsRasterLayer(parameters, "INPUT", context)
        mask = self.parameterAsRasterLayer(parameters, "MASK", context)
        ensemble = [layer.source() for layer in self.parameterAsLayerList(parameters, "ENSEMBLE", context)]
        source = self.parameterAsSource(parameters, "POLYGONS", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "POLYGONS"))
        id_field = self.parameterAsString(parameters, "ID_FIELD", context)
        polygons = [(p.feature_id, p.parts) for p in polygons_in_crs(source, raster.crs(), context, feedback, id_field)]
        result = self.run_core(feedback, aggregate_totals, raster.source(), polygons,
                               mask_path=mask.source() if mask else None, ensemble_paths=ensemble,
                               cluster=self.cluster_choice(parameters, context, feedback))
        self.report_warnings(feedback, result.warnings)
        # feature ids and years ("2001", "mean") are text
        sink_id = self.write_sink(parameters, "OUTPUT", context,
                                  [(name, "string" if name in TEXT_FIELDS else "double") for name in FIELDS],
                                  [[str(row[name]) if name in TEXT_FIELDS else row[name] for name in FIELDS]
                                   for row in result.rows()])
        csv_path = self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context)
        html_path = self.parameterAsFileOutput(parameters, "OUTPUT_HTML", context)
        write_csv(result, csv_path)
        write_html(result, html_path)
        for totals in result.polygons:
            feedback.pushInfo(f"{totals.feature_id}: mean {np.nanmean(totals.total_pg_co2):.4e} Pg CO2 a-1 over "
                              f"{np.nanmean(totals.area_summed_m2) / 1e6:,.0f} km²")
        return {"OUTPUT": sink_id, "OUTPUT_CSV": csv_path, "OUTPUT_HTML": html_path}

