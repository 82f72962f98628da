"""report_warnings: the core's warnings as warnings, never as (non-fatal) errors, with or without pushWarning."""
from desert_carbon.processing_provider.base import WARNING_PREFIX, DesertCarbonAlgorithm


class OldFeedback:
    """A feedback of a QGIS without pushWarning: only pushInfo and reportError."""

    def __init__(self):
        self.lines = []

    def pushInfo(self, text):  # noqa: N802
        self.lines.append(("info", text))

    def reportError(self, text, fatalError=False):  # noqa: N802, N803
        self.lines.append(("error", text))


class NewFeedback(OldFeedback):
    def pushWarning(self, text):  # noqa: N802
        self.lines.append(("warning", text))


def test_warnings_use_push_warning_where_it_exists_and_a_prefixed_info_line_elsewhere():
    new, old = NewFeedback(), OldFeedback()
    DesertCarbonAlgorithm.report_warnings(new, ["first", "second"])
    DesertCarbonAlgorithm.report_warnings(old, ["first"])
    assert new.lines == [("warning", "first"), ("warning", "second")]
    assert old.lines == [("info", WARNING_PREFIX + "first")] and WARNING_PREFIX == "Warning: "
