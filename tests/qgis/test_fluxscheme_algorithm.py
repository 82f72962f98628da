"""desertcarbon:fluxscheme through processing.run: same numbers as the core, styled output, clear errors."""
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsRasterLayer, QgsSingleBandPseudoColorRenderer

from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import Era5Forcing, RasterStackForcing
from desert_carbon.core.parameters import load_parameters
from forcing_files import synthetic_forcing, write_new_cds_netcdf, write_stack


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


@pytest.fixture(scope="module")
def monthly_folder(tmp_path_factory):
    """ERA5-Land as users hold it: one new-layout NetCDF per variable and month, in subfolders."""
    folder = tmp_path_factory.mktemp("era5_monthly")
    start = np.datetime64("2012-01-01", "s").astype(np.int64)
    times = start + 3600 * np.arange((31 + 29) * 24, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, 3, 4, seed=3)
    split = 31 * 24
    for label, part in (("2012-01", slice(0, split)), ("2012-02", slice(split, None))):
        (folder / label).mkdir()
        for name in ("skt", "stl1", "stl2", "swvl1", "swvl2"):
            write_new_cds_netcdf(folder / label / f"{name}.nc", times[part], t0[part], t10[part], t10[part] - 1.0,
                                 theta[part], theta[part] * 1.1, res=0.25, only=[name])
    return folder


def test_a_folder_of_monthly_per_variable_files_is_one_forcing(provider, monthly_folder, tmp_path):
    out = tmp_path / "annual.tif"
    result = processing.run("desertcarbon:fluxscheme", {"FORCING": [str(monthly_folder)],
                                                         "INCLUDE_PARTIAL_YEARS": True, "OUTPUT": str(out)})
    assert result["YEARS"] == "2012"
    run_flux_scheme(Era5Forcing(sorted(str(p) for p in monthly_folder.rglob("*.nc"))), load_parameters(),
                    tmp_path / "core.tif", include_partial_years=True)
    with rasterio.open(out) as got, rasterio.open(tmp_path / "core.tif") as expected:
        np.testing.assert_array_equal(got.read(), expected.read())
    # the folder parameter (the GUI's way to pick a folder) gives the same
    folder_out = tmp_path / "by_folder.tif"
    processing.run("desertcarbon:fluxscheme", {"FORCING_FOLDER": str(monthly_folder), "INCLUDE_PARTIAL_YEARS": True,
                                               "OUTPUT": str(folder_out)})
    with rasterio.open(out) as got, rasterio.open(folder_out) as expected:
        np.testing.assert_array_equal(got.read(), expected.read())


def test_a_month_missing_for_one_variable_is_named(provider, monthly_folder, tmp_path):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(monthly_folder, copy)
    (copy / "2012-02" / "swvl1.nc").unlink()
    with pytest.raises(QgsProcessingException, match=r"swvl1 is missing from 2012-02-01T00:00:00 to "
                                                      r"2012-02-29T23:00:00.*2012-02/skt\.nc"):
        processing.run("desertcarbon:fluxscheme", {"FORCING": [str(copy)], "OUTPUT": str(tmp_path / "a.tif")})
    assert not (tmp_path / "a.tif").exists()
