"""The plugin in a real QGIS desktop under Xvfb: menu, toolbox, a styled result, a screenshot."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from qgis.PyQt.QtGui import QImage

from forcing_files import synthetic_forcing, write_stack

PLUGIN_ROOT = Path(__file__).resolve().parents[2] / ".build" / "plugins"
SESSION = Path(__file__).resolve().parent / "desktop_session.py"


def distinct_colours(image_path):
    image = QImage(str(image_path))
    step = 7
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


@pytest.mark.skipif(not shutil.which("xvfb-run") or not shutil.which("qgis"), reason="needs xvfb-run and qgis")
def test_plugin_in_the_qgis_desktop(tmp_path):
    times = np.datetime64("2015-01-01", "s").astype(np.int64) + 3600 * np.arange(8760, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, 12, 16, seed=5)
    inputs = {name: write_stack(tmp_path / f"{name}.tif", values, times)
              for name, values in (("T0", t0), ("T10", t10), ("VWC10", theta))}
    inputs["OUTPUT"] = str(tmp_path / "annual_flux.tif")
    profiles = tmp_path / "profiles"
    settings = profiles / "profiles" / "default" / "QGIS"
    settings.mkdir(parents=True)
    (settings / "QGIS3.ini").write_text("[PythonPlugins]\ndesert_carbon=true\n"
                                        "[qgis]\ncheckVersion=false\nshowTips=false\n")
    report, screenshot = tmp_path / "report.json", tmp_path / "qgis.png"
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "DESERT_CARBON_INPUTS": json.dumps(inputs),
           "DESERT_CARBON_REPORT": str(report), "DESERT_CARBON_SCREENSHOT": str(screenshot)}
    env.pop("QT_QPA_PLATFORM", None)        # a real X display this time
    run = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x900x24", "qgis", "--nologo", "--noversioncheck",
                          "--profiles-path", str(profiles),
                          "--code", str(SESSION)], env=env, capture_output=True, text=True, timeout=300)
    assert report.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    found = json.loads(report.read_text())
    assert "error" not in found, found.get("error")
    assert found["plugin_loaded"]
    assert any(entry.startswith("&Desert Carbon Sink/Flux scheme") for entry in found["plugin_menu"]), found
    assert "desertcarbon:fluxscheme" in found["algorithms"]
    styled = [layer for layer in found["layers"] if layer["renderer"] == "QgsSingleBandPseudoColorRenderer"]
    assert styled and styled[0]["min"] == pytest.approx(-styled[0]["max"])
    assert screenshot.exists() and len(distinct_colours(screenshot)) > 50
    shutil.copy(screenshot, PLUGIN_ROOT.parent / "desktop-screenshot.png")     # for a look, and the README
