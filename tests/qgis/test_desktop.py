"""The plugin in a real QGIS desktop under Xvfb: menu, toolbox, a styled result, a screenshot."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from qgis.PyQt.QtGui import QImage

from forcing_files import synthetic_forcing, write_stack
from qgis_desktop import PLUGIN_ROOT, distinct_colours, needs_desktop, run_in_qgis_desktop

SESSION = Path(__file__).resolve().parent / "desktop_session.py"


@needs_desktop
def test_plugin_in_the_qgis_desktop(tmp_path):
    times = np.datetime64("2015-01-01", "s").astype(np.int64) + 3600 * np.arange(8760, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, 12, 16, seed=5)
    inputs = {name: write_stack(tmp_path / f"{name}.tif", values, times)
              for name, values in (("T0", t0), ("T10", t10), ("VWC10", theta))}
    inputs["OUTPUT"] = str(tmp_path / "annual_flux.tif")
    inputs["OUTPUT_COMPONENTS"] = str(tmp_path / "components.tif")      # every optional output loads styled too
    inputs["OUTPUT_REGIMES"] = str(tmp_path / "regimes.tif")
    report, screenshot = tmp_path / "report.json", tmp_path / "qgis.png"
    found = run_in_qgis_desktop(tmp_path, SESSION, {"DESERT_CARBON_INPUTS": json.dumps(inputs),
                                                    "DESERT_CARBON_REPORT": str(report),
                                                    "DESERT_CARBON_SCREENSHOT": str(screenshot)})
    assert found["plugin_loaded"]
    assert any(entry.startswith("&Desert Carbon Sink/Flux scheme") for entry in found["plugin_menu"]), found
    assert "desertcarbon:fluxscheme" in found["algorithms"]
    layers = {Path(layer["source"]).name: layer for layer in found["layers"]}
    assert set(layers) == {"annual_flux.tif", "components.tif", "regimes.tif"}, found
    for layer in layers.values():        # one band on a labelled ramp each, never an RGB composite
        assert layer["renderer"] == "QgsSingleBandPseudoColorRenderer" and len(layer["bands"]) == 1, layer
    for name in ("annual_flux.tif", "components.tif"):     # fluxes: symmetric about zero, the unit in the legend
        assert layers[name]["min"] == pytest.approx(-layers[name]["max"])
        assert layers[name]["legend_suffix"].strip() == "g CO₂ m⁻² a⁻¹", layers[name]
        assert "0" in layers[name]["legend"] and len(layers[name]["legend"]) >= 5         # rounded labels
    assert layers["regimes.tif"]["min"] == 0 and layers["regimes.tif"]["max"] == 1
    assert "0–1" in layers["regimes.tif"]["legend_suffix"]
    assert screenshot.exists() and len(distinct_colours(QImage(str(screenshot)), step=7)) > 50
    shutil.copy(screenshot, PLUGIN_ROOT.parent / "desktop-screenshot.png")     # for a look, and the README
