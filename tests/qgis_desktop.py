"""A script run inside a real QGIS desktop under Xvfb, the plugin enabled in a throwaway profile."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"

needs_desktop = pytest.mark.skipif(not shutil.which("xvfb-run") or not shutil.which("qgis"),
                                   reason="needs xvfb-run and qgis")


def run_in_qgis_desktop(tmp_path, session_script, environment, screen="1280x900"):
    """Run ``session_script`` with ``qgis --code``; it writes a JSON report to DESERT_CARBON_REPORT,
    which is returned (an "error" key in it fails the test with the session's traceback)."""
    profiles = tmp_path / "profiles"
    subprocess.run([str(REPOSITORY / "scripts" / "qgis_profile.sh"), str(profiles)], check=True)   # as `make qgis`
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), **environment}
    env.pop("QT_QPA_PLATFORM", None)        # a real X display this time
    run = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", "qgis", "--nologo", "--noversioncheck",
                          "--profiles-path", str(profiles), "--code", str(session_script)],
                         env=env, capture_output=True, text=True, timeout=300)
    report = Path(environment["DESERT_CARBON_REPORT"])
    assert report.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    found = json.loads(report.read_text())
    assert "error" not in found, found.get("error")
    return found


def distinct_colours(image, step=5):
    """The colours of a QImage sampled every ``step`` pixels: a blank grab has one or two."""
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
