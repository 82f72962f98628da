"""report_warnings: the core's warnings reach the log as warnings, never as (non-fatal) errors."""
from qgis.core import QgsProcessingFeedback

from desert_carbon.processing_provider.base import DesertCarbonAlgorithm

WARNING_COLOUR = "#b85a20"       # QgsProcessingFeedback's colour for pushWarning; errors are red


def test_warnings_are_pushed_as_warnings_in_a_real_feedback(qgis_app):
    feedback = QgsProcessingFeedback()
    DesertCarbonAlgorithm.report_warnings(feedback, ["first", "second"])
    assert feedback.textLog().splitlines() == ["first", "second"]
    assert feedback.htmlLog().count(WARNING_COLOUR) == 2 and "color:red" not in feedback.htmlLog()
