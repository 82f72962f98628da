"""Python packages that QGIS installers may lack (Windows and macOS ship neither), what needs each,
and the command that installs it."""
import importlib
import sys

OPTIONAL_PACKAGES = {
    "rasterio": "the Processing algorithms and the drawn totals",
    "pyqtgraph": "the dock of plots",
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


def missing_message(package):
    return (f"The Python package {package} is missing from QGIS's Python; {OPTIONAL_PACKAGES[package]} need it. "
            f"Install it with: {install_command(package)} — then restart QGIS.")
