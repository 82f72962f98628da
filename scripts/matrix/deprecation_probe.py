"""pytest plugin for `make test-matrix` (-p deprecation_probe, with scripts/matrix on PYTHONPATH).

Also writes each failure's report at once to $FAILURE_LOG when that is set (see _log_failure).

Appends every DeprecationWarning that pytest records and whose file lies in this repository (the
plugin's modules, reached through the .build/plugins/desert_carbon link, and the tests) to the JSON-lines
file $DEPRECATION_LOG. pytest.ini ignores DeprecationWarning, so the run also needs
`-W default::DeprecationWarning` for pytest to record them at all.
"""
import json
import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
NOT_OURS = {".venv", ".build"}   # after resolving the link, .build only holds outputs and venvs


def pytest_warning_recorded(warning_message, when, nodeid, location):
    if not issubclass(warning_message.category, DeprecationWarning) or "DEPRECATION_LOG" not in os.environ:
        return
    path = Path(warning_message.filename).resolve()   # resolves the desert_carbon link to the checkout
    try:
        relative = path.relative_to(REPOSITORY)
    except ValueError:
        return
    if relative.parts[0] in NOT_OURS:
        return
    record = {"file": str(relative), "line": warning_message.lineno, "category": warning_message.category.__name__,
              "message": str(warning_message.message), "when": when, "nodeid": nodeid}
    with open(os.environ["DEPRECATION_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")


def _log_failure(report):
    # Failures as they happen (to $FAILURE_LOG): a run that crashes at its end, before pytest prints its
    # report, still leaves them.
    if report.failed and "FAILURE_LOG" in os.environ:
        record = {"nodeid": report.nodeid, "when": getattr(report, "when", "collect"),
                  "text": report.longreprtext[-20000:]}
        with open(os.environ["FAILURE_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")


def pytest_runtest_logreport(report):
    _log_failure(report)


def pytest_collectreport(report):
    _log_failure(report)
