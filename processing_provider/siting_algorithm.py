"""desertcarbon:siting — where a practice gains the most carbon, per hectare or per m³ of water."""
from qgis.core import (QgsProcessingOutputNumber, QgsProcessingParameterEnum, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterFile,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterString)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.practices import load_practices
from ..core.scenario import DEFAULT_START_YEAR, M2_PER_HA
from ..core.siting import BAND_NAMES, RANK_BY, parse_rules, run_siting
from ..qgis_layers.enums import (NUMBER_DOUBLE, NUMBER_INTEGER, SOURCE_RASTER, SOURCE_VECTOR_POLYGON,
                                 WKB_MULTIPOLYGON)
from ..qgis_layers.polygons import geometry_from_parts, polygons_in_crs
from .base import DesertCarbonAlgorithm
from .styles import sequential_style, style_output

# the suitability band (0–1) on a green ramp: the band a user ranks sites by
SUITABILITY_STYLE = sequential_style("Greens", "1", band=BAND_NAMES.index("suitability") + 1, limits=(0.0, 1.0))

DEFAULT_TARGET_HA = 1000.0    # ha [P], about a third of the Tarim Desert Highway shelterbelt's 3,128 ha [L]
SITE_FIELDS = (("site_id", "int"), ("practice", "string"), ("planting_year", "int"), ("cells", "int"),
               ("area_ha", "double"), ("uptake_gain_tCO2_a", "double"), ("uptake_gain_tCO2_ha_a", "double"),
               ("water_m3_a", "double"), ("uptake_gain_kgCO2_m3", "double"), ("mean_suitability", "double"))


class SitingAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "siting"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("SitingAlgorithm", "Siting of a practice (carbon gain per hectare and per m³)")
    GROUP = QT_TRANSLATE_NOOP("SitingAlgorithm", "Desertification control")
    HELP = QT_TRANSLATE_NOOP(
        "SitingAlgorithm",
        "<p>Ranks the cells of a baseline raster for one practice of the practices table (PRACTICE, e.g. "
        "<i>shelter_forest</i>) and returns the best sites for a target area, ready for <i>scenario</i>. Gain "
        "at full growth: uptake gain = mean baseline flux (BASELINE, g CO<sub>2</sub> m⁻² a⁻¹) − the practice's "
        "mature rate, positive = more uptake, in <b>t CO<sub>2</sub> ha⁻¹ a⁻¹</b> and per cubic metre of the "
        "water the planting needs (the table's water_need in m³ ha⁻¹ a⁻¹, or the WATER_NEED raster) in <b>kg "
        "CO<sub>2</sub> m⁻³</b>; RANK_BY chooses which is ranked.</p>"
        "<p><b>Constraints.</b> CONSTRAINT_RASTERS (any grid; resampled to the baseline's) are named in "
        "CONSTRAINT_RULES by layer name (in qgis_process, the file name without extension), separated by ';': "
        "gw_depth&lt;=10 is a threshold a cell must meet (&lt;, &lt;=, &gt;, &gt;=, ==, !=); road_distance:-0.5 "
        "is a weight in −1..1 against the carbon gain's weight 1 (negative: lower values are better). A cell "
        "without a value in a raster a rule reads is left out; so is every cell EXCLUDE_POLYGONS touch "
        "(protected areas, oases) and every cell where the practice would not gain.</p>"
        "<p><b>Outputs.</b> OUTPUT, bands uptake_gain_tCO2_ha_a, uptake_gain_kgCO2_m3, water_need_m3_ha_a, "
        "allowed (1/0) and suitability (0–1: the gain and the weighted constraints, each scaled over the "
        "allowed cells; the layer loads showing it). OUTPUT_SITES: the most suitable cells until their true "
        "area reaches TARGET_HA (ha), dissolved into polygons with practice, planting_year (PLANTING_YEAR), "
        "area_ha and the expected gain, to give to <i>scenario</i>. Water needs and growth in the bundled table "
        "are provisional [P].</p>"
        "<p><b>Example.</b> PRACTICE shelter_forest, BASELINE = annual_flux.tif, TARGET_HA 10000: about 10,000 "
        "ha of the cells with the largest gain, each polygon with its gain in t CO<sub>2</sub> a⁻¹.</p>"
        "<p><b>Refuses</b> (naming it): a practice missing from the table, or the baseline practice itself; a "
        "rule that is neither name&lt;=value nor name:weight, or that names no raster of CONSTRAINT_RASTERS; a "
        "weight outside −1..1; ranking by water for a practice that needs none; a target area of 0 ha or "
        "less.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterString(
            "PRACTICE", self.tr("Practice (id in the practices table)"), defaultValue="shelter_forest"))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "BASELINE", self.tr("Baseline annual flux raster (g CO2 m⁻² a⁻¹)")))
        self.addParameter(QgsProcessingParameterFile(
            "PRACTICES", self.tr("Practices table (CSV; empty = bundled)"), extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "CONSTRAINT_RASTERS", self.tr("Constraint rasters"), SOURCE_RASTER, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "CONSTRAINT_RULES", self.tr("Constraint rules (e.g. gw_depth<=10; road_distance:-0.5)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "EXCLUDE_POLYGONS", self.tr("Areas to leave out (protected areas, oases)"),
            [SOURCE_VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "RANK_BY", self.tr("Rank by"), list(RANK_BY.values()), defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_HA", self.tr("Target area (ha)"), NUMBER_DOUBLE,
            defaultValue=DEFAULT_TARGET_HA, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "PLANTING_YEAR", self.tr("Planting year given to the sites"), NUMBER_INTEGER,
            defaultValue=DEFAULT_START_YEAR, minValue=1))
        self.add_advanced_parameters([
            QgsProcessingParameterRasterLayer(
                "WATER_NEED", self.tr("Water need raster (m³ ha⁻¹ a⁻¹; empty = the table's)"), optional=True),
            self.memory_parameter(256),
        ])
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT", self.tr("Suitability")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_SITES", self.tr("Best sites"), SOURCE_VECTOR_POLYGON))
        self.addOutput(QgsProcessingOutputNumber("SELECTED_AREA_HA", self.tr("Area of the sites (ha)")))
        self.addOutput(QgsProcessingOutputNumber(
            "UPTAKE_GAIN_TCO2_A", self.tr("Uptake gain of the sites at full growth (t CO2 a⁻¹)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        practices = self.checked(load_practices, self.parameterAsFile(parameters, "PRACTICES", context) or None)
        baseline = self.parameterAsRasterLayer(parameters, "BASELINE", context)
        constraints = {layer.name(): layer.source()
                       for layer in self.parameterAsLayerList(parameters, "CONSTRAINT_RASTERS", context)}
        rules = self.checked(parse_rules, self.parameterAsString(parameters, "CONSTRAINT_RULES", context))
        exclude_source = self.parameterAsSource(parameters, "EXCLUDE_POLYGONS", context)
        exclude = [p.parts for p in polygons_in_crs(exclude_source, baseline.crs(), context, feedback)] \
            if exclude_source else []
        water = self.parameterAsRasterLayer(parameters, "WATER_NEED", context)
        practice = self.parameterAsString(parameters, "PRACTICE", context)
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        result = self.run_core(
            feedback, run_siting, baseline.source(), practices, practice, output,
            self.parameterAsDouble(parameters, "TARGET_HA", context), constraints=constraints, rules=rules,
            exclude=exclude, rank_by=list(RANK_BY)[self.parameterAsEnum(parameters, "RANK_BY", context)],
            water_need_path=water.source() if water else None,
            budget_bytes=self.memory_budget_bytes(parameters, context))
        self.report_warnings(feedback, result.warnings)
        planting_year = self.parameterAsInt(parameters, "PLANTING_YEAR", context)
        rows = [[site.site_id, result.practice, planting_year, site.cells, site.area_m2 / M2_PER_HA,
                 site.uptake_gain_t_a, site.uptake_gain_t_ha, site.water_m3_a, site.uptake_gain_kg_m3,
                 site.mean_suitability] for site in result.sites]
        sink_id = self.write_sink(parameters, "OUTPUT_SITES", context, SITE_FIELDS, rows,
                                  geometries=[geometry_from_parts(site.parts) for site in result.sites],
                                  geometry_type=WKB_MULTIPOLYGON, crs=baseline.crs())
        gain = sum(site.uptake_gain_t_a for site in result.sites)
        feedback.pushInfo(f"{len(result.sites)} sites, {result.selected_m2 / M2_PER_HA:,.1f} ha of "
                          f"{result.allowed_m2 / M2_PER_HA:,.1f} ha allowed: {gain:,.0f} t CO2 a⁻¹ more uptake at "
                          f"full growth ({result.practice}, ranked by {RANK_BY[result.rank_by]}).")
        style_output(output, context, SUITABILITY_STYLE)
        return {"OUTPUT": output, "OUTPUT_SITES": sink_id, "SELECTED_AREA_HA": result.selected_m2 / M2_PER_HA,
                "UPTAKE_GAIN_TCO2_A": gain}

