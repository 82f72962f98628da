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


def test_rain_rn_ocean_cells_and_regime_criteria_through_processing(provider, tmp_path):
    from forcing_files import synthetic_radiation_and_rain, write_era5_land_zip
    times = np.arange(*(np.datetime64(d, "s").astype(np.int64) for d in ("2019-01-01", "2020-01-01")), 3600)
    t0, t10, theta = synthetic_forcing(times, 2, 3, seed=4)
    ssr, str_, tp = synthetic_radiation_and_rain(times, 2, 3)
    lsm = np.array([[1.0, 0.2, 1.0], [1.0, 1.0, 1.0]])
    forcing = write_era5_land_zip(tmp_path / "synthetic", times, t0, t10, theta, ssr, str_, tp, lsm=lsm)
    outputs = {key: str(tmp_path / f"{key.lower()}.tif") for key in ("OUTPUT", "OUTPUT_REGIMES", "OUTPUT_RAIN",
                                                                         "OUTPUT_RN")}
    result = processing.run("desertcarbon:fluxscheme", {"FORCING": [forcing], **outputs})
    assert result["OCEAN_CELLS"] == 1 and result["YEARS"] == "2019"
    core = tmp_path / "core"
    run_flux_scheme(Era5Forcing([forcing]), load_parameters(), core / "a.tif", rain_output=core / "rain.tif",
                    accumulation="auto")
    with rasterio.open(outputs["OUTPUT_RAIN"]) as got, rasterio.open(core / "rain.tif") as expected:
        np.testing.assert_array_equal(got.read(), expected.read())
        assert got.descriptions == ("2019",) and got.tags(1)["units"] == "mm a-1"
        assert got.read(1, masked=True).mask[0, 1]                       # the ocean cell
    with rasterio.open(outputs["OUTPUT_REGIMES"]) as regimes:
        assert regimes.tags()["REGIME_CRITERIA"] == "daily-mean dT < 0.8 K and daily-mean Rn < 67 W m-2"
    for key in ("OUTPUT_RAIN", "OUTPUT_RN"):
        layer = QgsRasterLayer(outputs[key], key)
        assert isinstance(layer.renderer(), QgsSingleBandPseudoColorRenderer)
        assert layer.renderer().classificationMin() < layer.renderer().classificationMax()


def test_rain_needs_the_accumulation_rule_when_the_files_do_not_say(provider, tmp_path):
    # its own test: a layer left in a frame that an exception's traceback holds would outlive exitQgis
    from forcing_files import synthetic_radiation_and_rain, write_era5_land_zip
    times = np.arange(*(np.datetime64(d, "s").astype(np.int64) for d in ("2019-01-01", "2019-01-03")), 3600)
    t0, t10, theta = synthetic_forcing(times, 2, 3, seed=4)
    ssr, str_, tp = synthetic_radiation_and_rain(times, 2, 3)
    odd = write_era5_land_zip(tmp_path / "odd", times, t0, t10, theta, ssr, str_, tp, res=0.5)   # 0.5°: says nothing
    with pytest.raises(QgsProcessingException, match="Set ACCUMULATION"):
        processing.run("desertcarbon:fluxscheme", {"FORCING": [odd], "INCLUDE_PARTIAL_YEARS": True,
                                                   "OUTPUT_RAIN": str(tmp_path / "rain.tif"),
                                                   "OUTPUT": str(tmp_path / "odd.tif")})
    assert not (tmp_path / "odd.tif").exists() and not (tmp_path / "rain.tif").exists()


