"""core/ must run where QGIS is absent: a plain interpreter imports every module without qgis."""
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
CORE = REPOSITORY / "core"
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"   # made by tests/conftest.py


def test_every_core_module_imports_without_loading_qgis():
    # every module, packages (core/stations/) included
    modules = sorted(".".join(p.relative_to(CORE).with_suffix("").parts).removesuffix(".__init__")
                     for p in CORE.rglob("*.py") if p != CORE / "__init__.py")
    script = ("import sys\n"
              f"sys.path.insert(0, {str(PLUGIN_ROOT)!r})\n"
              + "".join(f"import desert_carbon.core.{m}\n" for m in modules)
              + "loaded = [n for n in sys.modules if n == 'qgis' or n.startswith('qgis.')]\n"
              "assert not loaded, loaded\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {"fluxscheme", "fluxscheme_run", "stations", "stations.reader"} <= set(modules)
