"""Puts the repository on sys.path as the package ``desert_carbon``, linked as `make deps` links it."""
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"


def use_plugin_package():
    PLUGIN_ROOT.mkdir(parents=True, exist_ok=True)
    link = PLUGIN_ROOT / "desert_carbon"
    if not link.exists():
        link.symlink_to(REPOSITORY, target_is_directory=True)
    if str(PLUGIN_ROOT) not in sys.path:
        sys.path.insert(0, str(PLUGIN_ROOT))
