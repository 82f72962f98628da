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
    HELP = QT_TRANSLATE_NOOP(
        "CalibrateAlgorithm",
        "<p>Fits the coefficients of the flux scheme Rs = R1 + R2 + R3 (µmol CO<sub>2</sub> m⁻² s⁻¹; positive = "
        "release) to a station's measured CO<sub>2</sub> flux Fc and writes a <b>parameter file</b> (JSON) that "
        "<i>fluxscheme</i> takes unchanged, and an HTML <b>report</b>.</p>"
        "<p><b>Station table.</b> STATION (a CSV file) or STATION_TABLE (a table layer). AmeriFlux BASE, "
        "FLUXNET2015 and COSORE tables are recognised (FORMAT auto); any other CSV needs MAPPING, a JSON object "
        "from the plugin's columns fc (µmol m⁻² s⁻¹), t0 (surface soil temperature, °C), t10 (°C) and theta10 "
        "(m³ m⁻³) to a column, a weighted mix or depths to interpolate, and TIME_COLUMN, the start of each "
        "interval. T0 is needed: with one soil temperature mapped to both T0 and T10, ΔT = 0, k1 keeps its "
        "starting value and the log says so. STEP averages irregular samples (a chamber's own cycle) into "
        "hourly, half-hourly or daily steps; PORTS chooses COSORE chamber ports (e.g. 1-4 or 1,3; leave "
        "trenched ports out); FLUX_UNIT is the unit of the flux column (µmol CO<sub>2</sub> m⁻² s⁻¹, mg "
        "CO<sub>2</sub> m⁻² s⁻¹, g C m⁻² d⁻¹ or g CO<sub>2</sub> m⁻² d⁻¹; auto takes the file's); "
        "UTC_OFFSET_HOURS is local standard time minus UTC. Half-hourly tables are fitted at hourly steps, "
        "hourly and daily tables at their own step, which the file records.</p>"
        "<p><b>Fit.</b> Dry steps (θ10 ≤ θc): least squares of Fc on ΔT, dT̄/dt and 1 give k1, k2 and ΔT0; wet "
        "steps: a bounded robust fit of R2's a2, p and Q10w; then a joint refit with a penalty matching each "
        "calendar year's sum (ANNUAL_PENALTY_WEIGHT). Bounds come from INITIAL_PARAMETERS (empty = the bundled "
        "defaults). θc and R2max [R], θref, R3 and the regime thresholds are kept. Leave-one-year-out "
        "validation (leave-one-month-out with less than two years) scores the fit and the starting coefficients "
        "on the same held-out steps (HELD_OUT_RMSE, µmol m⁻² s⁻¹); a day-block bootstrap (BOOTSTRAP replicates, "
        "SEED) gives intervals for every coefficient and annual sum (g CO<sub>2</sub> m⁻²). Fitted entries get "
        "provenance [C] and their interval.</p>"
        "<p><b>Example.</b> The COSORE sample ES-Agu 2012 with MAPPING {\"t0\": \"CSR_T5\"} (one 5 cm sensor, "
        "so ΔT = 0): held-out RMSE 1.45 µmol m⁻² s⁻¹ for the fit against 1.82 for the defaults, with a warning "
        "that k1 was kept.</p>"
        "<p><b>Refuses</b> (naming the file, column and row): both STATION and STATION_TABLE, or neither; a "
        "table without Fc or a needed driver; fewer than two days; no dry steps; unknown columns in MAPPING; "
        "flux magnitudes that do not fit the unit the file declares; an irregular table with STEP none; PORT "
        "and PORTS together. Warnings (ΔT0 at its bound, k1 not fitted, a unit that looks wrong) go to the log "
        "and the report.</p>")

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
