"""desertcarbon:scenario — yearly CO2 totals of a region with desertification-control interventions."""
from qgis.core import (NULL, QgsGeometry, QgsProcessingException, QgsProcessingMultiStepFeedback,
                       QgsProcessingOutputNumber, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from rasterio.crs import CRS

from ..core.practices import load_practices
from ..core.scenario import (DEFAULT_HORIZON, DEFAULT_START_YEAR, FIELDS, TAZHONG_RATE, Intervention, run_scenario,
                             write_change_raster, write_csv)
from ..qgis_layers.enums import (NUMBER_DOUBLE, NUMBER_INTEGER, SOURCE_VECTOR_ANY,
                                 SOURCE_VECTOR_POLYGON)
from ..qgis_layers.polygons import parts_of, polygons_in_crs
from .base import DesertCarbonAlgorithm
from .styles import diverging_style, style_output

FIELD_KINDS = {"feature_id": "string", "practice": "string", "planting_year": "int", "year": "int"}   # else double


class ScenarioAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "scenario"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("ScenarioAlgorithm", "Desertification-control scenario (Pg CO2 per year)")
    GROUP = QT_TRANSLATE_NOOP("ScenarioAlgorithm", "Desertification control")
    HELP = QT_TRANSLATE_NOOP(
        "ScenarioAlgorithm",
        "<p>How much more CO<sub>2</sub> a region takes up, year by year, when parts of it are planted with "
        "desertification-control practices (review section 4 [R]): shelter forest takes up about 1000 g "
        "CO<sub>2</sub> m⁻² a⁻¹ at full growth in the Taklimakan hinterland, some 150 times shifting sand; a "
        "<i>Haloxylon ammodendron</i> plantation 434 g C m⁻² a⁻¹. Positive = release, negative = uptake; totals "
        "in <b>Pg CO<sub>2</sub> a⁻¹</b>.</p>"
        "<p><b>Inputs.</b> BASELINE, the annual flux raster of <i>fluxscheme</i> (g CO<sub>2</sub> m⁻² a⁻¹; the "
        "mean of its bands is held over the horizon), or without it the constant BASELINE_RATE (default −6.31, "
        "the Tazhong shifting-sand uptake [R]). INTERVENTIONS: polygons with a practice id (PRACTICE_FIELD) and "
        "a planting year (PLANTING_YEAR_FIELD). On planted land the flux moves from the baseline b to the "
        "practice's mature rate r along its growth curve g (0 in the planting year, 1 at maturity): change = g "
        "· (r − b) · area. PRACTICES: the practices table (CSV with a units row; empty = the bundled one, whose "
        "ranges, growth and water figures are provisional [P]). REGION: polygons over which the region's totals "
        "are taken (default: the baseline raster's extent). START_YEAR and HORIZON (years) set the period; "
        "WATER_BUDGET (m³ a⁻¹) names the years whose water need exceeds it. Totals use the code of "
        "<i>aggregate</i>, so the baseline equals <i>aggregate</i> on the same raster and polygons. "
        "BASELINE_ENSEMBLE (rasters) or BASELINE_ENSEMBLE_FOLDER (fluxscheme's OUTPUT_ENSEMBLE): each parameter "
        "set's baseline goes through the same arithmetic at the practices' central rates.</p>"
        "<p><b>Outputs.</b> OUTPUT: one row per intervention and year, then a <i>region</i> row per year: "
        "growth, area_m2, baseline and scenario totals, change (negative = more uptake) and "
        "cumulative_uptake_gain_PgCO2 (positive = more CO<sub>2</sub> taken up than the baseline), each with "
        "_min/_max from the practices' low and high rates, water_m3_a and water_budget_m3_a; with a baseline "
        "ensemble the parameter spread of the scenario total (scenario_parameter_sd_PgCO2_a, _p05, _p95), the "
        "baseline's interannual sd and combined_uncertainty_PgCO2_a = √(parameter sd² + interannual sd²), the "
        "uncertainty of a future year's total; the same as CSV "
        "(OUTPUT_CSV). OUTPUT_CHANGE: scenario − baseline per cell in CHANGE_YEAR (0 = the horizon's last "
        "year), g CO<sub>2</sub> m⁻² a⁻¹.</p>"
        "<p><b>Example.</b> The demo's 2,833 ha shelter belt planted in 2023 over the synthetic demo baseline, "
        "HORIZON 30: after 30 years the belt takes up 2.82e-05 Pg CO<sub>2</sub> a⁻¹ more than the sand it "
        "replaced, a cumulative gain of 6.62e-04 Pg CO<sub>2</sub>.</p>"
        "<p><b>Refuses</b> (naming the feature): overlapping interventions; a practice missing from the table; "
        "a polygon wholly outside the raster. A polygon planted after the horizon, partly outside the raster or "
        "without a baseline value gets a warning.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(
            "BASELINE", self.tr("Baseline annual flux raster (g CO2 m⁻² a⁻¹; empty = constant rate)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "BASELINE_RATE", self.tr("Constant baseline rate without a raster (g CO2 m⁻² a⁻¹, negative = uptake)"),
            NUMBER_DOUBLE, defaultValue=TAZHONG_RATE))
        for parameter in self.ensemble_parameters(
                "BASELINE_ENSEMBLE", self.tr("Baseline ensemble: flux rasters of other parameter sets"),
                self.tr("…or a baseline ensemble folder (fluxscheme's OUTPUT_ENSEMBLE)")):
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INTERVENTIONS", self.tr("Interventions"), [SOURCE_VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", self.tr("Intervention name field (empty = feature id)"),
            parentLayerParameterName="INTERVENTIONS", optional=True))
        # optional so that the default applies when the field is not given: QGIS 3.22 refuses a missing
        # field value even with a default; a missing field is reported in processAlgorithm
        self.addParameter(QgsProcessingParameterField(
            "PRACTICE_FIELD", self.tr("Practice field"), defaultValue="practice",
            parentLayerParameterName="INTERVENTIONS", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "PLANTING_YEAR_FIELD", self.tr("Planting year field"), defaultValue="planting_year",
            parentLayerParameterName="INTERVENTIONS", optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PRACTICES", self.tr("Practices table (CSV; empty = bundled)"), extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "START_YEAR", self.tr("First year"), NUMBER_INTEGER, defaultValue=DEFAULT_START_YEAR,
            minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "HORIZON", self.tr("Horizon (years)"), NUMBER_INTEGER, defaultValue=DEFAULT_HORIZON,
            minValue=1, maxValue=1000))
        self.addParameter(QgsProcessingParameterNumber(
            "WATER_BUDGET", self.tr("Water budget (m³ a⁻¹, optional)"), NUMBER_DOUBLE,
            optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "CHANGE_YEAR", self.tr("Year of the change raster (0 = last year of the horizon)"),
            NUMBER_INTEGER, defaultValue=0, minValue=0))
        self.add_advanced_parameters([
            QgsProcessingParameterFeatureSource(
                "REGION", self.tr("Region polygons (empty = the baseline raster's extent)"),
                [SOURCE_VECTOR_POLYGON], optional=True),
            self.memory_parameter(256),
        ])
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Scenario per intervention and year"), SOURCE_VECTOR_ANY))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_CHANGE", self.tr("Change, scenario − baseline (g CO2 m⁻² a⁻¹)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_CSV", self.tr("Scenario as CSV"), "CSV files (*.csv)", optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(
            "REGION_CHANGE_PGCO2_A", self.tr("Region's change in the last year (Pg CO2 a⁻¹)")))
        self.addOutput(QgsProcessingOutputNumber(
            "CUMULATIVE_UPTAKE_GAIN_PGCO2", self.tr("Region's cumulative uptake gain over the horizon (Pg CO2)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        practices = self.checked(load_practices, self.parameterAsFile(parameters, "PRACTICES", context) or None)
        baseline = self.parameterAsRasterLayer(parameters, "BASELINE", context)
        source = self.parameterAsSource(parameters, "INTERVENTIONS", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INTERVENTIONS"))
        for key in ("PRACTICE_FIELD", "PLANTING_YEAR_FIELD"):
            name = self.parameterAsString(parameters, key, context)
            if source.fields().indexOf(name) < 0:
                raise QgsProcessingException(f"INTERVENTIONS has no field '{name}' ({key}).")
        crs = baseline.crs() if baseline else source.sourceCrs()
        polygons = polygons_in_crs(source, crs, context, feedback,
                                   self.parameterAsString(parameters, "ID_FIELD", context))
        interventions = [Intervention(p.feature_id, p.parts, *self._attributes(p, parameters, context))
                         for p in polygons]
        start = self.parameterAsInt(parameters, "START_YEAR", context)
        horizon = self.parameterAsInt(parameters, "HORIZON", context)
        change_year = self.parameterAsInt(parameters, "CHANGE_YEAR", context) or start + horizon - 1
        if not start <= change_year < start + horizon:
            raise QgsProcessingException(f"CHANGE_YEAR {change_year} lies outside the horizon {start}–"
                                         f"{start + horizon - 1}.")
        budget = parameters.get("WATER_BUDGET")
        budget = None if budget in (None, "") else self.parameterAsDouble(parameters, "WATER_BUDGET", context)
        memory = self.memory_budget_bytes(parameters, context)
        change_path = self.parameterAsOutputLayer(parameters, "OUTPUT_CHANGE", context) if baseline else None
        steps = QgsProcessingMultiStepFeedback(2 if change_path else 1, feedback)
        result = self.run_core(
            steps, run_scenario, interventions, practices, start, horizon,
            baseline_path=baseline.source() if baseline else None,
            baseline_rate=self.parameterAsDouble(parameters, "BASELINE_RATE", context), crs=_rasterio_crs(crs),
            region=self._region(parameters, context, feedback, crs), water_budget_m3=budget, budget_bytes=memory,
            baseline_ensemble=self.ensemble_paths(parameters, context, "BASELINE_ENSEMBLE"))
        self.report_warnings(feedback, result.warnings)
        outputs = {"OUTPUT": self.write_sink(parameters, "OUTPUT", context,
                                             [(name, FIELD_KINDS.get(name, "double")) for name in FIELDS],
                                             [[row[name] for name in FIELDS] for row in result.rows()])}
        csv_path = self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context)
        if csv_path:
            write_csv(result, csv_path)
            outputs["OUTPUT_CSV"] = csv_path
        if change_path:
            steps.setCurrentStep(1)
            self.run_core(steps, write_change_raster, change_path, baseline.source(), interventions, practices,
                          change_year, budget_bytes=memory)
            style_output(change_path, context, diverging_style())
            outputs["OUTPUT_CHANGE"] = change_path
        elif self.parameterAsOutputLayer(parameters, "OUTPUT_CHANGE", context):
            feedback.pushInfo("No change raster without a baseline raster: its grid is the baseline's.")
        region = result.region
        feedback.pushInfo(f"Baseline {result.baseline}: region {region.baseline_pg_co2:.4e} Pg CO2 a-1 over "
                          f"{region.area_m2 / 1e6:,.0f} km²; change in {result.years[-1]}: "
                          f"{region.change_pg_co2[1, -1]:.4e} Pg CO2 a-1 "
                          f"({region.change_pg_co2[0, -1]:.4e} to {region.change_pg_co2[2, -1]:.4e}).")
        return outputs | {"REGION_CHANGE_PGCO2_A": float(region.change_pg_co2[1, -1]),
                          "CUMULATIVE_UPTAKE_GAIN_PGCO2": -float(region.change_pg_co2[1].sum())}

    def _attributes(self, polygon, parameters, context):
        """(practice id, planting year) of one intervention; an error naming it when either is missing."""
        practice = polygon.feature[self.parameterAsString(parameters, "PRACTICE_FIELD", context)]
        year = polygon.feature[self.parameterAsString(parameters, "PLANTING_YEAR_FIELD", context)]
        if practice in (None, NULL) or not str(practice).strip():
            raise QgsProcessingException(f"Intervention {polygon.feature_id} has no practice.")
        try:
            return str(practice).strip(), int(float(year))
        except (TypeError, ValueError):
            raise QgsProcessingException(f"Intervention {polygon.feature_id}: planting year '{year}' is not a "
                                         f"year.") from None

    def _region(self, parameters, context, feedback, crs):
        source = self.parameterAsSource(parameters, "REGION", context)
        if source is None:
            return None
        return parts_of(QgsGeometry.unaryUnion([p.geometry for p in polygons_in_crs(source, crs, context, feedback)]))


def _rasterio_crs(crs):
    return CRS.from_user_input(crs.authid()) if crs.authid() else CRS.from_wkt(crs.toWkt())

