"""Every raster the plugin loads has a style that means something: one band on a ramp with rounded labels and its
unit in the legend; fluxes on one scale for all years, symmetric about zero; no RGB composites."""
import numpy as np
import processing
import pytest
import rasterio
from qgis.core import QgsProject, QgsRasterLayer, QgsSingleBandPseudoColorRenderer

from desert_carbon.processing_provider.styles import label, nice_ceiling
from forcing_files import synthetic_forcing, write_stack


@pytest.mark.parametrize(("value", "expected"), [(0.93, 1.0), (1.0, 1.0), (1.7, 2.0), (2.2, 2.5), (3.1, 5.0),
                                                 (6.0, 10.0), (0.0123, 0.02), (0.0213, 0.025), (412.0, 500.0)])
def test_legend_ends_are_round(value, expected):
    assert nice_ceiling(value) == pytest.approx(expected)


def test_labels_have_the_precision_of_their_step():
    assert [label(v, 1.25) for v in (-5.0, -3.75, 0.0, 2.5)] == ["−5", "−3.75", "0", "2.5"]
    assert label(-0.30000000000000004, 0.1) == "−0.3"


@pytest.fixture(scope="module")
def two_year_stacks(tmp_path_factory):
    """SYNTHETIC forcing over two years, the second warmer at the surface so that its fluxes differ."""
    folder = tmp_path_factory.mktemp("two_years")
    times = np.arange(*(np.datetime64(d, "s").astype(np.int64) for d in ("2011-01-01", "2013-01-01")), 3600)
    t0, t10, theta = synthetic_forcing(times, 4, 5, seed=8)
    t0 = t0 + np.where(times >= np.datetime64("2012-01-01", "s").astype(np.int64), 1.5, 0.0)[:, None, None]
    return {name: write_stack(folder / f"{name}.tif", values, times)
            for name, values in (("T0", t0), ("T10", t10), ("VWC10", theta))}


def legend_suffix(layer):
    return layer.renderer().shader().rasterShaderFunction().legendSettings().suffix()


def test_every_fluxscheme_output_loads_as_one_band_with_a_labelled_ramp(provider, layer_tree_view, two_year_stacks,
                                                                         tmp_path, qgis_new_project):
    outputs = {key: str(tmp_path / f"{key.lower()}.tif") for key in ("OUTPUT", "OUTPUT_COMPONENTS", "OUTPUT_REGIMES")}
    processing.runAndLoadResults("desertcarbon:fluxscheme", {**two_year_stacks, **outputs})
    loaded = {layer.source(): layer for layer in QgsProject.instance().mapLayers().values()}
    expected_units = {"OUTPUT": " g CO₂ m⁻² a⁻¹", "OUTPUT_COMPONENTS": " g CO₂ m⁻² a⁻¹",
                      "OUTPUT_REGIMES": " fraction of valid steps (0–1)"}
    for key, path in outputs.items():
        layer = loaded[path]
        renderer = layer.renderer()
        assert isinstance(renderer, QgsSingleBandPseudoColorRenderer), (key, type(renderer).__name__)
        assert renderer.band() == 1 and legend_suffix(layer) == expected_units[key]
        function = renderer.shader().rasterShaderFunction()
        assert function.legendSettings().useContinuousLegend()
        labels = [item.label for item in function.colorRampItemList()]
        assert all(len(text.split(".")[-1]) <= 3 or "." not in text for text in labels), labels
    flux = loaded[outputs["OUTPUT"]].renderer()
    limit = flux.classificationMax()
    assert flux.classificationMin() == -limit and nice_ceiling(limit) == pytest.approx(limit)
    with rasterio.open(outputs["OUTPUT"]) as src:           # the scale holds both years, not the first only
        assert src.count == 2
        by_year = [np.percentile(np.abs(band.compressed()), 90) for band in src.read(masked=True)]
    assert limit >= max(by_year)
    regimes = loaded[outputs["OUTPUT_REGIMES"]].renderer()
    assert (regimes.classificationMin(), regimes.classificationMax()) == (0.0, 1.0)


def test_the_qml_beside_the_file_carries_the_same_style(provider, two_year_stacks, tmp_path):
    out = tmp_path / "components.tif"
    processing.run("desertcarbon:fluxscheme", {**two_year_stacks, "OUTPUT": str(tmp_path / "flux.tif"),
                                               "OUTPUT_COMPONENTS": str(out)})
    layer = QgsRasterLayer(str(out), "components")         # opened as a user opens the file later
    assert isinstance(layer.renderer(), QgsSingleBandPseudoColorRenderer)
    assert legend_suffix(layer) == " g CO₂ m⁻² a⁻¹"
    del layer
