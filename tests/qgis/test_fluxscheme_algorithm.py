"""desertcarbon:fluxscheme through processing.run: same numbers as the core, styled output, clear errors."""
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsRasterLayer, QgsSingleBandPseudoColorRenderer

from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import RasterStackForcing
from desert_carbon.core.parameters import load_parameters
from forcing_files import synthetic_forcing, write_stack


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stacks")
    start = np.datetime64("2011-01-01", "s").astype(np.int64)
    times = start + 3600 * np.arange(365 * 24 + 48, dtype=np.int64)     # a year and two days
    t0, t10, theta = synthetic_forcing(times, 4, 5)
    return {name: write_stack(folder / f"{name}.tif", values, times)
            for name, values in (("T0", t0), ("T10", t10), ("VWC10", theta))}


def test_processing_run_gives_the_core_numbers_and_a_styled_layer(provider, stacks, tmp_path):
    out = tmp_path / "annual.tif"
    result = processing.run("desertcarbon:fluxscheme", {**stacks, "OUTPUT": str(out),
                                                         "OUTPUT_REGIMES": str(tmp_path / "regimes.tif")})
    assert Path(result["OUTPUT"]) == out and result["YEARS"] == "2011"
    reference = run_flux_scheme(RasterStackForcing(*stacks.values()), load_parameters(), tmp_path / "core.tif")
    with rasterio.open(out) as got, rasterio.open(tmp_path / "core.tif") as expected:
        np.testing.assert_array_equal(got.read(), expected.read())
        assert got.descriptions == ("2011",)
    assert reference.years == [2011]
    # the .qml beside the raster makes QGIS open it with the diverging ramp centred on zero
    layer = QgsRasterLayer(str(out), "annual")
    assert layer.isValid()
    renderer = layer.renderer()
    assert isinstance(renderer, QgsSingleBandPseudoColorRenderer)
    assert renderer.classificationMin() == pytest.approx(-renderer.classificationMax())
    assert (tmp_path / "regimes.tif").exists()


def test_bad_input_is_a_processing_error_naming_the_file(provider, stacks, tmp_path):
    with pytest.raises(QgsProcessingException, match="missing.*VWC10"):
        processing.run("desertcarbon:fluxscheme", {"T0": stacks["T0"], "T10": stacks["T10"],
                                                   "OUTPUT": str(tmp_path / "a.tif")})
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "desert_carbon.parameters", "parameters": {}, "colour": 1}')
    with pytest.raises(QgsProcessingException, match=r"bad\.json.*unknown top-level key.*colour"):
        processing.run("desertcarbon:fluxscheme", {**stacks, "PARAMETERS": str(bad),
                                                   "OUTPUT": str(tmp_path / "a.tif")})
    with pytest.raises(QgsProcessingException, match=r"T0\.tif.*look like degC"):
        processing.run("desertcarbon:fluxscheme", {**stacks, "TEMPERATURE_UNIT": 1,
                                                   "OUTPUT": str(tmp_path / "a.tif")})
    assert not (tmp_path / "a.tif").exists()
