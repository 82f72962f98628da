"""desertcarbon:fluxscheme — Rs = R1 + R2 + R3 over forcing stacks into annual-sum rasters."""
from qgis.core import (QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFile, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterDestination,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.fluxscheme_run import run_flux_scheme
from ..core.forcing import Era5Forcing, RasterStackForcing
from ..core.forcing_gaps import DEFAULT_MAX_GAP_HOURS
from ..core.parameters import load_parameter_ensemble, load_parameters
from ..core.stations import read_station_csv
from ..core.theta10_correction import station_theta10_mapping
from ..core.units import SECONDS_PER_HOUR
from ..qgis_layers.enums import FILE_BEHAVIOR_FOLDER, NUMBER_DOUBLE, SOURCE_FILE
from .base import DesertCarbonAlgorithm
from .styles import diverging_style, sequential_style, style_output

TEMPERATURE_UNITS = ["degC", "K"]
# the ACCUMULATION enum: labels shown, and the rule names core.accumulation takes, in the same order
ACCUMULATION_LABELS = [QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "auto (from the files)"),
                       QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "ERA5-Land (sums from 00 UTC)"),
                       QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "ERA5 (hourly sums)")]
ACCUMULATION_RULES = ["auto", "era5-land", "era5"]
RASTER_OUTPUTS = ("OUTPUT", "OUTPUT_COMPONENTS", "OUTPUT_REGIMES", "OUTPUT_RAIN", "OUTPUT_RN")
# how each output loads: one band, a ramp over every band's range, the unit in the legend (fluxes and components
# symmetric about zero; the regimes' uptake-season fraction of band 1 on 0–1)
OUTPUT_STYLES = {"OUTPUT": diverging_style(), "OUTPUT_COMPONENTS": diverging_style(),
                 "OUTPUT_REGIMES": sequential_style("YlGnBu", "fraction of valid steps", limits=(0.0, 1.0)),
                 "OUTPUT_RAIN": sequential_style("Blues", "mm a-1"), "OUTPUT_RN": sequential_style("YlOrRd", "W m-2")}


class FluxSchemeAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "fluxscheme"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Flux scheme (annual CO2 flux of shifting sand)")
    GROUP = QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Flux")
    HELP = QT_TRANSLATE_NOOP(
        "FluxSchemeAlgorithm",
        "<p>Computes the CO<sub>2</sub> flux of shifting sand, Rs = R1 + R2 + R3 (µmol m⁻² s⁻¹; positive = "
        "release, negative = uptake), at every time step of the forcing and writes its sums per calendar year "
        "in <b>g CO<sub>2</sub> m⁻² a⁻¹</b>, one band per year (band description = the year). R1 is the "
        "heat-driven part, k1·(ΔT − ΔT0) + k2·dT̄/dt with ΔT = T0 − T10 and dT̄/dt in K h⁻¹; R2 the "
        "moisture-activated part, zero up to θc = 0.05 m³ m⁻³ [R] and at most 3.68 µmol m⁻² s⁻¹ [R]; R3 the "
        "soil-property part, A·Q10c^((T10−20)/10) − B·K0(T10)/K0(20 °C) with A = r3_a + aC·(SOC − SOCref) and "
        "B = r3_b + aP·(pH − pHref) + aS·(Salt − Saltref) (off by default; a calibrated file sets r3_a and r3_b, "
        "a station's amplitudes), with CO<sub>2</sub> solubility K0 after Weiss (1974) [L]. Provenance: [R] "
        "review, [L] literature, [P] provisional, [C] calibrated.</p>"
        "<p><b>Forcing, either A or B.</b> (A) ERA5 / ERA5-Land hourly files as the Copernicus data store "
        "delivers them (NetCDF in either layout, GRIB1/GRIB2, Zarr, the store's zips, or folders holding them; "
        "one file per month or per variable is fine): FORCING, or a folder in FORCING_FOLDER. Variables skt, "
        "stl1, stl2, swvl1, swvl2; T10 and θ10 are interpolated between the layer midpoints 3.5 and 17.5 cm. "
        "With ssr and str, net radiation Rn (W m⁻²) joins the uptake-season criterion (daily-mean ΔT below 0.8 "
        "K and Rn below 67 W m⁻² [R]); tp gives rain. ACCUMULATION says how these fields accumulate (auto reads "
        "it from the files). (B) Three time-stacked rasters, one band per step: T0 and T10 (°C or K, "
        "TEMPERATURE_UNIT) and VWC10 (m³ m⁻³), the time of each band in its description (ISO 8601, e.g. "
        "2017-07-01T13:00) or given by START and STEP_HOURS.</p>"
        "<p><b>Other inputs.</b> SOC and SALT (g kg⁻¹) and PH rasters, needed only when the parameter file "
        "sets aC, aP or aS; MASK, a shifting-sand mask or fraction (cells at 0 or nodata are left out); "
        "LAND_SEA_MASK (ERA5 lsm or a raster 0–1; cells below 0.5 are left out and counted as OCEAN_CELLS). "
        "Static rasters on another grid are resampled, with a warning. PARAMETERS: a parameter file (JSON; "
        "empty = the bundled defaults); the run warns when a coefficient there is marked \"identified\": false by its "
        "calibration. θ10 of reanalyses is often too wet for dune sand: VWC10_SCALE "
        "multiplies it by a factor, or VWC10_STATION quantile-maps it to a station's θ10 (a station table read "
        "as in calibration; STATION_LONGITUDE and STATION_LATITUDE in degrees when the table has no "
        "coordinates); give one of the two.</p>"
        "<p><b>Outputs.</b> OUTPUT: annual Rs sums (g CO<sub>2</sub> m⁻² a⁻¹), styled with a ramp symmetric "
        "about zero. Optional: OUTPUT_COMPONENTS (bands R1_year, R2_year, R3_year, same unit), OUTPUT_REGIMES "
        "(fractions of the valid steps in the uptake season, the release season and the moisture-activated "
        "regime), OUTPUT_RAIN (mm a⁻¹) and OUTPUT_RN (W m⁻²). Gaps of up to MAX_GAP_HOURS (default 3 h) are "
        "filled linearly in time and counted in the band metadata (GAP_FILLED_CELL_STEPS); a cell-year with a "
        "longer gap is nodata, said in the log; "
        "partial calendar years are left out unless INCLUDE_PARTIAL_YEARS is set. The run goes window by window "
        "within MEMORY_MB (CLUSTER: on Dask workers); cancelling it leaves no output.</p>"
        "<p><b>Parameter ensemble.</b> PARAMETER_ENSEMBLE, a file calibrate wrote (its bootstrap parameter sets), "
        "or PARAMETER_ENSEMBLE_FOLDER, a folder of parameter files: every member is run from the same reads of "
        "the forcing, and OUTPUT_ENSEMBLE, a folder, gets one annual-sum GeoTIFF per member (member_001.tif, "
        "...) in OUTPUT's layout, which aggregate's ENSEMBLE_FOLDER and scenario's BASELINE_ENSEMBLE_FOLDER "
        "take as it is: the spread of their totals is the parameter uncertainty.</p>"
        "<p><b>Example.</b> FORCING = era5land_2021.nc and era5land_2022.nc (hourly, 0.1°), everything else "
        "left as it is: OUTPUT has two bands, 2021 and 2022; a dune-sand cell with the default coefficients "
        "comes out at a few g CO<sub>2</sub> m⁻² a⁻¹, negative where the sand takes up CO<sub>2</sub>.</p>"
        "<p><b>Refuses</b> (naming the file, variable or time): both forcings at once or an incomplete set of "
        "stacks; gaps, repeated or decreasing times; two files that disagree on a step; a grid that changes "
        "between files; a variable missing for part of the period; kelvin declared as °C or the reverse; θ "
        "outside 0–1 (“looks like percent”); a parameter file with an unknown key, a wrong unit or a value "
        "outside its bounds; coefficients fitted at another time step; VWC10_SCALE and VWC10_STATION "
        "together; a parameter ensemble without OUTPUT_ENSEMBLE (or of fewer than two members), or an "
        "OUTPUT_ENSEMBLE folder holding other files.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "FORCING", self.tr("Forcing, either A: ERA5 / ERA5-Land files or folders (NetCDF, GRIB, Zarr or zip)"),
            SOURCE_FILE, optional=True))
        # the multiple-file widget picks files only: a folder of monthly files is chosen here
        self.addParameter(QgsProcessingParameterFile(
            "FORCING_FOLDER", self.tr("A: or a folder of ERA5 / ERA5-Land files (searched recursively)"),
            behavior=FILE_BEHAVIOR_FOLDER, optional=True))
        for name, label in (("T0", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Forcing, or B: three stacks, one band "
                                                                           "per step; surface soil temperature T0")),
                            ("T10", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "B: soil temperature at 10 cm, T10")),
                            ("VWC10", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm",
                                                        "B: soil water content at 10 cm, VWC10 (m³ m⁻³)"))):
            self.addParameter(QgsProcessingParameterRasterLayer(name, self.tr(label), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "TEMPERATURE_UNIT", self.tr("B: unit of the T0 and T10 stacks"), TEMPERATURE_UNITS, defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "START", self.tr("B: time of the first band (ISO 8601), if band descriptions carry no time"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "STEP_HOURS", self.tr("B: step between bands (hours), with START"), NUMBER_DOUBLE,
            defaultValue=1.0, minValue=0.0, optional=True))
        for name, label in (("SOC", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Soil organic carbon (g kg⁻¹), for R3")),
                            ("PH", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Soil pH, for R3")),
                            ("SALT", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm", "Total salt (g kg⁻¹), for R3")),
                            ("MASK", QT_TRANSLATE_NOOP("FluxSchemeAlgorithm",
                                                       "Shifting-sand mask or fraction (0 = left out)"))):
            self.addParameter(QgsProcessingParameterRasterLayer(name, self.tr(label), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PARAMETERS", self.tr("Parameter file (JSON; empty = bundled defaults)"), extension="json",
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PARAMETER_ENSEMBLE", self.tr("Parameter ensemble: a calibrated file with its bootstrap sets (JSON)"),
            extension="json", optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PARAMETER_ENSEMBLE_FOLDER", self.tr("…or a folder of parameter files, one per member"),
            behavior=FILE_BEHAVIOR_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "MAX_GAP_HOURS", self.tr("Longest gap in the forcing filled by linear interpolation in time (hours)"),
            NUMBER_DOUBLE, defaultValue=DEFAULT_MAX_GAP_HOURS, minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_PARTIAL_YEARS", self.tr("Include partial years (flagged)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterEnum(
            "ACCUMULATION", self.tr("Accumulation of ssr, str and tp in the FORCING files"),
            [self.tr(label) for label in ACCUMULATION_LABELS],
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
            *self.station_text_parameters(label="VWC10_STATION table"),
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
        self.addParameter(QgsProcessingParameterFolderDestination(
            "OUTPUT_ENSEMBLE", self.tr("Ensemble members' annual sums (folder, one GeoTIFF per member)"),
            optional=True, createByDefault=False))
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
        self.report_warnings(feedback, params.warnings)
        outputs = {key: self.parameterAsOutputLayer(parameters, key, context) for key in RASTER_OUTPUTS}
        statics = {key.lower(): self._raster_path(parameters, key, context) for key in ("SOC", "PH", "SALT", "MASK")}
        vwc_scale = self.parameterAsDouble(parameters, "VWC10_SCALE", context)
        mapping = self._theta10_mapping(parameters, context, feedback, forcing, vwc_scale)
        ensemble, ensemble_output = self._ensemble(parameters, context, feedback)
        result = self.run_core(
            feedback, run_flux_scheme, forcing, params, outputs["OUTPUT"],
            components_output=outputs["OUTPUT_COMPONENTS"] or None, regimes_output=outputs["OUTPUT_REGIMES"] or None,
            include_partial_years=self.parameterAsBoolean(parameters, "INCLUDE_PARTIAL_YEARS", context),
            vwc_scale=vwc_scale, budget_bytes=self.memory_budget_bytes(parameters, context),
            accumulation=ACCUMULATION_RULES[self.parameterAsEnum(parameters, "ACCUMULATION", context)],
            rain_output=outputs["OUTPUT_RAIN"] or None, rn_output=outputs["OUTPUT_RN"] or None,
            land_sea_mask=self.parameterAsFile(parameters, "LAND_SEA_MASK", context) or None,
            theta10_mapping=mapping, max_gap_hours=self.parameterAsDouble(parameters, "MAX_GAP_HOURS", context),
            cluster=self.cluster_choice(parameters, context, feedback), ensemble=ensemble,
            ensemble_output=ensemble_output, **statics)
        for note in result.notes:
            feedback.pushInfo(note)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo("year  mean annual flux (g CO2 m-2 a-1, unweighted over valid cells)  cells")
        for year in result.years:
            feedback.pushInfo(f"{year}  {result.mean_annual_flux[year]:.4f}  {result.valid_cells[year]}")
        for key, style in OUTPUT_STYLES.items():
            if outputs[key]:
                style_output(outputs[key], context, style)
        if ensemble_output:
            outputs["OUTPUT_ENSEMBLE"] = ensemble_output
        return {key: value for key, value in outputs.items() if value} | {
            "YEARS": ",".join(str(y) for y in result.years), "PIXEL_STEPS": result.pixel_steps,
            "OCEAN_CELLS": result.ocean_cells}

    def _ensemble(self, parameters, context, feedback):
        """(parameter sets, output folder) of a parameter ensemble; ((), None) without one."""
        given = [(key, self.parameterAsFile(parameters, key, context))
                 for key in ("PARAMETER_ENSEMBLE", "PARAMETER_ENSEMBLE_FOLDER")]
        given = [(key, path) for key, path in given if path]
        folder = self.parameterAsFileOutput(parameters, "OUTPUT_ENSEMBLE", context)
        folder = None if not folder or folder == "TEMPORARY_OUTPUT" else folder
        if len(given) > 1:
            raise QgsProcessingException("Give the parameter ensemble either as a calibrated file "
                                         "(PARAMETER_ENSEMBLE) or as a folder of parameter files "
                                         "(PARAMETER_ENSEMBLE_FOLDER), not both.")
        if not given:
            if folder:
                raise QgsProcessingException(f"OUTPUT_ENSEMBLE ({folder}) needs a parameter ensemble: set "
                                             f"PARAMETER_ENSEMBLE (a calibrated file) or PARAMETER_ENSEMBLE_FOLDER.")
            return (), None
        key, path = given[0]
        members = self.checked(load_parameter_ensemble, path, key)
        if not folder:
            raise QgsProcessingException(f"{key} gives {len(members)} parameter sets: set OUTPUT_ENSEMBLE, the folder "
                                         f"their annual sums are written to (aggregate's ENSEMBLE_FOLDER takes it).")
        feedback.pushInfo(f"Parameter ensemble ({path}): {len(members)} members, written to {folder}.")
        return members, folder

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
