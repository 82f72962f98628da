"""desertcarbon:fluxscheme — Rs = R1 + R2 + R3 over forcing stacks into annual-sum rasters."""
from qgis.core import (QgsProcessingException, QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFile, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterDestination,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.fluxscheme_run import run_flux_scheme
from ..core.forcing import Era5Forcing, RasterStackForcing
from ..core.parameters import load_parameters
from ..core.units import SECONDS_PER_HOUR
from ..qgis_layers.enums import FILE_BEHAVIOR_FOLDER, NUMBER_DOUBLE, SOURCE_FILE
from .base import DesertCarbonAlgorithm
from .styles import diverging_style, style_output

TEMPERATURE_UNITS = ["degC", "K"]


class FluxSchemeAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "fluxscheme"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Flux scheme (annual CO2 flux of shifting sand)")
    GROUP = QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Flux")
    HELP = QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", """<p>Estimates the CO<sub>2</sub> flux of
shifting sand, Rs = R1 + R2 + R3 (µmol m⁻² s⁻¹,
positive = release, negative = uptake), at every time step of a forcing stack, and writes its annual
sums in <b>g CO<sub>2</sub> m⁻² a⁻¹</b>, one band per calendar year (band description = year).</p>
<ul>
<li><b>R1</b> heat-driven: k1·(ΔT − ΔT0) + k2·dT̄/dt, ΔT = T0 − T10, T̄ = (T0+T10)/2, dT̄/dt in K h⁻¹
(centred difference).</li>
<li><b>R2</b> moisture-activated: 0 up to θc = 0.05 m³ m⁻³ [R], then min(3.68 [R],
a2·((θ10−θc)/(θref−θc))^p·Q10w^((T10−25)/10)).</li>
<li><b>R3</b> soil properties (SOC, pH, salt; off by default): aC·(SOC−SOCref)·Q10c^((T10−20)/10)
− [aP·(pH−pHref) + aS·(Salt−Saltref)]·K0(T10)/K0(20 °C), K0 after Weiss (1974) [L].</li>
</ul>
<p><b>Forcing</b>: either ERA5 / ERA5-Land hourly fields as the Copernicus data store delivers them
(FORCING: NetCDF in the old or the new layout, GRIB, Zarr stores, the data store's zips — read in place —
and folders, searched for all of these, in any order; a folder can also be chosen as FORCING_FOLDER, or
typed into FORCING). One file per month and per variable is fine: the files are put together by variable
and time, and a gap, a step two files give differently, a grid that changes between files and a variable
missing for part of the period are refused with the file and time named. Variables skt, stl1, stl2,
swvl1, swvl2; T10 and θ10 interpolated linearly between the layer midpoints 3.5 and 17.5 cm), or three
time-stacked rasters T0, T10 (°C or K) and VWC10 (m³ m⁻³), one band per step, the time of each band in its
description (ISO 8601, e.g. 2017-07-01T13:00) or given by START and STEP_HOURS. Any regular step; gaps,
non-increasing times, kelvin declared as °C and VWC outside 0–1 are refused with the file named.</p>
<p><b>Static inputs</b>: SOC (g kg⁻¹), PH, SALT (g kg⁻¹) rasters, needed only when the parameter file switches
R3 on; MASK (shifting-sand mask or fraction: cells at 0 or nodata are left out). They are resampled to the
forcing grid when their grid differs, with a warning.</p>
<p><b>PARAMETERS</b>: a JSON parameter file (value, unit, bounds and provenance per coefficient: [R] review,
[L] literature, [P] provisional, [C] calibrated); empty = the bundled defaults. Coefficients fitted at one
time step are refused at another.</p>
<p><b>Outputs</b>: OUTPUT (annual Rs sums), optional OUTPUT_COMPONENTS (R1_year, R2_year, R3_year bands) and
OUTPUT_REGIMES (fraction of valid steps in the uptake season — daily-mean ΔT below 0.8 K [R] —, the release
season, and the moisture-activated regime θ10 > θc [R]). A cell-year with any missing step is nodata.
Partial calendar years are left out unless INCLUDE_PARTIAL_YEARS is set, then flagged PARTIAL_YEAR=yes.</p>
<p>Runs window by window within MEMORY_MB; cancel stops it and leaves no output file.</p>""")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "FORCING", self.tr("ERA5 / ERA5-Land forcing: files or folders (NetCDF, GRIB, Zarr or zip)"),
            SOURCE_FILE, optional=True))
        # the multiple-file widget picks files only: a folder of monthly files is chosen here
        self.addParameter(QgsProcessingParameterFile(
            "FORCING_FOLDER", self.tr("ERA5 / ERA5-Land forcing folder (searched recursively)"),
            behavior=FILE_BEHAVIOR_FOLDER, optional=True))
        for name, label in (("T0", "Surface soil temperature stack T0 (one band per step)"),
                            ("T10", "Soil temperature at 10 cm stack T10"),
                            ("VWC10", "Soil water content at 10 cm stack VWC10 (m³ m⁻³)")):
            self.addParameter(QgsProcessingParameterRasterLayer(name, self.tr(label), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "TEMPERATURE_UNIT", self.tr("Unit of the T0 and T10 stacks"), TEMPERATURE_UNITS, defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "START", self.tr("Time of the first band (ISO 8601), if band descriptions carry no time"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "STEP_HOURS", self.tr("Step between bands (hours), with START"), NUMBER_DOUBLE,
            defaultValue=1.0, minValue=0.0, optional=True))
        for name, label in (("SOC", "Soil organic carbon (g kg⁻¹), for R3"), ("PH", "Soil pH, for R3"),
                            ("SALT", "Total salt (g kg⁻¹), for R3"),
                            ("MASK", "Shifting-sand mask or fraction (0 = left out)")):
            self.addParameter(QgsProcessingParameterRasterLayer(name, self.tr(label), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PARAMETERS", self.tr("Parameter file (JSON; empty = bundled defaults)"), extension="json",
            optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_PARTIAL_YEARS", self.tr("Include partial years (flagged)"), defaultValue=False))
        advanced = [
            QgsProcessingParameterNumber("VWC10_SCALE",
                                         self.tr("Linear scaling of θ10 (station-based bias correction)"),
                                         NUMBER_DOUBLE, defaultValue=1.0, minValue=0.0),
            self.memory_parameter(512),
        ]
        self.add_advanced_parameters(advanced)
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT", self.tr("Annual CO2 flux (g CO2 m⁻² a⁻¹)")))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_COMPONENTS", self.tr("Annual R1, R2, R3 sums"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_REGIMES", self.tr("Regime fractions"), optional=True, createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        forcing = self._forcing(parameters, context)
        params = self.checked(load_parameters, self.parameterAsFile(parameters, "PARAMETERS", context) or None)
        feedback.pushInfo(f"Forcing: {forcing.source}; {len(forcing.times)} steps of {forcing.step} s; "
                          f"grid {forcing.grid.width} × {forcing.grid.height}.")
        feedback.pushInfo(f"Parameters ({params.source}): {params.describe()}")
        outputs = {key: self.parameterAsOutputLayer(parameters, key, context)
                   for key in ("OUTPUT", "OUTPUT_COMPONENTS", "OUTPUT_REGIMES")}
        statics = {key.lower(): self._raster_path(parameters, key, context) for key in ("SOC", "PH", "SALT", "MASK")}
        result = self.run_core(
            feedback, run_flux_scheme, forcing, params, outputs["OUTPUT"],
            components_output=outputs["OUTPUT_COMPONENTS"] or None, regimes_output=outputs["OUTPUT_REGIMES"] or None,
            include_partial_years=self.parameterAsBoolean(parameters, "INCLUDE_PARTIAL_YEARS", context),
            vwc_scale=self.parameterAsDouble(parameters, "VWC10_SCALE", context),
            budget_bytes=self.memory_budget_bytes(parameters, context), **statics)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo("year  mean annual flux (g CO2 m-2 a-1, unweighted over valid cells)  cells")
        for year in result.years:
            feedback.pushInfo(f"{year}  {result.mean_annual_flux[year]:.4f}  {result.valid_cells[year]}")
        style_output(outputs["OUTPUT"], context, diverging_style())
        return {key: value for key, value in outputs.items() if value} | {
            "YEARS": ",".join(str(y) for y in result.years), "PIXEL_STEPS": result.pixel_steps}

    def _raster_path(self, parameters, key, context):
        layer = self.parameterAsRasterLayer(parameters, key, context)
        return layer.source() if layer else None

    def _forcing(self, parameters, context):
        # QGIS 3.22 returns [''] for an empty optional file list
        files = [f for f in self.parameterAsFileList(parameters, "FORCING", context) if f]
        folder = self.parameterAsFile(parameters, "FORCING_FOLDER", context)
        if folder:
            files.append(folder)
        stacks = {key: self._raster_path(parameters, key, context) for key in ("T0", "T10", "VWC10")}
        given = [key for key, path in stacks.items() if path]
        if files and given:
            raise QgsProcessingException("Give either FORCING files or folders or the T0, T10 and VWC10 stacks, "
                                         "not both.")
        if not files and len(given) != 3:
            raise QgsProcessingException("Give FORCING (ERA5 / ERA5-Land files or folders) or all three stacks "
                                         f"T0, T10 and VWC10 (missing: {[k for k in stacks if not stacks[k]]}).")
        start = self.parameterAsString(parameters, "START", context) or None
        step_hours = self.parameterAsDouble(parameters, "STEP_HOURS", context)
        unit = TEMPERATURE_UNITS[self.parameterAsEnum(parameters, "TEMPERATURE_UNIT", context)]
        if files:
            return self.checked(Era5Forcing, files)
        return self.checked(RasterStackForcing, stacks["T0"], stacks["T10"], stacks["VWC10"], temperature_unit=unit,
                            start=start, step_seconds=step_hours * SECONDS_PER_HOUR if start else None)
