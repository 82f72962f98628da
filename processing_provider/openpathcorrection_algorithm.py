"""desertcarbon:openpathcorrection — remove the open-path analyser's false uptake from a CO2 flux series."""
from qgis.core import (QgsProcessingParameterEnum, QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.openpath import DEFAULT_BOOTSTRAP, METHODS, MIN_BOOTSTRAP, correct_open_path
from ..core.openpath_report import write_corrected_csv, write_summary_html, write_sums_csv
from ..core.stations import read_station_csv
from ..qgis_layers.enums import NUMBER_DOUBLE, NUMBER_INTEGER
from .base import BOOTSTRAP, SEED, DesertCarbonAlgorithm

CSV_FILTER = "CSV files (*.csv *.CSV *.txt)"


class OpenPathCorrectionAlgorithm(DesertCarbonAlgorithm):
    ALGORITHM_ID = "openpathcorrection"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("OpenPathCorrectionAlgorithm", "Open-path CO2 flux correction")
    GROUP = QT_TRANSLATE_NOOP("OpenPathCorrectionAlgorithm", "Station data")
    HELP = QT_TRANSLATE_NOOP(
        "OpenPathCorrectionAlgorithm",
        "<p>Corrects the CO<sub>2</sub> flux of an open-path eddy-covariance system (IRGASON, EC150, LI-7500), "
        "which shows a false daytime uptake over low-flux deserts where closed-path analysers and chambers "
        "agree with each other [R]. Fluxes in <b>µmol m⁻² s⁻¹</b> (positive = release), H and Rn in W m⁻², Ta "
        "in °C; half-hourly or hourly tables.</p>"
        "<p><b>METHOD.</b> Transfer regression [L]: Fc_ref = β0 + β1·Fc_OP + β2·Rn + β3·Ta + β4·H, fitted where "
        "REFERENCE (a closed-path or chamber flux) overlaps INPUT and applied to the whole record; drivers "
        "absent from INPUT are left out. Sensible heat [L: Wang et al. 2016]: Fc_corr = Fc_OP − (c0 + c1·H), "
        "with C0 (µmol m⁻² s⁻¹) and C1 (µmol m⁻² s⁻¹ per W m⁻²) given, or fitted to the reference when both are "
        "empty. Both use a robust Huber fit over the overlap; BOOTSTRAP refits on whole days (SEED) give each "
        "coefficient's interval, carried into every corrected value and sum; 5-fold cross-validation by day "
        "scores the corrected and the uncorrected flux (RMSE, MAE, bias, R²). Day is Rn &gt; 0, else a solar "
        "elevation above 0° from LATITUDE, LONGITUDE and the UTC offset.</p>"
        "<p><b>Tables.</b> FORMAT, TIME_COLUMN, MAPPING (e.g. {\"fc\": \"FC_OP\", \"h\": \"H\", \"rn\": "
        "\"NETRAD\", \"ta\": \"TA\"}), STEP, PORTS, FLUX_UNIT and UTC_OFFSET_HOURS as in calibration; REFERENCE "
        "has its own set of them (its fc is the reference flux) and is shifted to INPUT's clock when both "
        "offsets are known.</p>"
        "<p><b>Outputs.</b> OUTPUT, the corrected series (CSV: time_start, fc_open_path_umol_m2_s, "
        "fc_corrected_umol_m2_s, its sd, the reference, in_overlap, is_day); OUTPUT_SUMMARY, an HTML page with "
        "the coefficients, the validation, annual sums and the warnings; optional OUTPUT_SUMS, daily and annual "
        "sums before and after, day and night apart, in g CO<sub>2</sub> m⁻² (each step adds Fc · step[s] · "
        "44.0095e-6).</p>"
        "<p><b>Example.</b> INPUT = open_path.csv, REFERENCE = chamber.csv, METHOD = sensible heat with C0 and "
        "C1 empty: c0 and c1 are fitted over the overlap, and the summary compares the daytime sums before and "
        "after.</p>"
        "<p><b>Refuses</b> (naming the table and column): a table that is not half-hourly or hourly (the bias "
        "follows the diel cycle of H); a table without a flux column; a transfer regression without REFERENCE, "
        "or with C0 and C1; only one of C0 and C1; an overlap with fewer than 10 joint observations per "
        "coefficient or on fewer than 5 days. A slope β1 well below 1 (noise in Fc_OP damps the corrected flux) "
        "gives a warning.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Open-path station table (CSV)"), fileFilter=CSV_FILTER))
        self.addParameter(QgsProcessingParameterFile(
            "REFERENCE", self.tr("Reference: closed-path or chamber CO2 flux table (CSV)"), fileFilter=CSV_FILTER,
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Method"),
            ["Transfer regression to the reference (β0 + β1·Fc_OP + β2·Rn + β3·Ta + β4·H)",
             "Sensible-heat correction Fc_OP − (c0 + c1·H)"], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "C0", self.tr("c0 (µmol m⁻² s⁻¹), sensible-heat method; empty = fit against the reference"),
            NUMBER_DOUBLE, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "C1", self.tr("c1 (µmol m⁻² s⁻¹ per W m⁻²), sensible-heat method; empty = fit"),
            NUMBER_DOUBLE, optional=True))
        for parameter in self.station_table_parameters("", "Open-path table"):
            self.addParameter(parameter)
        self.addParameter(self.station_step_parameter("", "Open-path table"))
        self.addParameter(self.station_flux_unit_parameter("", "Open-path table"))
        self.add_advanced_parameters([self.station_ports_parameter("", "Open-path table"),
                                      *self.station_text_parameters("", "Open-path table")])
        self.addParameter(QgsProcessingParameterNumber(
            "LATITUDE", self.tr("Station latitude (°N), for the day/night split without Rn"),
            NUMBER_DOUBLE, optional=True, minValue=-90.0, maxValue=90.0))
        self.addParameter(QgsProcessingParameterNumber(
            "LONGITUDE", self.tr("Station longitude (°E)"), NUMBER_DOUBLE, optional=True,
            minValue=-180.0, maxValue=180.0))
        self.add_advanced_parameters(self.station_table_parameters("REFERENCE_", "Reference table")
                                     + [self.station_step_parameter("REFERENCE_", "Reference table"),
                                        self.station_ports_parameter("REFERENCE_", "Reference table"),
                                        self.station_flux_unit_parameter("REFERENCE_", "Reference table"),
                                        *self.station_text_parameters("REFERENCE_", "Reference table")])
        self.add_advanced_parameters([
            QgsProcessingParameterNumber(BOOTSTRAP, self.tr("Bootstrap resamples (whole days)"), NUMBER_INTEGER,
                                         defaultValue=DEFAULT_BOOTSTRAP, minValue=MIN_BOOTSTRAP),
            self.seed_parameter(0)])
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Corrected series (CSV)"), "CSV files (*.csv)"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_SUMMARY", self.tr("Summary (HTML)"), "HTML files (*.html)"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_SUMS", self.tr("Daily and annual sums (CSV)"), "CSV files (*.csv)", optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        method = METHODS[self.parameterAsEnum(parameters, "METHOD", context)]
        path = self.parameterAsFile(parameters, "INPUT", context)
        series = self.checked(read_station_csv, path, **self.station_reader_options(parameters, context),
                              required=("fc",), latitude=self.optional_number(parameters, "LATITUDE", context),
                              longitude=self.optional_number(parameters, "LONGITUDE", context))
        feedback.pushInfo(series.summary())
        self.report_warnings(feedback, series.report.warnings)
        reference_path = self.parameterAsFile(parameters, "REFERENCE", context)
        reference = None
        if reference_path:
            reference = self.checked(read_station_csv, reference_path, required=("fc",),
                                     **self.station_reader_options(parameters, context, "REFERENCE_"))
            feedback.pushInfo(reference.summary())
            self.report_warnings(feedback, reference.report.warnings)
        result = self.run_core(
            feedback, correct_open_path, series, reference, method=method,
            # C0 and C1 as given: the core says when only one of them is (both or neither)
            coefficients=tuple(self.optional_number(parameters, key, context) for key in ("C0", "C1")),
            n_bootstrap=self.parameterAsInt(parameters, BOOTSTRAP, context),
            seed=self.parameterAsInt(parameters, SEED, context))
        for note in result.notes:
            feedback.pushInfo(note)
        self.report_warnings(feedback, result.warnings)
        feedback.pushInfo(result.equation)
        for c in result.coefficients:
            feedback.pushInfo(f"{c.name} ({c.term}) = {c.value:.6g} ± {c.sd:.3g} {c.unit} (95 %: {c.low:.6g} to "
                              f"{c.high:.6g})")
        for label, scores in result.validation.items():
            feedback.pushInfo(f"{result.validation_kind}, {label}: RMSE {scores.rmse:.4g}, bias {scores.bias:.4g} "
                              f"umol m-2 s-1, R² {scores.r2:.3f} (n = {scores.n})")
        for sums in result.annual:
            feedback.pushInfo(f"{sums.period} {sums.part}: {sums.before:.4g} → {sums.after:.4g} g CO2 m-2 "
                              f"(change {sums.change:.4g}, 95 %: {sums.change_low:.4g} to {sums.change_high:.4g}; "
                              f"{sums.steps} of {sums.period_steps} steps)")

        outputs = {key: self.parameterAsFileOutput(parameters, key, context)
                   for key in ("OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_SUMS")}
        write_corrected_csv(result, outputs["OUTPUT"])
        write_summary_html(result, outputs["OUTPUT_SUMMARY"])
        if outputs["OUTPUT_SUMS"]:
            write_sums_csv(result, outputs["OUTPUT_SUMS"])
        return {key: value for key, value in outputs.items() if value}
