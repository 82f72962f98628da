"""desertcarbon:scenario and desertcarbon:siting through processing.run, in a provider of their own until
the plugin's provider registers them."""
import numpy as np
import processing
import pytest
import rasterio
from qgis.core import (QgsApplication, QgsFeature, QgsGeometry, QgsProcessingException, QgsProcessingProvider,
                       QgsRasterLayer, QgsSingleBandPseudoColorRenderer, QgsVectorLayer)
from rasterio.transform import from_origin

from desert_carbon.core.overlap import overlap_area, planar_area
from desert_carbon.processing_provider.aggregate_algorithm import AggregateAlgorithm
from desert_carbon.processing_provider.scenario_algorithm import ScenarioAlgorithm
from desert_carbon.processing_provider.siting_algorithm import SitingAlgorithm
from desert_carbon.qgis_layers.polygons import geometry_from_parts
from forcing_files import write_annual
from oracles import geodesic_area, lonlat_box, polygon_wkt, star

PROVIDER = "desertcarbontest"
TRANSFORM = from_origin(80.0, 40.0, 0.25, 0.25)
SHAPE = (24, 40)


class ScenarioSitingProvider(QgsProcessingProvider):
    def id(self):
        return PROVIDER

    def name(self):
        return "Desert carbon scenario and siting (tests)"

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in (ScenarioAlgorithm(), SitingAlgorithm(), AggregateAlgorithm()):
            self.addAlgorithm(algorithm)


@pytest.fixture
def run(qgis_processing):
    provider = ScenarioSitingProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    yield lambda name, parameters: processing.run(f"{PROVIDER}:{name}", parameters)
    QgsApplication.processingRegistry().removeProvider(provider)


def write_raster(path, values, count=3):
    return write_annual(path, np.repeat(np.asarray(values, dtype=np.float64)[None], count, axis=0), TRANSFORM)


def interventions(features, crs="EPSG:4326"):
    layer = QgsVectorLayer(f"Polygon?crs={crs}&field=name:string&field=practice:string&field=planting_year:integer",
                           "interventions", "memory")
    added = []
    for name, geometry, practice, year in features:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(geometry))
        feature.setAttributes([name, practice, year])
        added.append(feature)
    layer.dataProvider().addFeatures(added)
    return layer


def rows_of(table):
    return {(f["feature_id"], f["year"]): f for f in table.getFeatures()}


def test_hand_worked_shelter_forest_and_a_styled_change_raster(run, tmp_path):
    baseline = write_raster(tmp_path / "baseline.tif", np.full(SHAPE, -6.31))
    ring = lonlat_box(81.1, 38.5, 82.37, 39.25, closed=True)
    area = geodesic_area(ring)
    layer = interventions([("belt", polygon_wkt(ring), "shelter_forest", 2025)])
    change = tmp_path / "change.tif"
    result = run("scenario", {"BASELINE": baseline, "INTERVENTIONS": layer, "ID_FIELD": "name", "START_YEAR": 2025,
                              "HORIZON": 30, "CHANGE_YEAR": 2031, "OUTPUT": "memory:", "OUTPUT_CHANGE": str(change),
                              "OUTPUT_CSV": str(tmp_path / "scenario.csv")})
    rows = rows_of(result["OUTPUT"])
    assert len(rows) == 2 * 30

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))
    for year in (2026, 2031, 2054):                     # logistic, 12 years to full rate, steepness 6 [P]
        x = min((year - 2025) / 12, 1.0)
        growth = (sigmoid(6 * (x - 0.5)) - sigmoid(-3)) / (sigmoid(3) - sigmoid(-3))
        expected = growth * (-1000.0 + 6.31) * area * 1e-15
        assert rows[("belt", year)]["change_PgCO2_a"] == pytest.approx(expected, rel=1e-9)
        assert rows[("region", year)]["change_PgCO2_a"] == pytest.approx(expected, rel=1e-9)
    assert rows[("belt", 2054)]["water_m3_a"] == pytest.approx(3200.0 * area / 1e4, rel=1e-9)
    assert result["REGION_CHANGE_PGCO2_A"] == pytest.approx(rows[("region", 2054)]["change_PgCO2_a"])
    layer = QgsRasterLayer(str(change), "change")
    assert isinstance(layer.renderer(), QgsSingleBandPseudoColorRenderer)
    assert (tmp_path / "scenario.csv").read_text().count("\n") == 61


