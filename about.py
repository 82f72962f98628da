"""The plugin's name and version, read once from metadata.txt (the file QGIS and the plugin site read)."""
import configparser
from pathlib import Path

_METADATA = configparser.ConfigParser(interpolation=None)
_METADATA.read(Path(__file__).resolve().parent / "metadata.txt", encoding="utf-8")

PLUGIN_NAME = _METADATA["general"]["name"]
VERSION = _METADATA["general"]["version"]
