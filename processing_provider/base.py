"""What every algorithm of the provider shares: naming, help links, how core errors surface, and the output
guard every run goes through (``core.output_guard``: refusals before anything is written, then all outputs
written under temporary names and moved into place together)."""
import functools

from qgis.core import (QgsFeature, QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingOutputLayerDefinition, QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsProperty, QgsVectorFileWriter)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..core.ensemble_files import member_rasters
from ..core.cluster import import_distributed, parse_cluster
from ..core.errors import InputError, RunCancelled
from ..core.output_guard import Input, Output, OutputTransaction, check_outputs
from ..core.stations import FORMATS, parse_mapping
from ..qgis_layers.station_choices import FLUX_UNIT_CHOICES, STEP_CHOICES, reading_options
from ..core.text_output import finite_or_none
from ..core.units import BYTES_PER_MB
from ..qgis_layers.enums import (FAST_INSERT, FILE_BEHAVIOR_FOLDER, NUMBER_DOUBLE, NUMBER_INTEGER, PARAMETER_ADVANCED,
                                 PROPERTY_STATIC, SOURCE_FILE, SOURCE_RASTER, WKB_NO_GEOMETRY)
from ..qgis_layers.fields import make_fields
from ..qgis_layers.sources import file_of_source

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
PORTS = "PORTS"
# How a table file is written: delimiter and decimal mark (a European spreadsheet's CSV is ';' with decimal commas),
# and what to do with rows that repeat a timestamp. Options shown, and the reader's value of each, in this order.
DELIMITER = "DELIMITER"
DELIMITER_CHOICES = ((QT_TRANSLATE_NOOP("DesertCarbonAlgorithm",
                                        "auto: the most frequent of comma, semicolon and tab in the header"), None),
                     (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "comma"), ","),
                     (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "semicolon"), ";"),
                     (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "tab"), "\t"))
DECIMAL = "DECIMAL"
DECIMAL_CHOICES = ((QT_TRANSLATE_NOOP("DesertCarbonAlgorithm",
                                      "auto: commas when the numbers use them and none uses a point"), "auto"),
                   (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "point (0.5)"), "."),
                   (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "comma (0,5)"), ","))
DUPLICATES = "DUPLICATES"
FILE_ONLY_OPTIONS = ("delimiter", "decimal")        # how a file is written: a table layer has no such thing
DUPLICATES_CHOICES = ((QT_TRANSLATE_NOOP("DesertCarbonAlgorithm",
                                         "keep the first row (a warning says where rows differ)"), "first"),
                      (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "average the rows of one timestamp"), "mean"),
                      (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "stop at the first repeated timestamp"), "error"))
FLUX_UNIT = "FLUX_UNIT"

# The names algorithms give a second station table's parameters (station_table_parameters' ``label``), for translators
TABLE_LABELS = (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "Open-path table"),
                QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "Reference table"),
                QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "VWC10_STATION table"))

HELP_BASE = "https://github.com/desert-carbon/desert_carbon#"
CANCELLED = QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "Cancelled: no output was written.")
# Parameter types whose value is one layer, and the file-destination extensions that name a kind of output.
LAYER_PARAMETER_TYPES = ("raster", "vector", "source", "layer", "mesh", "pointcloud")
FILE_OUTPUT_KINDS = {"csv": "csv", "txt": "csv", "html": "html", "htm": "html", "json": "json"}
MEMORY_SINKS = ("TEMPORARY_OUTPUT", "memory:")


