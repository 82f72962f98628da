"""What every algorithm of the provider shares: naming, help links, and how core errors surface."""
from qgis.core import (QgsFeature, QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterEnum,
                       QgsProcessingParameterNumber, QgsProcessingParameterString)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.cluster import import_distributed, parse_cluster
from ..core.errors import InputError, RunCancelled
from ..core.stations import FLUX_UNIT_LABELS, FORMATS, parse_mapping, parse_ports
from ..core.text_output import finite_or_none
from ..core.units import BYTES_PER_MB
from ..qgis_layers.enums import FAST_INSERT, NUMBER_DOUBLE, NUMBER_INTEGER, PARAMETER_ADVANCED, WKB_NO_GEOMETRY
from ..qgis_layers.fields import make_fields

# Parameter names several algorithms share (docs/DESIGN.md: public, never renamed), declared once here.
MEMORY_MB = "MEMORY_MB"
CLUSTER = "CLUSTER"
OUTPUT = "OUTPUT"
MIN_MEMORY_MB = 16
# The station-table parameters of calibrate and openpathcorrection; a prefix ("REFERENCE_") names a second table's.
FORMAT = "FORMAT"
TIME_COLUMN = "TIME_COLUMN"
MAPPING = "MAPPING"
UTC_OFFSET_HOURS = "UTC_OFFSET_HOURS"
BOOTSTRAP = "BOOTSTRAP"
SEED = "SEED"
TABLE_FORMATS = ("auto",) + FORMATS         # the FORMAT enum's options, in this order
STEP = "STEP"
# The STEP enum's options and the core reader's step for each, in this order: irregular samples (an automated
# chamber's own cycle) are averaged into steps; "none" refuses a table that is not regular.
STEP_CHOICES = (("auto: the table's step if half-hourly, hourly or daily, else hourly", "auto"),
                ("hourly (mean of the samples in each hour)", 3600),
                ("half-hourly (mean of the samples in each half hour)", 1800),
                ("daily (mean of the samples in each day)", 86400),
                ("none: regular half-hourly, hourly or daily tables only", None))
PORTS = "PORTS"
FLUX_UNIT = "FLUX_UNIT"
# The FLUX_UNIT enum's options and the reader's unit of each: auto takes the file's (COSORE CSR_COLUMN_UNITS.csv;
# AmeriFlux and FLUXNET half-hourly FC in µmol m⁻² s⁻¹, FLUXNET daily NEE in g C m⁻² d⁻¹).
FLUX_UNIT_CHOICES = (("auto: as the file says", None),) + tuple((label, key) for key, label in FLUX_UNIT_LABELS.items())

HELP_BASE = "https://github.com/desert-carbon/desert_carbon#"


class DesertCarbonAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``ALGORITHM_ID``, ``DISPLAY_NAME``, ``GROUP``, ``HELP`` and implement the rest.

    The three texts are wrapped in ``QT_TRANSLATE_NOOP(class name, ...)`` so that `make translations`
    finds them; ``tr`` translates them when QGIS asks.
    """
    ALGORITHM_ID = ""
    DISPLAY_NAME = ""
    GROUP = ""
    HELP = ""

    def name(self):
        return self.ALGORITHM_ID

    def displayName(self):  # noqa: N802
        return self.tr(self.DISPLAY_NAME)

    def group(self):
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: N802
        return self.GROUP.lower().replace(" ", "_")

    def shortHelpString(self):  # noqa: N802
        return self.tr(self.HELP)

    def helpUrl(self):  # noqa: N802
        return HELP_BASE + f"desertcarbon{self.ALGORITHM_ID}"

    def createInstance(self):  # noqa: N802
        return type(self)()

    def tr(self, text):
        # the class name is the context, as pylupdate5 records it for self.tr and QT_TRANSLATE_NOOP
        return QCoreApplication.translate(type(self).__name__, text)

    def add_advanced_parameters(self, parameters):
        """Add parameters under the dialog's "Advanced parameters" fold."""
        for parameter in parameters:
            parameter.setFlags(parameter.flags() | PARAMETER_ADVANCED)
            self.addParameter(parameter)

    def memory_parameter(self, default_mb):
        """The working-memory budget every windowed algorithm offers (an advanced parameter)."""
        return QgsProcessingParameterNumber(MEMORY_MB, self.tr("Working memory budget (MB)"),
                                            NUMBER_INTEGER, defaultValue=default_mb,
                                            minValue=MIN_MEMORY_MB)

    def cluster_parameter(self):
        """CLUSTER, where the windows run (an advanced parameter; core.cluster): empty = in this process."""
        return QgsProcessingParameterString(
            CLUSTER, self.tr("Dask cluster: empty = this process, local:N = N worker processes on this machine, "
                             "tcp://host:8786 = a running scheduler"), optional=True)

    def cluster_choice(self, parameters, context, feedback):
        """CLUSTER as the core takes it, checked first: a malformed value, or a cluster without Dask installed, is
        refused before the run, with the command that installs Dask."""
        text = (self.parameterAsString(parameters, CLUSTER, context) or "").strip()
        choice = self.checked(parse_cluster, text)
        if not choice.in_process:
            self.checked(import_distributed)
            feedback.pushInfo(f"CLUSTER: the windows run on {choice.describe()}.")
        return text

    def memory_budget_bytes(self, parameters, context):
        """MEMORY_MB in bytes, as the core's ``budget_bytes`` takes it."""
        return self.parameterAsInt(parameters, MEMORY_MB, context) * BYTES_PER_MB

    def write_sink(self, parameters, key, context, named_kinds, rows, geometries=None,
                   geometry_type=WKB_NO_GEOMETRY, crs=None):
        """Write ``rows`` to the feature sink ``key`` and return its id for the results.

        ``named_kinds`` are (field name, "string" | "int" | "double") pairs and each row holds the values in
        that order (NaN becomes NULL); ``geometries``, when given, holds one QgsGeometry per row.
        """
        fields = make_fields(named_kinds)
        crs_argument = () if crs is None else (crs,)
        sink, sink_id = self.parameterAsSink(parameters, key, context, fields, geometry_type, *crs_argument)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, key))
        geometries = [None] * len(rows) if geometries is None else geometries
        for values, geometry in zip(rows, geometries):
            feature = QgsFeature(fields)
            if geometry is not None:
                feature.setGeometry(geometry)
            feature.setAttributes([finite_or_none(value) for value in values])
            sink.addFeature(feature, FAST_INSERT)
        return sink_id

    @staticmethod
    def report_warnings(feedback, warnings):
        """The core's warnings in the log as warnings: ``pushWarning`` (every supported QGIS has it; the
        dialog shows them in orange and qgis_process prints them as "WARNING:"). Not ``reportError``:
        qgis_process prints those as "ERROR:" although the run goes on."""
        for warning in warnings:
            feedback.pushWarning(warning)

    @staticmethod
    def checked(function, *args, **kwargs):
        """Call a core function; its bad-input and cancel exceptions become QgsProcessingException,
        which the dialog, the modeler and qgis_process show as a message instead of a crash."""
        try:
            return function(*args, **kwargs)
        except InputError as error:
            raise QgsProcessingException(str(error)) from None
        except RunCancelled:
            raise QgsProcessingException("Cancelled: no output was written.") from None

    def run_core(self, feedback, function, *args, **kwargs):
        """``checked`` with the core's progress and cancel callbacks wired to ``feedback``."""
        return self.checked(function, *args, progress=lambda f: feedback.setProgress(100.0 * f),
                            is_cancelled=feedback.isCanceled, **kwargs)

    # ---- station tables (calibrate, openpathcorrection), declared and read once --------------------

    def station_table_parameters(self, prefix="", label=""):
        """FORMAT, TIME_COLUMN, MAPPING and UTC_OFFSET_HOURS of a station table, in that order; ``prefix`` and
        ``label`` ("Reference table") name a second table's."""
        def text(description):
            return self.tr(f"{label}: {description}" if label else description[:1].upper() + description[1:])

        return [
            QgsProcessingParameterEnum(prefix + FORMAT, text("table format"), list(TABLE_FORMATS), defaultValue=0),
            QgsProcessingParameterString(prefix + TIME_COLUMN,
                                         text("time column (generic tables; start of each interval)"), optional=True),
            QgsProcessingParameterString(prefix + MAPPING,
                                         text('column mapping (JSON, e.g. {"t0": "TS_1_1_1", "h": "H"})'),
                                         optional=True),
            QgsProcessingParameterNumber(prefix + UTC_OFFSET_HOURS,
                                         text("UTC offset of the timestamps (hours, local standard time − UTC)"),
                                         NUMBER_DOUBLE, optional=True, minValue=-12.0, maxValue=14.0)]

    def station_step_parameter(self, prefix="", label=""):
        """STEP: the step irregular samples are averaged into (mean per step, samples per step in the log)."""
        description = "step to average irregular samples into (e.g. a chamber's own cycle)"
        return QgsProcessingParameterEnum(
            prefix + STEP, self.tr(f"{label}: {description}" if label else description[:1].upper() + description[1:]),
            [text for text, _ in STEP_CHOICES], defaultValue=0)

    def station_ports_parameter(self, prefix="", label=""):
        """PORTS: the chamber ports (COSORE CSR_PORT) to average at each step; empty or mean = every port."""
        description = "chamber ports to average (COSORE CSR_PORT), e.g. 1-4 or 1,3; empty or mean = all ports"
        return QgsProcessingParameterString(
            prefix + PORTS, self.tr(f"{label}: {description}" if label else description[:1].upper() + description[1:]),
            optional=True)

    def station_flux_unit_parameter(self, prefix="", label=""):
        """FLUX_UNIT: the unit of the table's CO2 flux; a unit chosen here turns the magnitude check into a warning."""
        description = "unit of the CO2 flux column"
        return QgsProcessingParameterEnum(
            prefix + FLUX_UNIT,
            self.tr(f"{label}: {description}" if label else description[:1].upper() + description[1:]),
            [text for text, _ in FLUX_UNIT_CHOICES], defaultValue=0)

    def station_reader_options(self, parameters, context, prefix=""):
        """Keyword options of ``core.stations``' readers from one table's parameters (MAPPING checked by the core)."""
        mapping_text = self.parameterAsString(parameters, prefix + MAPPING, context)
        options = {"table_format": TABLE_FORMATS[self.parameterAsEnum(parameters, prefix + FORMAT, context)],
                   "time_column": self.parameterAsString(parameters, prefix + TIME_COLUMN, context).strip() or None,
                   "mapping": self.checked(parse_mapping, mapping_text, prefix + MAPPING),
                   "utc_offset_hours": self.optional_number(parameters, prefix + UTC_OFFSET_HOURS, context)}
        if self.parameterDefinition(prefix + STEP) is not None:
            options["step"] = STEP_CHOICES[self.parameterAsEnum(parameters, prefix + STEP, context)][1]
            options["step_parameter"] = prefix + STEP
        if self.parameterDefinition(prefix + FLUX_UNIT) is not None:
            unit = FLUX_UNIT_CHOICES[self.parameterAsEnum(parameters, prefix + FLUX_UNIT, context)][1]
            if unit is not None:
                options["units"] = {"fc": unit}
                options["check_flux_magnitude"] = "warn"
        if self.parameterDefinition(prefix + PORTS) is not None:
            options["port"] = self.checked(parse_ports, self.parameterAsString(parameters, prefix + PORTS, context),
                                           prefix + PORTS)
        return options

    def seed_parameter(self, default):
        """SEED, the bootstrap's random seed (an advanced parameter)."""
        return QgsProcessingParameterNumber(SEED, self.tr("Random seed of the bootstrap"), NUMBER_INTEGER,
                                            defaultValue=default, minValue=0)

    def optional_number(self, parameters, key, context):
        """An optional number parameter's value; None when it is left empty."""
        if parameters.get(key) in (None, ""):
            return None
        return self.parameterAsDouble(parameters, key, context)
