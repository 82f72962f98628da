"""What every algorithm of the provider shares: naming, help links, and how core errors surface."""
from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterDefinition
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError, RunCancelled

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
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(parameter)

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
