"""desertcarbon:calibrate — fit the flux scheme to a station table into a parameter file and a report."""
from qgis.core import (QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterBoolean,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterString,
                       QgsProcessingParameterVectorLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.calibration import (DEFAULT_ANNUAL_PENALTY_WEIGHT, DEFAULT_BOOTSTRAP, DEFAULT_SEED, REQUIRED_COLUMNS,
                                FitOptions, calibrate, load_initial)
from ..core.calibration_report import write_parameter_file, write_report_html
from ..core.calibration_sites import Site, calibrate_sites, read_site_list
from ..core.calibration_sites_report import write_multi_site_parameter_file, write_multi_site_report
from ..core.stations import parse_port, read_station_columns, read_station_csv
from ..qgis_layers.enums import NUMBER_DOUBLE, NUMBER_INTEGER, SOURCE_VECTOR_ANY
from ..qgis_layers.tables import layer_columns
from .base import BOOTSTRAP, PORTS, SEED, DesertCarbonAlgorithm


class CalibrateAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "calibrate"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("CalibrateAlgorithm", "Calibrate the flux scheme to a station")
    GROUP = QT_TRANSLATE_NOOP("CalibrateAlgorithm", "Station data")
    HELP = QT_TRANSLATE_NOOP("CalibrateAlgorithm", """<p>Fits the coefficients of the flux scheme Rs = R1 + R2 + R3
(µmol CO<sub>2</sub> m⁻² s⁻¹, positive = release) to a station series of measured CO<sub>2</sub> flux Fc, and
writes a <b>parameter file</b> (JSON) that <i>fluxscheme</i> accepts unchanged, and an HTML <b>report</b>.</p>
<p><b>Station table</b>: STATION (a CSV file) or STATION_TABLE (a table layer loaded in QGIS). AmeriFlux BASE,
FLUXNET2015 and COSORE tables are recognised (FORMAT = auto); any other CSV needs MAPPING, a JSON object from the
canonical columns fc (µmol m⁻² s⁻¹), t0 (surface soil temperature, °C), t10 (°C), theta10 (m³ m⁻³) to a
column name, {column: weight} or [[column, depth_cm], ...] to interpolate by depth, e.g.
<code>{"t0": "TS_1_1_1", "t10": [["TS_1_2_1", 5], ["TS_1_3_1", 15]]}</code>, and TIME_COLUMN the column
holding the start of each interval. <b>T0 is needed</b> (ΔT = T0 − T10):
when the table has one soil temperature only, mapping it to both T0 and T10 gives ΔT = 0; k1 is then kept at its
starting value and ΔT0 carries the dry-step intercept (said in the warnings). Half-hourly tables are averaged to
hourly steps; hourly and daily tables are fitted at their own step, and the file records that step:
<i>fluxscheme</i> refuses it at another. Irregular tables (an automated chamber sampling on its own cycle, e.g.
every 3,456 s) are averaged into steps: STEP auto uses the table's own step when it is half-hourly, hourly or
daily (averaging samples off its grid) and hourly steps otherwise (or choose hourly, half-hourly or daily); each
step is the mean of its samples, and the log gives the samples per step (minimum, median, maximum) and the steps
without any. STEP none refuses irregular tables. PORTS chooses COSORE chamber ports, averaged at each step (after
STEP's binning): numbers and ranges such as 1-4 or 1,3; empty or mean averages every port. Trenched ports measure
heterotrophic respiration only: leave them out here. PORT, a single port number, is the older form and is kept.
FLUX_UNIT is the unit of the flux column (µmol CO<sub>2</sub> m⁻² s⁻¹, mg CO<sub>2</sub> m⁻² s⁻¹, g C m⁻² d⁻¹ or
g CO<sub>2</sub> m⁻² d⁻¹); auto takes the file's (COSORE CSR_COLUMN_UNITS.csv; AmeriFlux FC is µmol m⁻² s⁻¹) and
stops when the magnitudes do not fit it, a unit chosen here only warns. A warning also names another unit when
the median |Fc| lies outside 0.05–20 µmol m⁻² s⁻¹ as declared and inside it in that unit.
UTC_OFFSET_HOURS (local standard time minus UTC) is passed to the reader.</p>
<p><b>Fit</b> (on steps with Fc and every driver): R3 at a station is its two site amplitudes, A (temperature-driven
release, A·Q10c^((T10−20)/10)) and B (solubility-driven uptake, B·K0(T10)/K0(20 °C)), with Q10c. Dry steps
(θ10 ≤ θc) → linear least squares of Fc on ΔT − ΔT0, dT̄/dt and R3's two terms gives k1, k2, A and B; wet steps →
bounded robust (soft-L1) nonlinear fit of R2's a2, p and Q10w to the rest; then a joint bounded refit of all of
them with Q10c and θc, with a penalty that matches each calendar year's sum (weight ANNUAL_PENALTY_WEIGHT). Bounds
come from the starting parameter file (INITIAL_PARAMETERS, empty = the bundled defaults). <b>θc</b> is a site
property: fitted within its bounds (sand 0.05 m³ m⁻³ [R]; a loam is never that dry), or set in THETA_C; a station
with no step below θc is fitted on all its steps, never refused. ΔT0 keeps the review's 0.8 °C while A and B are
fitted (the two are one constant); with SITE_R3 off R3 stays off and ΔT0 is fitted from the dry-step intercept.
With <b>one soil depth</b> ΔT ≡ 0: the ΔT terms are dropped (k1 = 0) and the log says so. R2max [R], θref (moves
with θc), aC, aP, aS (not separable at one station) and the regime thresholds are kept.</p>
<p><b>Several stations</b>: STATIONS, a CSV with columns station, file, soc (g kg⁻¹), ph, salt (g kg⁻¹), one row
per station (files relative to the list; the table parameters above apply to each). Each station is calibrated
on its own, then its A and B are regressed on its soil (weighted by the bootstrap variances) into r3_a + aC·(SOC −
SOCref) and r3_b + aP·(pH − pHref) + aS·(Salt − Saltref); the other coefficients are the stations' weighted means.
The file is then for the map: <i>fluxscheme</i> needs SOC, PH and SALT rasters with it.</p>
<p><b>Checks</b>: leave-one-year-out validation (leave-one-month-out with less than two years, leave-one-day-out
within one month) scores, on the same held-out steps, the fit, the starting coefficients, a null model (the training
mean) and the Q10 × moisture model R10·Q10^((T10−10)/10)·θ10/(θ10 + K); per fold the error of the sums
(g CO<sub>2</sub> m⁻²). A warning says when the fit loses to the null or the Q10 model. Block bootstrap (BOOTSTRAP
replicates, blocks of a week, or of a year with three years or more; SEED) gives percentile intervals of every
fitted coefficient and annual sum; a coefficient whose interval covers half its bounds or more is marked
"identified": false (<i>fluxscheme</i> then warns). The replicates are kept in the file as its ensemble. Fitted
entries get provenance [C] and their interval as "uncertainty".</p>
<p>The report shows observed vs modelled, daily series, residuals against ΔT, dT̄/dt, θ10 and T10, annual sums
with intervals, the coefficient and validation tables, the depth mapping of every column and the warnings.
Bad input (no Fc, fewer than two days, unknown columns) stops with the file, column and row named.</p>""")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            "STATION", self.tr("Station table (CSV: AmeriFlux BASE, FLUXNET2015, COSORE or mapped)"),
            extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "STATION_TABLE", self.tr("…or a station table layer loaded in QGIS"), [SOURCE_VECTOR_ANY],
            optional=True))
        table_format, time_column, mapping, utc_offset = self.station_table_parameters()
        for parameter in (table_format, mapping, time_column, self.station_step_parameter(),
                          self.station_flux_unit_parameter()):
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterFile(
            "STATIONS", self.tr("…or several stations: a list (CSV: station, file, soc, ph, salt)"), extension="csv",
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "THETA_C", self.tr("Site's θc, m³ m⁻³ (empty = fitted within the bounds)"), NUMBER_DOUBLE, optional=True,
            minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFile(
            "INITIAL_PARAMETERS", self.tr("Starting parameter file with bounds (JSON; empty = bundled defaults)"),
            extension="json", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            BOOTSTRAP, self.tr("Bootstrap replicates"), NUMBER_INTEGER, defaultValue=DEFAULT_BOOTSTRAP, minValue=0))
        self.add_advanced_parameters([
            utc_offset,
            self.station_ports_parameter(),
            QgsProcessingParameterString("PORT", self.tr("COSORE chamber port (one number; older form of PORTS)"),
                                         optional=True),
            self.seed_parameter(DEFAULT_SEED),
            QgsProcessingParameterBoolean("SITE_R3", self.tr("Fit R3 as the site amplitudes A, B and Q10c"),
                                          defaultValue=True),
            QgsProcessingParameterNumber("ANNUAL_PENALTY_WEIGHT", self.tr("Weight of the annual-sum penalty"),
                                         NUMBER_DOUBLE, defaultValue=DEFAULT_ANNUAL_PENALTY_WEIGHT, minValue=0.0),
        ])
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Calibrated parameter file"), "JSON files (*.json)"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Calibration report"), "HTML files (*.html)"))
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE", self.tr("Held-out RMSE of the fit (µmol m⁻² s⁻¹)")))
        for key, label in (("HELD_OUT_RMSE_INITIAL", "the starting coefficients"),
                           ("HELD_OUT_RMSE_NULL", "the null model (training mean)"),
                           ("HELD_OUT_RMSE_Q10", "the Q10 × moisture model")):
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(f"Held-out RMSE of {label} (µmol m⁻² s⁻¹)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        initial, bounds = self.checked(load_initial, self.parameterAsFile(parameters, "INITIAL_PARAMETERS", context)
                                       or None)
        feedback.pushInfo(f"Starting parameters ({initial.source}): {initial.describe()}")
        options = FitOptions(site_r3=self.parameterAsBoolean(parameters, "SITE_R3", context),
                             theta_c=self.optional_number(parameters, "THETA_C", context))
        settings = {"annual_penalty_weight": self.parameterAsDouble(parameters, "ANNUAL_PENALTY_WEIGHT", context),
                    "n_bootstrap": self.parameterAsInt(parameters, BOOTSTRAP, context),
                    "seed": self.parameterAsInt(parameters, SEED, context), "options": options}
        outputs = {key: self.parameterAsFileOutput(parameters, key, context) for key in ("OUTPUT", "OUTPUT_REPORT")}
        if self.parameterAsFile(parameters, "STATIONS", context):
            return {**outputs, **self._calibrate_sites(parameters, context, feedback, initial, bounds, settings,
                                                       outputs)}
        series = self._station_series(parameters, context)
        feedback.pushInfo(series.summary())
        self.report_warnings(feedback, series.report.warnings)
        result = self.run_core(feedback, calibrate, series, initial, bounds, **settings)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo(f"Calibrated ({result.step} s step): {result.parameters.describe()}")
        held_out = result.validation
        feedback.pushInfo(f"Held-out RMSE ({held_out['scheme']}, µmol m⁻² s⁻¹): fit {held_out['fit']['rmse']:.4g}, "
                          f"starting coefficients {held_out['initial']['rmse']:.4g}, null model "
                          f"{held_out['null']['rmse']:.4g}, Q10 × moisture model {held_out['q10']['rmse']:.4g}.")
        write_parameter_file(result, outputs["OUTPUT"])
        write_report_html(result, outputs["OUTPUT_REPORT"])
        return {**outputs, "HELD_OUT_RMSE": held_out["fit"]["rmse"],
                "HELD_OUT_RMSE_INITIAL": held_out["initial"]["rmse"], "HELD_OUT_RMSE_NULL": held_out["null"]["rmse"],
                "HELD_OUT_RMSE_Q10": held_out["q10"]["rmse"]}

    def _calibrate_sites(self, parameters, context, feedback, initial, bounds, settings, outputs):
        """STATIONS: each listed station read with the table parameters, calibrated, and regressed on its soil."""
        if self.parameterAsFile(parameters, "STATION", context) or self.parameterAsVectorLayer(
                parameters, "STATION_TABLE", context):
            raise QgsProcessingException("Give either one station (STATION or STATION_TABLE) or a list of stations "
                                         "(STATIONS), not both.")
        reader_options = {**self.station_reader_options(parameters, context), "required": REQUIRED_COLUMNS}
        sites = []
        for entry in self.checked(read_site_list, self.parameterAsFile(parameters, "STATIONS", context)):
            series = self.checked(read_station_csv, entry.path, **reader_options)
            feedback.pushInfo(f"{entry.name}: {series.summary()}")
            self.report_warnings(feedback, [f"{entry.name}: {w}" for w in series.report.warnings])
            sites.append(Site(entry.name, series, entry.soc, entry.ph, entry.salt))
        result = self.run_core(feedback, calibrate_sites, sites, initial, bounds, **settings)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo(f"Calibrated on {len(sites)} stations: {result.parameters.describe()}")
        write_multi_site_parameter_file(result, outputs["OUTPUT"])
        write_multi_site_report(result, outputs["OUTPUT_REPORT"])
        held_out = [r.validation for _, r in result.sites]
        return {f"HELD_OUT_RMSE{suffix}": sum(v[model]["rmse"] for v in held_out) / len(held_out)
                for suffix, model in (("", "fit"), ("_INITIAL", "initial"), ("_NULL", "null"), ("_Q10", "q10"))}

    def _station_series(self, parameters, context):
        path = self.parameterAsFile(parameters, "STATION", context)
        layer = self.parameterAsVectorLayer(parameters, "STATION_TABLE", context)
        if bool(path) == bool(layer):
            raise QgsProcessingException("Give the station table either as STATION (a CSV file) or as "
                                         "STATION_TABLE (a table layer), not both and not neither (or a list of "
                                         "stations as STATIONS).")
        options = {**self.station_reader_options(parameters, context), "required": REQUIRED_COLUMNS}
        port = self.parameterAsString(parameters, "PORT", context).strip()
        if port:
            if self.parameterAsString(parameters, PORTS, context).strip():
                raise QgsProcessingException("Give the chamber ports either as PORTS (e.g. 1-4 or 1,3) or as PORT "
                                             "(one port), not both.")
            options["port"] = parse_port(port)
        if path:
            return self.checked(read_station_csv, path, **options)
        return self.checked(read_station_columns, layer_columns(layer), f"layer {layer.name()} ({layer.source()})",
                            **options)
