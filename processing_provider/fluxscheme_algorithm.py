"""desertcarbon:fluxscheme — Rs = R1 + R2 + R3 over forcing stacks into annual-sum rasters."""
from qgis.core import (QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFile, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterDestination,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.fluxscheme_run import run_flux_scheme
from ..core.forcing import Era5Forcing, RasterStackForcing
from ..core.parameters import load_parameters
from ..core.stations import read_station_csv
from ..core.theta10_correction import station_theta10_mapping
from ..core.units import SECONDS_PER_HOUR
from ..qgis_layers.enums import FILE_BEHAVIOR_FOLDER, NUMBER_DOUBLE, SOURCE_FILE
from .base import DesertCarbonAlgorithm
from .styles import diverging_style, sequential_style, style_output

TEMPERATURE_UNITS = ["degC", "K"]
# the ACCUMULATION enum: labels shown, and the rule names core.accumulation takes, in the same order
ACCUMULATION_LABELS = ["auto (from the files)", "ERA5-Land (sums from 00 UTC)", "ERA5 (hourly sums)"]
ACCUMULATION_RULES = ["auto", "era5-land", "era5"]
RASTER_OUTPUTS = ("OUTPUT", "OUTPUT_COMPONENTS", "OUTPUT_REGIMES", "OUTPUT_RAIN", "OUTPUT_RN")


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
<p><b>Net radiation and rain</b> [L]: when FORCING holds ssr and str (J m⁻², accumulated) they are
de-accumulated into Rn = (ssr + str) / 3600 s (W m⁻²) and the uptake season needs both criteria of the
review [R]: daily-mean ΔT below 0.8 K and daily-mean Rn below 67 W m⁻²; without them, ΔT only. tp (m,
accumulated) gives rain, 1000·tp mm per hour. ACCUMULATION says how the files accumulate: ERA5-Land from 00 UTC
(the 00 UTC field holds the whole previous day), ERA5 each hour on its own; auto reads it from the files (GRIB
accumulation periods, the dataset name, or the 0.1° / 0.25° grid) and stops, naming ACCUMULATION, when they do
not say. The first hour of an ERA5-Land series cannot be de-accumulated: daily means and sums use the hours
present.</p>
<p><b>Ocean cells</b>: cells with a land-sea mask below 0.5 are left out: LAND_SEA_MASK (the ERA5 / ERA5-Land
lsm file, GRIB or NetCDF with or without a time axis, or any raster of the land fraction 0–1, resampled
bilinearly when its grid differs), else lsm in the FORCING files when they hold it. ERA5's sea value of soil water
(0, or down to −1e-5 after GRIB packing) leaves a cell out as well; larger negatives are refused as wrong data.
The log and OCEAN_CELLS give the number of cells left out.</p>
<p><b>Station correction of θ10</b> [P]: reanalysis soil water in dune sand often sits above θc all year.
VWC10_SCALE multiplies θ10 by a factor; VWC10_STATION (a station CSV: AmeriFlux BASE, FLUXNET2015, COSORE or
any table with FORMAT, MAPPING, TIME_COLUMN and UTC_OFFSET_HOURS, as for calibration) instead quantile-maps θ10
(m³ m⁻³) onto the station's θ10 distribution over the period both cover, fitted at the forcing cell holding the
station (its coordinates from the table, e.g. COSORE's metadata, or STATION_LONGITUDE / STATION_LATITUDE in
degrees, which win), and applied to θ10 everywhere before the threshold. Give one of the two. The mapping is
recorded as THETA10_CORRECTION in the outputs' metadata and in the log.</p>
<p><b>Outputs</b>: OUTPUT (annual Rs sums), optional OUTPUT_COMPONENTS (R1_year, R2_year, R3_year bands),
OUTPUT_REGIMES (fraction of valid steps in the uptake season, the release season, and the moisture-activated
regime θ10 > θc [R]; REGIME_CRITERIA in its metadata says which criteria were used), OUTPUT_RAIN (annual
precipitation, mm a⁻¹, from tp) and OUTPUT_RN (mean net radiation per year, W m⁻², from ssr and str), one band
per year as OUTPUT. A cell-year with any missing step is nodata. Partial calendar years are left out unless
INCLUDE_PARTIAL_YEARS is set, then flagged PARTIAL_YEAR=yes.</p>
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
        self.addParameter(QgsProcessingParameterEnum(
            "ACCUMULATION", self.tr("Accumulation of ssr, str and tp in the FORCING files"), ACCUMULATION_LABELS,
            defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(
            "LAND_SEA_MASK", self.tr("Land-sea mask (ERA5 lsm file or raster, 0–1; cells below 0.5 left out)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "VWC10_STATION", self.tr("Station table for the quantile mapping of θ10 (CSV)"), optional=True))
        advanced = [
            QgsProcessingParameterNumber("VWC10_SCALE",
                                         self.tr("Linear scaling of θ10 (station-based bias correction)"),
                                         NUMBER_DOUBLE, defaultValue=1.0, minValue=0.0),
            *self.station_table_parameters(label="VWC10_STATION table"),
            QgsProcessingParameterNumber("STATION_LONGITUDE", self.tr("Station longitude (degrees east)"),
                                         NUMBER_DOUBLE, optional=True, minValue=-180.0, maxValue=360.0),
            QgsProcessingParameterNumber("STATION_LATITUDE", self.tr("Station latitude (degrees north)"),
                                         NUMBER_DOUBLE, optional=True, minValue=-90.0, maxValue=90.0),
            self.memory_parameter(512),
            self.cluster_parameter(),
        ]
        self.add_advanced_parameters(advanced)
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT", self.tr("Annual CO2 flux (g CO2 m⁻² a⁻¹)")))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_COMPONENTS", self.tr("Annual R1, R2, R3 sums"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_REGIMES", self.tr("Regime fractions"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_RAIN", self.tr("Annual precipitation (mm a⁻¹, from tp)"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            "OUTPUT_RN", self.tr("Mean net radiation per year (W m⁻², from ssr and str)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("OCEAN_CELLS", self.tr("Cells left out as ocean")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        forcing = self._forcing(parameters, context)
        try:
            return self._run(forcing, parameters, context, feedback)
        finally:
            # GDAL handles must not outlive the run (an error's traceback keeps the forcing alive, and
            # a handle left at QGIS's GDAL shutdown crashes the interpreter)
            close = getattr(forcing, "close", None)
            if close is not None:
                close()

    def _run(self, forcing, parameters, context, feedback):
        params = self.checked(load_parameters, self.parameterAsFile(parameters, "PARAMETERS", context) or None)
        feedback.pushInfo(f"Forcing: {forcing.source}; {len(forcing.times)} steps of {forcing.step} s; "
                          f"grid {forcing.grid.width} × {forcing.grid.height}.")
        feedback.pushInfo(f"Parameters ({params.source}): {params.describe()}")
        outputs = {key: self.parameterAsOutputLayer(parameters, key, context) for key in RASTER_OUTPUTS}
        statics = {key.lower(): self._raster_path(parameters, key, context) for key in ("SOC", "PH", "SALT", "MASK")}
        vwc_scale = self.parameterAsDouble(parameters, "VWC10_SCALE", context)
        mapping = self._theta10_mapping(parameters, context, feedback, forcing, vwc_scale)
        result = self.run_core(
            feedback, run_flux_scheme, forcing, params, outputs["OUTPUT"],
            components_output=outputs["OUTPUT_COMPONENTS"] or None, regimes_output=outputs["OUTPUT_REGIMES"] or None,
            include_partial_years=self.parameterAsBoolean(parameters, "INCLUDE_PARTIAL_YEARS", context),
            vwc_scale=vwc_scale, budget_bytes=self.memory_budget_bytes(parameters, context),
            accumulation=ACCUMULATION_RULES[self.parameterAsEnum(parameters, "ACCUMULATION", context)],
            rain_output=outputs["OUTPUT_RAIN"] or None, rn_output=outputs["OUTPUT_RN"] or None,
            land_sea_mask=self.parameterAsFile(parameters, "LAND_SEA_MASK", context) or None,
            theta10_mapping=mapping, cluster=self.cluster_choice(parameters, context, feedback), **statics)
        for note in result.notes:
            feedback.pushInfo(note)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo("year  mean annual flux (g CO2 m-2 a-1, unweighted over valid cells)  cells")
        for year in result.years:
            feedback.pushInfo(f"{year}  {result.mean_annual_flux[year]:.4f}  {result.valid_cells[year]}")
        style_output(outputs["OUTPUT"], context, diverging_style())
        for key, ramp in (("OUTPUT_RAIN", "Blues"), ("OUTPUT_RN", "YlOrRd")):
            if outputs[key]:
                style_output(outputs[key], context, sequential_style(ramp))
        return {key: value for key, value in outputs.items() if value} | {
            "YEARS": ",".join(str(y) for y in result.years), "PIXEL_STEPS": result.pixel_steps,
            "OCEAN_CELLS": result.ocean_cells}

    def _theta10_mapping(self, parameters, context, feedback, forcing, vwc_scale):
        """The quantile mapping of θ10 to VWC10_STATION, fitted at the station's cell; None without a station."""
        path = self.parameterAsFile(parameters, "VWC10_STATION", context)
        if not path:
            return None
        if vwc_scale != 1.0:
            raise QgsProcessingException(f"Give either VWC10_SCALE ({vwc_scale:g}) or VWC10_STATION ({path}) to "
                                         f"correct θ10, not both.")
        options = {**self.station_reader_options(parameters, context), "required": ("theta10",)}
        station = self.checked(read_station_csv, path, **options)
        mapping, where = self.checked(station_theta10_mapping, forcing, station,
                                      self.optional_number(parameters, "STATION_LONGITUDE", context),
                                      self.optional_number(parameters, "STATION_LATITUDE", context))
        feedback.pushInfo(f"VWC10_STATION: {where}.")
        return mapping

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