def test_without_interventions_the_baseline_equals_aggregate(run, tmp_path):
    values = np.random.default_rng(3).normal(-6.0, 2.0, SHAPE)
    baseline = write_raster(tmp_path / "baseline.tif", values)
    region = interventions([("desert", "POLYGON((80.3 34.6, 89.1 35.2, 88.2 39.7, 81.4 39.1, 80.3 34.6))",
                             "shifting_sand", 2000)])
    empty = interventions([])
    scenario = rows_of(run("scenario", {"BASELINE": baseline, "INTERVENTIONS": empty, "REGION": region,
                                        "HORIZON": 3, "OUTPUT": "memory:"})["OUTPUT"])
    totals = rows_of(run("aggregate", {"INPUT": baseline, "POLYGONS": region, "ID_FIELD": "name", "OUTPUT": "memory:",
                                       "OUTPUT_CSV": str(tmp_path / "t.csv"),
                                       "OUTPUT_HTML": str(tmp_path / "t.html")})["OUTPUT"])
    assert scenario[("region", 2025)]["baseline_PgCO2_a"] == totals[("desert", "mean")]["total_PgCO2_a"]
    # the same polygon as an unplanted intervention, without a raster: rate × its true area
    constant = rows_of(run("scenario", {"INTERVENTIONS": region, "ID_FIELD": "name", "BASELINE_RATE": -6.31,
                                        "HORIZON": 2, "OUTPUT": "memory:"})["OUTPUT"])
    assert constant[("desert", 2025)]["baseline_PgCO2_a"] == pytest.approx(
        -6.31 * totals[("desert", "mean")]["area_polygon_m2"] * 1e-15, rel=1e-12)


def test_overlaps_unknown_practices_and_missing_fields_name_the_feature(run, tmp_path):
    baseline = write_raster(tmp_path / "baseline.tif", np.full(SHAPE, -6.31))
    a = "POLYGON((81.1 38.1, 81.6 38.1, 81.6 38.6, 81.1 38.6, 81.1 38.1))"
    # overlaps a by a sliver inside partly covered cells: only the exact check sees it
    b = "POLYGON((81.59 38.3, 81.7 38.3, 81.7 38.4, 81.59 38.4, 81.59 38.3))"
    c = "POLYGON((81.6 38.6, 82.0 38.6, 82.0 39.0, 81.6 39.0, 81.6 38.6))"          # touches a at a corner
    parameters = {"BASELINE": baseline, "ID_FIELD": "name", "HORIZON": 5, "OUTPUT": "memory:"}
    with pytest.raises(QgsProcessingException, match="Interventions a and b overlap"):
        run("scenario", parameters | {"INTERVENTIONS": interventions([("a", a, "shelter_forest", 2025),
                                                                      ("b", b, "shelter_forest", 2026)])})
    result = run("scenario", parameters | {"INTERVENTIONS": interventions([("a", a, "shelter_forest", 2025),
                                                                          ("c", c, "haloxylon_plantation", 2026)])})
    assert rows_of(result["OUTPUT"])[("c", 2029)]["change_PgCO2_a"] < 0
    with pytest.raises(QgsProcessingException, match=r"Interventions a \('orchard'\): practice not in the practices"):
        run("scenario", parameters | {"INTERVENTIONS": interventions([("a", a, "orchard", 2025)])})
    with pytest.raises(QgsProcessingException, match="Interventions far lie entirely outside the baseline raster"):
        run("scenario", parameters | {"INTERVENTIONS": interventions(
            [("far", "POLYGON((10 10, 11 10, 11 11, 10 10))", "shelter_forest", 2025)])})
    with pytest.raises(QgsProcessingException, match="INTERVENTIONS has no field 'year' "):
        run("scenario", parameters | {"INTERVENTIONS": interventions([("a", a, "shelter_forest", 2025)]),
                                      "PLANTING_YEAR_FIELD": "year"})


