"""desertcarbon:trend and desertcarbon:aggregate through processing.run on real files and layers."""
import csv

import numpy as np
import processing
import pytest
import rasterio
from qgis.core import (QgsFeature, QgsGeometry, QgsPalettedRasterRenderer, QgsProcessingException,
                       QgsProcessingFeedback,
                       QgsRasterLayer, QgsVectorLayer)
from rasterio.transform import from_origin
from scipy import stats

from forcing_files import write_annual as write_annual_raster
from oracles import geodesic_area, polygon_wkt

YEARS = list(range(2000, 2012))


def write_annual(path, values):
    return write_annual_raster(path, values, from_origin(80.0, 40.0, 0.5, 0.5))


def test_trend_matches_scipy_and_loads_styled(provider, tmp_path):
    rng = np.random.default_rng(4)
    values = rng.normal(0, 1, (len(YEARS), 3, 4)) + 0.3 * np.arange(len(YEARS)).reshape(-1, 1, 1)
    values[3, 1, 1] = -9999.0          # a gap
    source = write_annual(tmp_path / "annual.tif", values)
    out = tmp_path / "trend.tif"
    result = processing.run("desertcarbon:trend", {"INPUT": source, "MIN_VALID_YEARS": 8, "OUTPUT": str(out)})
    with rasterio.open(out) as src:
        bands = dict(zip(src.descriptions, src.read()))
        assert src.tags(1)["units"] == "g CO2 m-2 a-2"
    years = np.array(YEARS, dtype=float)
    for row, col in ((0, 0), (1, 1), (2, 3)):
        keep = values[:, row, col] != -9999.0
        expected = stats.linregress(years[keep], values[keep, row, col])
        assert bands["ols_slope"][row, col] == pytest.approx(expected.slope, rel=1e-6)   # float32 output
        assert bands["n_valid"][row, col] == keep.sum()
    assert 0 < result["SIGNIFICANT_SHARE"] <= 1
    layer = QgsRasterLayer(str(out), "trend")
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    assert layer.renderer().usesBands() == [6] and len(layer.renderer().classes()) == 7


def polygon_layer(crs, wkts):
    layer = QgsVectorLayer(f"Polygon?crs={crs}&field=name:string", "polygons", "memory")
    features = []
    for name, wkt in wkts:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes([name])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_aggregate_constant_flux_equals_flux_times_area(provider, tmp_path):
    flux = np.full((3, 8, 10), 6.31)       # g CO2 m-2 a-1, the Tazhong rate [R]
    source = write_annual(tmp_path / "flux.tif", flux)
    # a polygon with 1-metre edges in lon/lat is not needed: edges along meridians and parallels are
    # the same straight or geodesic, except the parallels; keep them short so the difference is tiny
    ring = [(80.7, 36.6), (83.3, 36.6), (83.3, 38.9), (80.7, 38.9), (80.7, 36.6)]
    wkt = polygon_wkt(ring)
    bowtie = "POLYGON((81 37, 82 38, 82 37, 81 38, 81 37))"
    layer = polygon_layer("EPSG:4326", [("box", wkt), ("bowtie", bowtie), ("far", "POLYGON((0 0, 1 0, 1 1, 0 0))")])
    out_csv, out_html = tmp_path / "totals.csv", tmp_path / "totals.html"
    result = processing.run("desertcarbon:aggregate", {
        "INPUT": source, "POLYGONS": layer, "ID_FIELD": "name", "OUTPUT": "memory:",
        "OUTPUT_CSV": str(out_csv), "OUTPUT_HTML": str(out_html)})
    table = result["OUTPUT"]
    rows = {(f["feature_id"], f["year"]): f for f in table.getFeatures()}
    assert len(rows) == 3 * 4
    expected_pg = 6.31 * geodesic_area(ring) * 1e-15
    # along parallels the straight lon/lat edge and the geodesic differ: 2.6 deg at 37-39 N is ~2e-5
    assert rows[("box", "2001")]["total_PgCO2_a"] == pytest.approx(expected_pg, rel=1e-4)
    assert rows[("box", "mean")]["mean_rate_gCO2_m2_a"] == pytest.approx(6.31, rel=1e-12)
    assert rows[("far", "2000")]["area_summed_m2"] == 0.0
    assert rows[("bowtie", "2000")]["area_summed_m2"] > 0     # repaired into two triangles
    with open(out_csv, newline="") as f:
        assert len(list(csv.DictReader(f))) == 12
    assert "box" in out_html.read_text()


