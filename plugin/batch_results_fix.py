"""Batch mode on QGIS 3.22: its BatchAlgorithmDialog lists each run's HTML outputs with
``resultsList.addResult(icon=…, name=…, result=…)`` and no ``timestamp``, which
``ProcessingResults.addResult`` requires. Every run succeeds, then a Python error dialog ends the batch
(aggregate, calibrate and openpathcorrection have HTML outputs). Later QGIS releases pass the timestamp.

The fix gives ``timestamp`` the default the later releases pass (the local time now), only where the
installed ``addResult`` has no default for it, and takes it back when the plugin unloads.
"""
import inspect
import time

_original = None


def results_class():
    """QGIS's ProcessingResults class, or None outside a QGIS with the Processing plugin."""
    try:
        from processing.core.ProcessingResults import ProcessingResults
    except ImportError:
        return None
    return ProcessingResults


def needs_fix(cls):
    timestamp = inspect.signature(cls.addResult).parameters.get("timestamp")
    return timestamp is not None and timestamp.default is inspect.Parameter.empty


def install():
    """Patch ProcessingResults.addResult where its timestamp has no default; True when patched."""
    global _original
    cls = results_class()
    if cls is None or _original is not None or not needs_fix(cls):
        return _original is not None
    original = cls.addResult

    def add_result(self, icon, name, timestamp=None, result=None):
        return original(self, icon, name, time.localtime() if timestamp is None else timestamp, result)

    _original = original
    cls.addResult = add_result
    return True


def uninstall():
    global _original
    cls = results_class()
    if cls is not None and _original is not None:
        cls.addResult = _original
    _original = None
