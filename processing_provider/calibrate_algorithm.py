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
from .base import BOOTSTRAP, FILE_ONLY_OPTIONS, PORTS, SEED, DesertCarbonAlgorithm


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
        "interval. T0 is needed: with one soil temperature mapped to both T0 and T10, ΔT = 0, the ΔT terms are "
        "dropped (k1 = 0) and the log says so. STEP averages irregular samples (a chamber's own cycle) into "
        "hourly, half-hourly or daily steps; PORTS chooses COSORE chamber ports (e.g. 1-4 or 1,3; leave "
        "trenched ports out); FLUX_UNIT is the unit of the flux column (µmol CO<sub>2</sub> m⁻² s⁻¹, mg "
        "CO<sub>2</sub> m⁻² s⁻¹, g C m⁻² d⁻¹ or g CO<sub>2</sub> m⁻² d⁻¹; auto takes the file's); "
        "UTC_OFFSET_HOURS is local standard time minus UTC; DELIMITER, DECIMAL and DUPLICATES say how the file "
        "is written (detected when left at auto: a European CSV with ';' and decimal commas, UTF-16 \"Unicode "
        "text\") and what to do with rows that repeat a timestamp. Half-hourly tables are fitted at hourly steps, "
        "hourly and daily tables at their own step, which the file records.</p>"
        "<p><b>Fit.</b> R3 at a station is two site amplitudes: A, a temperature-driven release "
        "A·Q10c^((T10−20)/10), and B, a solubility-driven uptake B·K0(T10)/K0(20 °C). Dry steps (θ10 ≤ θc): "
        "least squares of Fc on ΔT − ΔT0, dT̄/dt and R3's two terms give k1, k2, A and B; wet steps: a bounded "
        "robust fit of R2's a2, p and Q10w; then a joint refit of all with Q10c and θc and a penalty matching "
        "each calendar year's sum (ANNUAL_PENALTY_WEIGHT). θc is a site property: fitted within its bounds, or "
        "THETA_C (m³ m⁻³); a soil never below 0.05 is fitted, not refused. ΔT0 keeps the review's 0.8 °C while A "
        "and B are fitted (SITE_R3 off fits ΔT0 instead, with R3 off). Bounds come from INITIAL_PARAMETERS "
        "(empty = the bundled defaults); R2max [R], θref (moves with θc), aC, aP, aS and the regime thresholds "
        "are kept.</p>"
        "<p><b>Checks.</b> Leave-one-year-out validation (leave-one-month-out with less than two years) scores, "
        "on the same held-out steps, the fit, the starting coefficients, a null model (the training mean) and "
        "the Q10 × moisture model R10·Q10^((T10−10)/10)·θ10/(θ10 + K) (HELD_OUT_RMSE, _INITIAL, _NULL, _Q10, "
        "µmol m⁻² s⁻¹), with each fold's sum error (g CO<sub>2</sub> m⁻²); a warning says when the fit loses to "
        "the null or the Q10 model. A day-block bootstrap (BOOTSTRAP replicates, SEED) gives intervals for every "
        "coefficient and annual sum; a coefficient whose interval covers half its bounds is written "
        "\"identified\": false and fluxscheme warns when it uses it. The replicates are kept in the file as its "
        "ensemble (fluxscheme's PARAMETER_ENSEMBLE). Fitted entries get provenance [C] and their interval.</p>"
        "<p><b>Several stations.</b> STATIONS, a CSV with columns station, file, soc (g kg⁻¹), ph, salt "
        "(g kg⁻¹): each station is calibrated on its own, then A and B are regressed on the soils into r3_a + "
        "aC·(SOC − SOCref) and r3_b + aP·(pH − pHref) + aS·(Salt − Saltref), the file for the map (fluxscheme "
        "then needs SOC, PH and SALT rasters).</p>"
        "<p><b>Example.</b> The COSORE sample ES-Agu 2012 with MAPPING {\"t0\": \"CSR_T5\"} (one 5 cm sensor, "
        "so the ΔT terms are dropped): held-out RMSE 1.49 µmol m⁻² s⁻¹ for the fit against 1.82 for the "
        "defaults, 1.77 for the null model and 1.54 for the Q10 model.</p>"
        "<p><b>Refuses</b> (naming the file, column and row): both STATION and STATION_TABLE, or neither, or "
        "either with STATIONS; a table without Fc or a needed driver; fewer than two days; unknown columns in "
        "MAPPING; flux magnitudes that do not fit the unit the file declares; an irregular table with STEP "
        "none; PORT and PORTS together; a THETA_C outside the bounds; a station list without soc, ph or salt. "
        "Warnings (a coefficient at its bound or not identified, a benchmark that wins, a unit that looks "
        "wrong) go to the log and the report.</p>")

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
            *self.station_text_parameters(),
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
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE_INITIAL", self.tr("Held-out RMSE of the starting coefficients (µmol m⁻² s⁻¹)")))
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE_NULL", self.tr("Held-out RMSE of the null model, the training mean (µmol m⁻² s⁻¹)")))
        self.addOutput(QgsProcessingOutputNumber(
            "HELD_OUT_RMSE_Q10", self.tr("Held-out RMSE of the Q10 × moisture model (µmol m⁻² s⁻¹)")))

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
                            **{key: value for key, value in options.items() if key not in FILE_ONLY_OPTIONS})