def test_aggregate_reprojects_polygons(provider, tmp_path):
    flux = np.full((2, 8, 10), 1.0)
    source = write_annual(tmp_path / "flux.tif", flux)
    lonlat = [(81.0, 37.0), (82.0, 37.0), (82.0, 38.0), (81.0, 38.0), (81.0, 37.0)]
    layer_4326 = polygon_layer("EPSG:4326", [("a", polygon_wkt(lonlat))])
    mercator = processing.run("native:reprojectlayer", {"INPUT": layer_4326, "TARGET_CRS": "EPSG:3857",
                                                        "OUTPUT": "memory:"})["OUTPUT"]
    totals = [processing.run("desertcarbon:aggregate", {"INPUT": source, "POLYGONS": layer, "OUTPUT": "memory:",
                                                        "OUTPUT_CSV": str(tmp_path / f"{i}.csv"),
                                                        "OUTPUT_HTML": str(tmp_path / f"{i}.html")})["OUTPUT"]
              for i, layer in enumerate((layer_4326, mercator))]
    first, second = ([f["total_PgCO2_a"] for f in t.getFeatures()] for t in totals)
    np.testing.assert_allclose(second, first, rtol=1e-9)


def test_aggregate_names_a_raster_without_years(provider, tmp_path):
    layer = polygon_layer("EPSG:4326", [("a", "POLYGON((81 37, 82 37, 82 38, 81 37))")])
    with pytest.raises(QgsProcessingException):
        processing.run("desertcarbon:aggregate", {"INPUT": str(tmp_path / "missing.tif"), "POLYGONS": layer,
                                                  "OUTPUT": "memory:"})


def test_aggregate_takes_fluxscheme_s_ensemble_folder_and_prints_the_line_to_copy(provider, tmp_path):
    """Members = 1.0, 1.5 and 2.0 × the central flux: the mean row's parameter sd is sd(1, 1.5, 2) × its total."""
    flux = np.full((2, 8, 10), -6.0)
    source = write_annual(tmp_path / "flux.tif", flux)
    folder = tmp_path / "members"
    folder.mkdir()
    for number, scale in enumerate((1.0, 1.5, 2.0), start=1):
        write_annual(folder / f"member_{number:03d}.tif", flux * scale)
    layer = polygon_layer("EPSG:4326", [("box", polygon_wkt([(81, 37), (82, 37), (82, 38), (81, 38), (81, 37)]))])
    feedback = QgsProcessingFeedback()
    result = processing.run("desertcarbon:aggregate", {
        "INPUT": source, "POLYGONS": layer, "ID_FIELD": "name", "ENSEMBLE_FOLDER": str(folder), "OUTPUT": "memory:",
        "OUTPUT_CSV": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "t.html")}, feedback=feedback)
    rows = {f["year"]: f for f in result["OUTPUT"].getFeatures()}
    mean = rows["mean"]
    assert mean["ensemble_sd_PgCO2_a"] == pytest.approx(abs(mean["total_PgCO2_a"]) * 0.5, rel=1e-9)
    assert mean["ensemble_members"] == 3
    assert mean["combined_uncertainty_PgCO2_a"] == pytest.approx(mean["ensemble_sd_PgCO2_a"], rel=1e-9)  # no IAV
    assert "box: -" in feedback.textLog() and "3 parameter sets" in feedback.textLog()
    assert "What the uncertainty columns mean" in (tmp_path / "t.html").read_text(encoding="utf-8")


def test_aggregate_refuses_an_ensemble_folder_with_one_member(provider, tmp_path):
    source = write_annual(tmp_path / "flux.tif", np.full((2, 8, 10), -6.0))
    folder = tmp_path / "members"
    folder.mkdir()
    write_annual(folder / "member_001.tif", np.full((2, 8, 10), -6.0))
    layer = polygon_layer("EPSG:4326", [("box", polygon_wkt([(81, 37), (82, 37), (82, 38), (81, 38), (81, 37)]))])
    with pytest.raises(QgsProcessingException, match=r"members \(ENSEMBLE_FOLDER\) holds 1 GeoTIFF"):
        processing.run("desertcarbon:aggregate", {"INPUT": source, "POLYGONS": layer, "ENSEMBLE_FOLDER": str(folder),
                                                  "OUTPUT": "memory:", "OUTPUT_CSV": str(tmp_path / "t.csv"),
                                                  "OUTPUT_HTML": str(tmp_path / "t.html")})
