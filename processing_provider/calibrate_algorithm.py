"""desertcarbon:calibrate — fit the flux scheme to a station table into a parameter file and a report."""
from qgis.core import (QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsProcessingParameterVectorLayer)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.calibration import (DEFAULT_ANNUAL_PENALTY_WEIGHT, DEFAULT_BOOTSTRAP, DEFAULT_SEED, REQUIRED_COLUMNS,
                                calibrate, load_initial)
from ..core.calibration_report import write_parameter_file, write_report_html
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
<p><b>Fit</b> (on steps with Fc and every driver): dry steps (θ10 ≤ θc) → linear least squares of Fc on
[ΔT, dT̄/dt, 1] gives k1, k2 and ΔT0; wet steps → bounded robust (soft-L1) nonlinear fit of R2's a2, p and Q10w to
the residual after R1; then a joint bounded refit of all of them with a penalty that matches each calendar year's
sum (weight ANNUAL_PENALTY_WEIGHT). Bounds come from the starting parameter file (INITIAL_PARAMETERS, empty = the
bundled defaults). θc and R2max [R], θref (not separable from a2), R3 (one station cannot identify it) and the
regime thresholds are kept.</p>
<p><b>Checks</b>: leave-one-year-out validation (leave-one-month-out with less than two years, leave-one-day-out
within one month), scoring the fit and the starting coefficients on the same held-out steps; block bootstrap
(BOOTSTRAP replicates, blocks of a week, or of a year with three years or more; SEED) for percentile intervals of
every fitted coefficient and every annual sum (g CO<sub>2</sub> m⁻²). Fitted entries get provenance [C] and their
interval as "uncertainty"; the file also records the station, the period, the step and the fit statistics.</p>
<p>The report shows observed vs modelled, daily series, residuals against ΔT, dT̄/dt, θ10 and T10, annual sums
with intervals, the coefficient and validation tables, the depth mapping of every column and the warnings.
Bad input (no Fc, fewer than two days, no dry steps, unknown columns) stops with the file, column and row
named.</p>""")

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
            QgsProcessingParameterNumber("ANNUAL_PENALTY_WEIGHT", self.tr("Weight of the annual-sum penalty"),
                                         NUMBER_DOUBLE, defaultValue=DEFAULT_ANNUAL_PENALTY_WEIGHT, minValue=0.0),
        ])
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Calibrated parameter file"), "JSON files (*.json)"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Calibration report"), "HTML files (*.html)"))
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE", self.tr("Held-out RMSE of the fit (µmol m⁻² s⁻¹)")))
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE_INITIAL", self.tr("Held-out RMSE of the starting coefficients (µmol m⁻² s⁻¹)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        series = self._station_series(parameters, context)
        feedback.pushInfo(series.summary())
        self.report_warnings(feedback, series.report.warnings)
        initial, bounds = self.checked(load_initial, self.parameterAsFile(parameters, "INITIAL_PARAMETERS", context)
                                       or None)
        feedback.pushInfo(f"Starting parameters ({initial.source}): {initial.describe()}")
        result = self.run_core(
            feedback, calibrate, series, initial, bounds,
            annual_penalty_weight=self.parameterAsDouble(parameters, "ANNUAL_PENALTY_WEIGHT", context),
            n_bootstrap=self.parameterAsInt(parameters, BOOTSTRAP, context),
            seed=self.parameterAsInt(parameters, SEED, context))
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo(f"Calibrated ({result.step} s step): {result.parameters.describe()}")
        held_out = result.validation
        feedback.pushInfo(f"Held-out RMSE ({held_out['scheme']}): fit {held_out['fit']['rmse']:.4g}, starting "
                          f"coefficients {held_out['initial']['rmse']:.4g} umol m-2 s-1.")
        outputs = {key: self.parameterAsFileOutput(parameters, key, context) for key in ("OUTPUT", "OUTPUT_REPORT")}
        write_parameter_file(result, outputs["OUTPUT"])
        write_report_html(result, outputs["OUTPUT_REPORT"])
        return {**outputs, "HELD_OUT_RMSE": held_out["fit"]["rmse"],
                "HELD_OUT_RMSE_INITIAL": held_out["initial"]["rmse"]}

    def _station_series(self, parameters, context):
        path = self.parameterAsFile(parameters, "STATION", context)
        layer = self.parameterAsVectorLayer(parameters, "STATION_TABLE", context)
        if bool(path) == bool(layer):
            raise QgsProcessingException("Give the station table either as STATION (a CSV file) or as "
                                         "STATION_TABLE (a table layer), not both and not neither.")
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
