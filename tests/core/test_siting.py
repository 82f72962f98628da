"""Siting core: constraints, ranking per hectare and per m³, target area on the ellipsoid, site polygons
that cover exactly the chosen cells and feed straight into the scenario."""
import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import from_origin
from rasterio.windows import Window

from desert_carbon.core.coverage import PolygonCoverage
from desert_carbon.core.errors import InputError
from desert_carbon.core.geodesy import cell_areas
from desert_carbon.core.practices import load_practices
from desert_carbon.core.scenario import Intervention, run_scenario
from desert_carbon.core.siting import BAND_NAMES, Rule, parse_rules, run_siting
from forcing_files import write_annual
from oracles import geodesic_area

TRANSFORM = from_origin(80.0, 40.0, 0.1, 0.1)
ROWS, COLS = 20, 30
WGS84 = CRS.from_epsg(4326)
FOREST_RATE = -1000.0                      # shelter_forest in the bundled table, g CO2 m-2 a-1 [R]
AREAS = np.broadcast_to(cell_areas(WGS84, TRANSFORM, Window(0, 0, COLS, ROWS)), (ROWS, COLS))


def write(path, values, count=None, nodata=-9999.0, transform=TRANSFORM):
    values = np.asarray(values, dtype=np.float64)
    values = np.repeat(values[None], count, axis=0) if count else values
    return write_annual(path, values, transform, nodata=nodata, units=None)


@pytest.fixture
def gradient(tmp_path):
    """A baseline rising from -10 in the west to +19 g CO2 m-2 a-1 in the east (two equal bands)."""
    return write(tmp_path / "baseline.tif", np.tile(np.arange(COLS) - 10.0, (ROWS, 1)), count=2)


def read_bands(path):
    with rasterio.open(path) as dataset:
        assert dataset.descriptions == BAND_NAMES
        return dict(zip(BAND_NAMES, dataset.read(masked=True)))


def site_area(site):
    exterior, *holes = site.parts[0]
    return geodesic_area(exterior, per_edge=200) - sum(geodesic_area(hole, per_edge=200) for hole in holes)


def test_gain_bands_and_the_best_cells_for_a_target_area(tmp_path, gradient):
    practices = load_practices()
    out = tmp_path / "suitability.tif"
    target_ha = 30 * AREAS[0, 0] / 1e4                       # about 30 cells of the northern row
    result = run_siting(gradient, practices, "shelter_forest", out, target_ha, budget_bytes=30_000)
    bands = read_bands(out)
    gain = (np.arange(COLS) - 10.0 - FOREST_RATE) * 1e-2      # t CO2 ha-1 a-1
    np.testing.assert_allclose(bands["uptake_gain_tCO2_ha_a"], np.tile(gain, (ROWS, 1)), rtol=1e-12)
    np.testing.assert_allclose(bands["uptake_gain_kgCO2_m3"], np.tile(gain * 1e3 / 3200.0, (ROWS, 1)), rtol=1e-12)
    assert bands["suitability"][:, 0].max() == 0.0 and bands["suitability"][:, -1].min() == 1.0
    # the eastern columns, north first among equals, until the true area reaches the target
    selected = sum(s.area_m2 for s in result.sites)
    assert result.selected_m2 == selected and selected >= result.target_m2
    assert selected - AREAS.min() < result.target_m2
    geodesic = sum(site_area(s) for s in result.sites)
    assert geodesic == pytest.approx(selected, rel=1e-9)
    chosen = sum(PolygonCoverage(s.parts, TRANSFORM, COLS, ROWS).fraction(Window(0, 0, COLS, ROWS))
                 for s in result.sites)
    assert np.all(chosen[:, -1] == 1) and chosen[:, -2].sum() >= 9 and chosen[:, :-2].sum() == 0
    expected_gain = np.sum(chosen * AREAS * gain) / 1e4                   # t CO2 a-1 at full growth
    assert sum(s.uptake_gain_t_a for s in result.sites) == pytest.approx(expected_gain, rel=1e-12)


