"""desertcarbon:aggregate — totals of an annual flux raster over polygons, in Pg CO2 a-1 per year."""
import numpy as np
from qgis.core import (QgsProcessingException, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterRasterLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.aggregate import FIELDS, aggregate_totals, write_csv, write_html
from ..qgis_layers.enums import SOURCE_VECTOR_ANY, SOURCE_VECTOR_POLYGON
from ..qgis_layers.polygons import polygons_in_crs
from .base import DesertCarbonAlgorithm

TEXT_FIELDS = {"feature_id", "year"}


class AggregateAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "aggregate"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("AggregateAlgorithm", "Totals over polygons (Pg CO2 per year)")
    GROUP = QT_TRANSLATE_NOOP("AggregateAlgorithm", "Trends and totals")
    HELP = QT_TRANSLATE_NOOP(
        "AggregateAlgorithm",
        "<p>Totals of an annual flux raster (one band per year, g CO<sub>2</sub> m⁻² a⁻¹, e.g. the output of "
        "<i>fluxscheme</i>) over polygons, per polygon and year: Σ flux · true cell area · exact covered "
        "fraction · mask fraction × 10⁻¹⁵ → <b>Pg CO<sub>2</sub> a⁻¹</b> (and Pg C a⁻¹ = × 12.011/44.0095), the "
        "unit of the review's desert-wide total, 1.05e-3 ± 0.96e-3 Pg CO<sub>2</sub> a⁻¹ for the Taklimakan "
        "[R].</p>"
        "<p><b>How.</b> Cell areas are true areas on the WGS84 ellipsoid for geographic and projected rasters "
        "alike; each cell counts with the exact fraction of it inside the polygon (not centre-in-polygon); "
        "holes and multipart polygons are handled; polygons in any CRS are transformed to the raster's "
        "(vertices transformed, edges straight there: densify long edges first); invalid geometries are "
        "repaired with a warning naming the feature. MASK: an optional 0/1 mask or sand fraction 0–1 that "
        "multiplies the cell area (nodata counts as 0). ENSEMBLE: optional flux rasters from other parameter "
        "sets on the same grid and years, or ENSEMBLE_FOLDER, the folder fluxscheme writes as OUTPUT_ENSEMBLE. "
        "Sums in float64, window by window, in this process or, with CLUSTER (local:N or a Dask scheduler's "
        "tcp:// address), as tasks on Dask workers, to the same bits.</p>"
        "<p><b>Uncertainty</b>, three parts reported apart and combined: the parameter spread (ensemble_sd_PgCO2_a "
        "and the 5–95 % range ensemble_p05/p95 of the members' totals), the interannual sd of the yearly totals "
        "(interannual_sd_PgCO2_a), and combined_uncertainty_PgCO2_a: the parameter sd for a year, √(parameter "
        "sd² + interannual sd²) for the mean over years. The log and the HTML give per polygon one line to "
        "copy: mean ± combined, with its parts named.</p>"
        "<p><b>Outputs.</b> OUTPUT, a table with one row per polygon and year and a <i>mean</i> row: "
        "total_PgCO2_a, total_PgC_a, mean_rate_gCO2_m2_a, area_summed_m2, area_masked_m2, area_nodata_m2, "
        "area_polygon_m2, interannual_sd_PgCO2_a, ensemble_sd_PgCO2_a, ensemble_p05_PgCO2_a, ensemble_p95_PgCO2_a, "
        "ensemble_members, combined_uncertainty_PgCO2_a; the same as CSV (OUTPUT_CSV) and an HTML "
        "summary (OUTPUT_HTML). ID_FIELD names the polygons (empty = feature id).</p>"
        "<p><b>Example.</b> A constant flux of −5 g CO<sub>2</sub> m⁻² a⁻¹ over a polygon of 10,000 km² gives "
        "−5 × 10¹⁰ m² × 10⁻¹⁵ = −5e-5 Pg CO<sub>2</sub> a⁻¹ for every year.</p>"
        "<p><b>Refuses</b> (naming the file): a raster without a coordinate reference system; band descriptions "
        "that repeat a year; a MASK with values outside 0–1 (percent: divide by 100); an ENSEMBLE of one "
        "raster (or a folder with fewer than two GeoTIFFs), or members on another grid or with another number of "
        "bands. A polygon outside the raster gives "
        "zero-area rows and a warning naming it.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("INPUT", self.tr("Annual flux raster (g CO2 m⁻² a⁻¹)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "POLYGONS", self.tr("Polygons"), [SOURCE_VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", self.tr("Polygon name field (empty = feature id)"), parentLayerParameterName="POLYGONS",
            optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "MASK", self.tr("Mask or sand fraction (0..1)"), optional=True))
        for parameter in self.ensemble_parameters(
                "ENSEMBLE", self.tr("Ensemble of flux rasters (parameter uncertainty)"),
                self.tr("…or an ensemble folder (fluxscheme's OUTPUT_ENSEMBLE)")):
            self.addParameter(parameter)
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
        ensemble = self.ensemble_paths(parameters, context, "ENSEMBLE")
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
        for totals, line in zip(result.polygons, result.headlines()):
            if np.isfinite(totals.total_pg_co2).any():
                feedback.pushInfo(f"{line}; over {np.nanmean(totals.area_summed_m2) / 1e6:,.0f} km²")
            else:
                feedback.pushInfo(f"{totals.feature_id}: unknown (no data)")
        return {"OUTPUT": sink_id, "OUTPUT_CSV": csv_path, "OUTPUT_HTML": html_path}