def test_siting_sites_feed_straight_into_scenario(run, tmp_path):
    gradient = np.tile(np.arange(SHAPE[1]) - 10.0, (SHAPE[0], 1))            # release grows eastwards
    baseline = write_raster(tmp_path / "baseline.tif", gradient)
    depth = np.full(SHAPE, 5.0)
    depth[:, 35:] = 30.0                                                      # too deep in the far east
    gw_depth = write_raster(tmp_path / "gw_depth.tif", depth, count=1)
    oasis = interventions([("oasis", "POLYGON((88.3 39.9, 88.7 39.9, 88.7 39.3, 88.3 39.3, 88.3 39.9))", "", 0)])
    suitability = tmp_path / "suitability.tif"
    sited = run("siting", {"PRACTICE": "shelter_forest", "BASELINE": baseline, "CONSTRAINT_RASTERS": [gw_depth],
                           "CONSTRAINT_RULES": "gw_depth<=10", "EXCLUDE_POLYGONS": oasis, "TARGET_HA": 50_000,
                           "PLANTING_YEAR": 2026, "OUTPUT": str(suitability), "OUTPUT_SITES": "memory:"})
    sites = sited["OUTPUT_SITES"]
    features = list(sites.getFeatures())
    assert features and all(f.geometry().isGeosValid() for f in features)
    assert sited["SELECTED_AREA_HA"] >= 50_000
    with rasterio.open(suitability) as dataset:
        allowed = dataset.read(4)
    assert allowed[:, 35:].max() == 0 and allowed[0:3, 33:35].max() == 0 and allowed[:, 34].max() == 1
    scenario = run("scenario", {"BASELINE": baseline, "INTERVENTIONS": sites, "ID_FIELD": "site_id",
                                "START_YEAR": 2026, "HORIZON": 15, "OUTPUT": "memory:"})
    region = rows_of(scenario["OUTPUT"])[("region", 2040)]                   # full growth after 12 years
    assert region["change_PgCO2_a"] == pytest.approx(-sited["UPTAKE_GAIN_TCO2_A"] * 1e6 * 1e-15, rel=1e-9)


def random_polygon(rng):
    """One or two parts, each a star with (mostly) a star-shaped hole, near (500000, 4300000); valid."""
    while True:
        parts = []
        for k in range(rng.integers(1, 3)):
            centre = np.array([5e5 + 4000 * k, 4.3e6]) + rng.uniform(-1200, 1200, 2)
            exterior = star(rng, centre, 1000, 1400, int(rng.integers(8, 40)))
            hole = star(rng, centre + rng.uniform(-100, 100, 2), 200, 500, int(rng.integers(3, 12)))
            parts.append([exterior, hole] if rng.random() < 0.7 else [exterior])
        if geometry_from_parts(parts).isGeosValid():
            return parts


@pytest.mark.parametrize("seed", range(6))
def test_the_core_overlap_area_equals_qgis_intersection_area(seed):
    rng = np.random.default_rng(seed)
    overlapping = 0
    for _ in range(8):
        a, b = random_polygon(rng), random_polygon(rng)
        geometry_a, geometry_b = geometry_from_parts(a), geometry_from_parts(b)
        expected = geometry_a.intersection(geometry_b).area()
        assert overlap_area(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-6)
        assert planar_area(a) == pytest.approx(geometry_a.area(), rel=1e-12)
        overlapping += expected > 0
    assert overlapping >= 4                  # the cases are mostly real overlaps, not disjoint boxes