def _with_output_guard(process):
    """``processAlgorithm`` run inside the output guard: the checks of ``core.output_guard`` first, the outputs
    written under temporary names (``parameterAsOutputLayer``, ``parameterAsFileOutput`` and ``parameterAsSink``
    give those), moved into place together when it returns, removed when it fails or is cancelled."""
    @functools.wraps(process)
    def guarded(self, parameters, context, feedback):
        transaction = self.begin_outputs(parameters, context)
        try:
            results = process(self, parameters, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException(CANCELLED)
            self.checked(transaction.commit)
        except BaseException:
            transaction.rollback()
            raise
        finally:
            self._transaction = None
        self._load_final_layers(transaction, context)
        return {key: transaction.final(value) if isinstance(value, str) else value for key, value in results.items()}
    return guarded


class DesertCarbonAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``ALGORITHM_ID``, ``DISPLAY_NAME``, ``GROUP``, ``HELP`` and implement the rest.

    The three texts are wrapped in ``QT_TRANSLATE_NOOP(class name, ...)`` so that `make translations`
    finds them; ``tr`` translates them when QGIS asks.
    """
    ALGORITHM_ID = ""
    DISPLAY_NAME = ""
    GROUP = ""
    HELP = ""
    _transaction = None               # the outputs of the run under way (an instance runs once)
    _final_outputs = {}               # output parameter -> the path the user gave

    def __init_subclass__(cls, **kwargs):
        # every algorithm's processAlgorithm goes through the output guard: none can forget it
        super().__init_subclass__(**kwargs)
        if "processAlgorithm" in cls.__dict__:
            cls.processAlgorithm = _with_output_guard(cls.__dict__["processAlgorithm"])

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
        # the context is the class whose source holds the text, as pylupdate5 records it for self.tr and
        # QT_TRANSLATE_NOOP: the algorithm's own class, else this one (the shared parameters)
        for cls in type(self).__mro__:
            translated = QCoreApplication.translate(cls.__name__, text)
            if translated != text or cls is DesertCarbonAlgorithm:
                return translated
        return text

    def table_text(self, description, label=""):
        """A station-table parameter's description; with ``label`` ("Reference table") a second table's."""
        text = self.tr(description)
        if not label:
            return text
        return self.tr("{table}: {description}").format(table=self.tr(label), description=text[:1].lower() + text[1:])

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
        sink.flushBuffer()
        del sink                          # closes the file before the guard moves it into place
        return sink_id

    # ---- the output guard (core.output_guard), for every algorithm ------------------------------------

    def input_files(self, parameters, context):
        """Every file the run reads, as ``core.output_guard.Input`` (parameter name and path)."""
        found = []
        for definition in self.parameterDefinitions():
            if definition.isDestination():
                continue
            name, kind = definition.name(), definition.type()
            if kind in LAYER_PARAMETER_TYPES:
                layer = self.parameterAsLayer(parameters, name, context)
                sources = [layer.source()] if layer is not None else []
            elif kind == "file":
                sources = [self.parameterAsFile(parameters, name, context)]
            elif kind == "multilayer":
                sources = (self.parameterAsFileList(parameters, name, context) if definition.layerType() == SOURCE_FILE
                           else [layer.source() for layer in self.parameterAsLayerList(parameters, name, context)])
            else:
                continue
            found += [Input(name, file_of_source(source)) for source in sources if source]
        return found

    def output_files(self, parameters, context):
        """Every output the run writes, as ``core.output_guard.Output``; the path is empty when it is not asked
        for or is not a file (a temporary memory layer)."""
        found = []
        for definition in self.destinationParameterDefinitions():
            name, kind = definition.name(), definition.type()
            if kind == "rasterDestination":
                path = QgsProcessingAlgorithm.parameterAsOutputLayer(self, parameters, name, context)
                found.append(Output(name, path, "raster"))
            elif kind == "fileDestination":
                path = QgsProcessingAlgorithm.parameterAsFileOutput(self, parameters, name, context)
                kind = FILE_OUTPUT_KINDS.get(definition.defaultFileExtension().lower(), "text")
                found.append(Output(name, path, kind))
            elif kind == "sink":
                found.append(Output(name, self._sink_file(parameters, name, definition), "vector",
                                    tuple("." + e.lower() for e in QgsVectorFileWriter.supportedFormatExtensions())))
        return found

    @staticmethod
    def _sink_file(parameters, name, definition):
        value = parameters.get(name, definition.defaultValue())
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            if value.sink.propertyType() != PROPERTY_STATIC:
                return ""
            value = value.sink.staticValue()
        text = str(value or "")
        if text.startswith(MEMORY_SINKS) or text.startswith("ogr:") or "://" in text:
            return ""
        return file_of_source(text)

    def begin_outputs(self, parameters, context):
        """Check every output against the inputs (``core.output_guard.check_outputs``) and start the transaction
        that writes them; a refusal is a QgsProcessingException naming the parameters."""
        outputs = self.output_files(parameters, context)
        self.checked(check_outputs, outputs, self.input_files(parameters, context))
        self._final_outputs = {output.parameter: output.path for output in outputs}
        transaction = OutputTransaction(outputs)
        try:
            self._transaction = transaction.begin()
        except OSError as error:
            transaction.rollback()
            raise QgsProcessingException(f"The outputs cannot be prepared beside {error.filename}: "
                                         f"{error.strerror or error}; nothing was written.") from None
        return self._transaction

    def _temporary_output(self, name, given):
        final = self._final_outputs.get(name)
        if self._transaction is None or final is None:
            return given()
        return self._transaction.temporary(final) if final else ""

    def parameterAsOutputLayer(self, parameters, name, context):  # noqa: N802 (QGIS's name)
        """The temporary path of a raster output while the guard's transaction runs."""
        return self._temporary_output(
            name, lambda: QgsProcessingAlgorithm.parameterAsOutputLayer(self, parameters, name, context))

    def parameterAsFileOutput(self, parameters, name, context):  # noqa: N802 (QGIS's name)
        """The temporary path of a file output while the guard's transaction runs."""
        return self._temporary_output(
            name, lambda: QgsProcessingAlgorithm.parameterAsFileOutput(self, parameters, name, context))

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):  # noqa: N802 (QGIS's name)
        """The sink created at its temporary path while the guard's transaction runs (a file sink only)."""
        temporary = self._temporary_output(name, lambda: "")
        if temporary:
            value = parameters.get(name)
            definition = QgsProcessingOutputLayerDefinition(value) \
                if isinstance(value, QgsProcessingOutputLayerDefinition) else QgsProcessingOutputLayerDefinition()
            definition.sink = QgsProperty.fromValue(temporary)
            parameters = {**parameters, name: definition}
        return QgsProcessingAlgorithm.parameterAsSink(self, parameters, name, context, *args, **kwargs)

    @staticmethod
    def _load_final_layers(transaction, context):
        """Layers Processing loads when the run ends, under their final paths (a sink registered its temporary)."""
        layers = context.layersToLoadOnCompletion()
        moved = {transaction.final(path): details for path, details in layers.items()}
        if set(moved) != set(layers):
            context.setLayersToLoadOnCompletion(moved)

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
            raise QgsProcessingException(QCoreApplication.translate("DesertCarbonAlgorithm", CANCELLED)) from None

    def run_core(self, feedback, function, *args, **kwargs):
        """``checked`` with the core's progress and cancel callbacks wired to ``feedback``."""
        return self.checked(function, *args, progress=lambda f: feedback.setProgress(100.0 * f),
                            is_cancelled=feedback.isCanceled, **kwargs)

    # ---- station tables (calibrate, openpathcorrection), declared and read once --------------------

    def station_table_parameters(self, prefix="", label=""):
        """FORMAT, TIME_COLUMN, MAPPING and UTC_OFFSET_HOURS of a station table, in that order; ``prefix`` and
        ``label`` ("Reference table") name a second table's."""
        return [
            QgsProcessingParameterEnum(prefix + FORMAT, self.table_text(QT_TRANSLATE_NOOP(
                "DesertCarbonAlgorithm", "Table format"), label), list(TABLE_FORMATS), defaultValue=0),
            QgsProcessingParameterString(prefix + TIME_COLUMN, self.table_text(QT_TRANSLATE_NOOP(
                "DesertCarbonAlgorithm", "Time column (generic tables; start of each interval)"), label),
                optional=True),
            QgsProcessingParameterString(prefix + MAPPING, self.table_text(QT_TRANSLATE_NOOP(
                "DesertCarbonAlgorithm", 'Column mapping (JSON, e.g. {"t0": "TS_1_1_1", "h": "H"})'), label),
                optional=True),
            QgsProcessingParameterNumber(prefix + UTC_OFFSET_HOURS, self.table_text(QT_TRANSLATE_NOOP(
                "DesertCarbonAlgorithm", "UTC offset of the timestamps (hours, local standard time − UTC)"), label),
                NUMBER_DOUBLE, optional=True, minValue=-12.0, maxValue=14.0)]

    def station_step_parameter(self, prefix="", label=""):
        """STEP: the step irregular samples are averaged into (mean per step, samples per step in the log)."""
        description = QT_TRANSLATE_NOOP("DesertCarbonAlgorithm",
                                        "Step to average irregular samples into (e.g. a chamber's own cycle)")
        return QgsProcessingParameterEnum(prefix + STEP, self.table_text(description, label),
                                          [self.tr(text) for text, _ in STEP_CHOICES], defaultValue=0)

    def station_ports_parameter(self, prefix="", label=""):
        """PORTS: the chamber ports (COSORE CSR_PORT) to average at each step; empty or mean = every port."""
        description = QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "Chamber ports to average (COSORE CSR_PORT), "
                                                                 "e.g. 1-4 or 1,3; empty or mean = all ports")
        return QgsProcessingParameterString(prefix + PORTS, self.table_text(description, label), optional=True)

    def station_flux_unit_parameter(self, prefix="", label=""):
        """FLUX_UNIT: the unit of the table's CO2 flux; a unit chosen here turns the magnitude check into a warning."""
        description = QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "Unit of the CO2 flux column")
        return QgsProcessingParameterEnum(prefix + FLUX_UNIT, self.table_text(description, label),
                                          [self.tr(text) for text, _ in FLUX_UNIT_CHOICES], defaultValue=0)

    def station_reader_options(self, parameters, context, prefix=""):
        """Keyword options of ``core.stations``' readers from one table's parameters (MAPPING checked by the core)."""
        mapping_text = self.parameterAsString(parameters, prefix + MAPPING, context)
        options = {"table_format": TABLE_FORMATS[self.parameterAsEnum(parameters, prefix + FORMAT, context)],
                   "time_column": self.parameterAsString(parameters, prefix + TIME_COLUMN, context).strip() or None,
                   "mapping": self.checked(parse_mapping, mapping_text, prefix + MAPPING),
                   "utc_offset_hours": self.optional_number(parameters, prefix + UTC_OFFSET_HOURS, context)}
        if self.parameterDefinition(prefix + STEP) is not None:
            options.update(self.checked(
                reading_options, self.parameterAsEnum(parameters, prefix + STEP, context),
                self.parameterAsEnum(parameters, prefix + FLUX_UNIT, context),
                self.parameterAsString(parameters, prefix + PORTS, context), prefix + PORTS, prefix + STEP))
        for key, choices, option in ((DELIMITER, DELIMITER_CHOICES, "delimiter"), (DECIMAL, DECIMAL_CHOICES, "decimal"),
                                     (DUPLICATES, DUPLICATES_CHOICES, "duplicates")):
            if self.parameterDefinition(prefix + key) is not None:
                options[option] = choices[self.parameterAsEnum(parameters, prefix + key, context)][1]
        return options

    def station_text_parameters(self, prefix="", label=""):
        """DELIMITER, DECIMAL and DUPLICATES of a station table file (detected when left at auto)."""
        return [QgsProcessingParameterEnum(prefix + DELIMITER, self.table_text(QT_TRANSLATE_NOOP(
                    "DesertCarbonAlgorithm", "Column delimiter"), label),
                    [self.tr(t) for t, _ in DELIMITER_CHOICES], defaultValue=0),
                QgsProcessingParameterEnum(prefix + DECIMAL, self.table_text(QT_TRANSLATE_NOOP(
                    "DesertCarbonAlgorithm", "Decimal mark"), label),
                    [self.tr(t) for t, _ in DECIMAL_CHOICES], defaultValue=0),
                QgsProcessingParameterEnum(prefix + DUPLICATES, self.table_text(QT_TRANSLATE_NOOP(
                    "DesertCarbonAlgorithm", "Rows that repeat a timestamp"), label),
                    [self.tr(t) for t, _ in DUPLICATES_CHOICES], defaultValue=0)]

    @staticmethod
    def ensemble_parameters(layers_key, layers_label, folder_label):
        """A parameter ensemble as flux rasters (``layers_key``) or as fluxscheme's OUTPUT_ENSEMBLE folder
        (``layers_key``_FOLDER), both optional; read with ``ensemble_paths``."""
        return [QgsProcessingParameterMultipleLayers(layers_key, layers_label, SOURCE_RASTER, optional=True),
                QgsProcessingParameterFile(layers_key + "_FOLDER", folder_label, behavior=FILE_BEHAVIOR_FOLDER,
                                           optional=True)]

    def ensemble_paths(self, parameters, context, layers_key):
        """Member rasters of a parameter ensemble, given as layers or as fluxscheme's OUTPUT_ENSEMBLE folder."""
        folder_key = layers_key + "_FOLDER"
        layers = [layer.source() for layer in self.parameterAsLayerList(parameters, layers_key, context)]
        folder = self.parameterAsFile(parameters, folder_key, context)
        if layers and folder:
            raise QgsProcessingException(f"Give the ensemble either as layers ({layers_key}) or as a folder "
                                         f"({folder_key}), not both.")
        return self.checked(member_rasters, folder, folder_key) if folder else layers

    def seed_parameter(self, default):
        """SEED, the bootstrap's random seed (an advanced parameter)."""
        return QgsProcessingParameterNumber(SEED, self.tr("Random seed of the bootstrap"), NUMBER_INTEGER,
                                            defaultValue=default, minValue=0)

    def optional_number(self, parameters, key, context):
        """An optional number parameter's value; None when it is left empty."""
        if parameters.get(key) in (None, ""):
            return None
        return self.parameterAsDouble(parameters, key, context)