def test_theta10_quantile_mapped_to_a_cosore_station(provider, tmp_path):
    """The real COSORE sample (Agua Amarga, 2012) against a SYNTHETIC forcing written around it for 2012."""
    from forcing_files import write_new_cds_fields
    station = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
    times = np.arange(*(np.datetime64(d, "s").astype(np.int64) for d in ("2012-01-01", "2013-01-01")), 3600)
    t0, t10, theta = synthetic_forcing(times, 3, 4, seed=8)
    fields = {"skt": (t0 + 273.15, "K"), "stl1": (t10 + 273.15, "K"), "stl2": (t10 - 1.0 + 273.15, "K"),
              "swvl1": (theta + 0.06, "m**3 m**-3"), "swvl2": (theta + 0.06, "m**3 m**-3")}
    forcing = write_new_cds_fields(tmp_path / "synthetic_2012.nc", times, fields, lat0=37.1, lon0=-2.2, res=0.1)
    out = tmp_path / "mapped.tif"
    processing.run("desertcarbon:fluxscheme", {"FORCING": [forcing], "VWC10_STATION": str(station),
                                               "INCLUDE_PARTIAL_YEARS": True, "OUTPUT": str(out)})
    with rasterio.open(out) as src:
        assert src.tags()["THETA10_CORRECTION"].startswith("theta10 quantile-mapped to station ES-Agu over 2012-01-01")
    with pytest.raises(QgsProcessingException, match=r"either VWC10_SCALE \(0\.5\) or VWC10_STATION"):
        processing.run("desertcarbon:fluxscheme", {"FORCING": [forcing], "VWC10_STATION": str(station),
                                                   "VWC10_SCALE": 0.5, "OUTPUT": str(tmp_path / "b.tif")})


COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"


def test_a_calibration_s_bootstrap_sets_run_as_an_ensemble_and_aggregate_takes_the_folder(provider, stacks, tmp_path):
    """calibrate (the real COSORE sample, 4 replicates) → fluxscheme with the file as PARAMETERS and as
    PARAMETER_ENSEMBLE → OUTPUT_ENSEMBLE, one raster per replicate, each equal to the core run of that member →
    aggregate's ENSEMBLE_FOLDER gives their spread."""
    calibrated = tmp_path / "calibrated.json"
    processing.run("desertcarbon:calibrate", {"STATION": str(COSORE), "MAPPING": '{"t0": "CSR_T5"}', "BOOTSTRAP": 4,
                                              "OUTPUT": str(calibrated), "OUTPUT_REPORT": str(tmp_path / "c.html")})
    members_folder = tmp_path / "members"
    result = processing.run("desertcarbon:fluxscheme", {
        **stacks, "PARAMETERS": str(calibrated), "PARAMETER_ENSEMBLE": str(calibrated),
        "OUTPUT": str(tmp_path / "annual.tif"), "OUTPUT_ENSEMBLE": str(members_folder)})
    assert Path(result["OUTPUT_ENSEMBLE"]) == members_folder
    paths = sorted(members_folder.glob("member_*.tif"))
    assert [p.name for p in paths] == [f"member_{n:03d}.tif" for n in range(1, 5)]
    from desert_carbon.core.parameters import load_ensemble
    second = load_ensemble(calibrated)[1]
    run_flux_scheme(RasterStackForcing(*stacks.values()), second, tmp_path / "second.tif")
    with rasterio.open(paths[1]) as got, rasterio.open(tmp_path / "second.tif") as expected:
        np.testing.assert_allclose(got.read(), expected.read(), rtol=1e-12)
    totals = processing.run("desertcarbon:aggregate", {
        "INPUT": str(tmp_path / "annual.tif"), "POLYGONS": _box_layer(), "ENSEMBLE_FOLDER": str(members_folder),
        "OUTPUT": "memory:", "OUTPUT_CSV": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "t.html")})
    mean = [f for f in totals["OUTPUT"].getFeatures() if f["year"] == "mean"][0]
    assert mean["ensemble_members"] == 4 and mean["ensemble_sd_PgCO2_a"] > 0


def _box_layer():
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "box", "memory")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((80 38, 82.5 38, 82.5 40, 80 40, 80 38))"))
    feature.setAttributes(["box"])
    layer.dataProvider().addFeature(feature)
    return layer


def test_an_ensemble_without_its_output_folder_is_refused_naming_both(provider, stacks, tmp_path):
    from ensemble_files_for_tests import parameter_folder
    folder = parameter_folder(tmp_path / "parameters")
    with pytest.raises(QgsProcessingException, match=r"PARAMETER_ENSEMBLE_FOLDER gives 4 parameter sets: set "
                                                     r"OUTPUT_ENSEMBLE"):
        processing.run("desertcarbon:fluxscheme", {**stacks, "PARAMETER_ENSEMBLE_FOLDER": folder,
                                                   "OUTPUT": str(tmp_path / "annual.tif")})
    assert not (tmp_path / "annual.tif").exists()
