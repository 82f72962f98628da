"""What every algorithm of the provider shares: naming, help links, and how core errors surface."""
from qgis.core import QgsFeature, QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterNumber
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError, RunCancelled
from ..core.text_output import finite_or_none
from ..core.units import BYTES_PER_MB
from ..qgis_layers.enums import FAST_INSERT, NUMBER_INTEGER, PARAMETER_ADVANCED, WKB_NO_GEOMETRY
from ..qgis_layers.fields import make_fields

# Parameter names several algorithms share (DESIGN.md: public, never renamed), declared once here.
MEMORY_MB = "MEMORY_MB"
OUTPUT = "OUTPUT"
MIN_MEMORY_MB = 16

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
        """The core's warnings in the log, in the colour of a non-fatal error."""
        for warning in warnings:
            feedback.reportError(warning, fatalError=False)

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
