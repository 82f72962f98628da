"""Make the repository importable as the package ``desert_carbon``, as QGIS will see it."""
import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"
PLUGIN_LINK = PLUGIN_ROOT / "desert_carbon"

PLUGIN_ROOT.mkdir(parents=True, exist_ok=True)
if not PLUGIN_LINK.exists():
    PLUGIN_LINK.symlink_to(REPOSITORY, target_is_directory=True)
if str(PLUGIN_ROOT) not in sys.path:
    sys.path.insert(0, str(PLUGIN_ROOT))
# tests/ itself, so that tests import the shared file writers in tests/forcing_files.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
