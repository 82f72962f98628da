"""Python packages that QGIS installers may lack (Windows and macOS ship neither), what needs each,
and the command that installs it."""
import importlib
import sys

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

OPTIONAL_PACKAGES = {
    "rasterio": QT_TRANSLATE_NOOP("Dependencies", "the Processing algorithms and the drawn totals"),
    "pyqtgraph": QT_TRANSLATE_NOOP("Dependencies", "the dock of plots"),
}


def is_available(package):
    try:
        importlib.import_module(package)
    except ImportError:
        return False
    return True


def missing_packages():
    return [package for package in OPTIONAL_PACKAGES if not is_available(package)]


def install_command(package):
    """The one command for this platform: Debian's package on Linux (a pip wheel would bring a
    second GDAL next to QGIS's), pip in the OSGeo4W Shell or QGIS's own Python elsewhere."""
    if sys.platform.startswith("linux"):
        return f"sudo apt install python3-{package}"
    return f"python -m pip install {package}"


def tr(text):
    return QCoreApplication.translate("Dependencies", text)


def missing_message(package):
    return tr("The Python package {package} is missing from QGIS's Python; {needs} need it. Install it with: "
              "{command} — then restart QGIS.").format(package=package, needs=tr(OPTIONAL_PACKAGES[package]),
                                                      command=install_command(package))
