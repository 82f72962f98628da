"""The plugin in a real QGIS desktop under Xvfb: menu, toolbox, a styled result, a screenshot."""
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from qgis.PyQt.QtGui import QImage

from forcing_files import synthetic_forcing, write_stack
from qgis_desktop import PLUGIN_ROOT, REPOSITORY, distinct_colours, needs_desktop, run_in_qgis_desktop

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


ANALYST_SESSION = Path(__file__).resolve().parent / "desktop_analyst_session.py"
POLYGON = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "box"}, '
           '"geometry": {"type": "Polygon", "coordinates": '
           '[[[80.1, 38.6], [81.4, 38.6], [81.4, 39.9], [80.1, 38.6]]]}}]}')


@needs_desktop
def test_the_analyst_s_path_in_a_chinese_qgis_desktop(tmp_path):
    """QGIS in Simplified Chinese under Xvfb: the Modeler's Run opens the run dialog (no "not valid" prompt), batch
    aggregate over two rasters writes both rows' outputs with no Python error, the dock comes up in Chinese."""
    from forcing_files import write_annual
    from rasterio.transform import from_origin
    profiles = tmp_path / "profiles"
    subprocess.run([str(REPOSITORY / "scripts" / "qgis_profile.sh"), str(profiles)], check=True)
    with open(profiles / "profiles" / "default" / "QGIS" / "QGIS3.ini", "a") as settings:
        settings.write("[locale]\noverrideFlag=true\nuserLocale=zh_CN\n")
    rasters = [write_annual(tmp_path / f"flux_{n}.tif", np.full((3, 4, 4), value), from_origin(80.0, 40.0, 0.5, 0.5))
               for n, value in enumerate((-5.0, 7.0))]      # SYNTHETIC constant fluxes
    polygons = tmp_path / "box.geojson"
    polygons.write_text(POLYGON, encoding="utf-8")
    (tmp_path / "batch").mkdir()
    report, screenshot = tmp_path / "report.json", tmp_path / "qgis_zh.png"
    found = run_in_qgis_desktop(tmp_path, ANALYST_SESSION, {
        "DESERT_CARBON_BATCH": json.dumps({"rasters": rasters, "polygons": str(polygons),
                                           "folder": str(tmp_path / "batch")}),
        "DESERT_CARBON_REPORT": str(report), "DESERT_CARBON_SCREENSHOT": str(screenshot)})
    assert found["plugin_loaded"] and found["locale"].startswith("zh"), found
    assert found["fluxscheme_name"] == "通量方案（流动沙地年 CO2 通量）"
    assert found["dock_title"] == "荒漠碳汇：站点、情景、总量"
    first = found["modeler_run"][0]
    assert first["type"] == "AlgorithmDialog", found["modals"]            # not the "model is not valid" prompt
    assert first["title"].endswith("荒漠碳汇流程：通量、趋势、总量与情景"), first
    assert found["batch_files"] == sorted(f"totals_{row}.{ext}" for row in (0, 1) for ext in ("csv", "gpkg", "html")), \
        found["modals"]
    assert found["errors"] == [], found["errors"]
    assert screenshot.exists() and len(distinct_colours(QImage(str(screenshot)), step=7)) > 50
    shutil.copy(screenshot, PLUGIN_ROOT.parent / "desktop-screenshot-zh.png")     # for a look