def test_constraints_and_exclusions_mask_cells(tmp_path, gradient):
    depth = np.full((ROWS, COLS), 5.0)
    depth[:, 20:] = 25.0                                          # groundwater too deep in the east
    depth[4, 12] = np.nan                                         # unknown: left out
    roads = np.tile(np.arange(ROWS, dtype=float)[:, None] * 1000.0, (1, COLS))
    constraints = {"gw_depth": write(tmp_path / "gw.tif", depth, nodata=None),
                   "road_distance": write(tmp_path / "roads.tif", roads)}
    oasis = [[np.array([(81.52, 39.58), (81.71, 39.58), (81.71, 39.33), (81.52, 39.33)])]]
    out = tmp_path / "s.tif"
    result = run_siting(gradient, load_practices(), "shelter_forest", out, 1e9, constraints=constraints,
                        rules=parse_rules("gw_depth<=10; road_distance<5000"), exclude=[oasis])
    allowed = read_bands(out)["allowed"]
    expected = (depth <= 10) & (roads < 5000)
    expected[4:7, 15:18] = False                                 # every cell the oasis touches
    np.testing.assert_array_equal(allowed, expected)
    assert result.allowed_m2 == pytest.approx(AREAS[expected].sum(), rel=1e-12)
    assert "less than the target" in result.warnings[0]


def test_ranking_per_cubic_metre_follows_the_water_need(tmp_path, gradient):
    water = np.tile(np.linspace(500.0, 10000.0, COLS), (ROWS, 1))   # thirstier in the east
    water_path = write(tmp_path / "water.tif", water)
    out = tmp_path / "w.tif"
    result = run_siting(gradient, load_practices(), "shelter_forest", out, AREAS[0, 0] * 5 / 1e4, rank_by="water",
                        water_need_path=water_path)
    per_m3 = (np.arange(COLS) - 10.0 - FOREST_RATE) * 10 / water[0]       # kg CO2 m-3
    bands = read_bands(out)
    np.testing.assert_allclose(bands["uptake_gain_kgCO2_m3"][0], per_m3, rtol=1e-12)
    assert np.argmax(bands["suitability"][0]) == np.argmax(per_m3) == 0        # the west wins per m³
    site = result.sites[0]
    assert site.uptake_gain_kg_m3 == pytest.approx(site.uptake_gain_t_a * 1e3 / site.water_m3_a)
    assert site.water_m3_a == pytest.approx(500.0 * site.area_m2 / 1e4, rel=1e-9)


def test_a_weight_breaks_ties_and_a_ring_of_cells_keeps_its_hole(tmp_path):
    flat = write(tmp_path / "flat.tif", np.full((ROWS, COLS), -6.31), count=3)
    distance = np.hypot(*np.meshgrid(np.arange(COLS) - 10.0, np.arange(ROWS) - 8.0))
    distance[8, 10] = 99.0                                        # the centre is far: a hole in the ring
    roads = write(tmp_path / "roads.tif", distance)
    target_ha = (AREAS[7:10, 9:12].sum() - AREAS[8, 10]) / 1e4 - 1      # the eight cells around the centre
    result = run_siting(flat, load_practices(), "haloxylon_plantation", tmp_path / "h.tif", target_ha,
                        constraints={"Roads": roads}, rules=[Rule("roads", ":", -1.0)])
    assert len(result.sites) == 1
    site = result.sites[0]
    assert site.cells == 8 and len(site.parts[0]) == 2                  # exterior and the hole
    assert site_area(site) == pytest.approx(site.area_m2, rel=1e-9)


def test_sites_feed_the_scenario_and_it_finds_their_gain(tmp_path, gradient):
    practices = load_practices()
    result = run_siting(gradient, practices, "shelter_forest", tmp_path / "s.tif", 12_000.0)
    interventions = [Intervention(str(s.site_id), s.parts, "shelter_forest", 2025) for s in result.sites]
    scenario = run_scenario(interventions, practices, 2025, 15, baseline_path=gradient)
    assert not scenario.warnings
    gain_g = sum(s.uptake_gain_t_a for s in result.sites) * 1e6
    assert scenario.region.change_pg_co2[1, -1] == pytest.approx(-gain_g * 1e-15, rel=1e-9)    # full growth


def test_bad_requests_are_refused(tmp_path, gradient):
    practices = load_practices()
    out = tmp_path / "x.tif"
    with pytest.raises(InputError, match="'shifting_sand' is the baseline itself"):
        run_siting(gradient, practices, "shifting_sand", out, 10)
    with pytest.raises(InputError, match="'orchard' is not in the practices table"):
        run_siting(gradient, practices, "orchard", out, 10)
    with pytest.raises(InputError, match=r"rules \['slope<=5'\] name no constraint raster"):
        run_siting(gradient, practices, "shelter_forest", out, 10, rules=parse_rules("slope<=5"))
    with pytest.raises(InputError, match="'depth=<3' is not"):
        parse_rules("depth=<3")
    with pytest.raises(InputError, match="between -1 and 1"):
        parse_rules("depth:2")
    assert parse_rules("gw depth >= 1e1;\nroad:-0.5") == [Rule("gw depth", ">=", 10.0), Rule("road", ":", -0.5)]
    assert not out.exists()
