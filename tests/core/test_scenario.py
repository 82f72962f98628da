"""Scenario core: a hand-worked case against geodesic areas, the baseline against aggregate, the change
raster against the totals, and the errors and warnings that name the feature."""
import csv
import math

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import from_origin

from desert_carbon.core.aggregate import aggregate_totals
from desert_carbon.core.errors import InputError
from desert_carbon.core.geodesy import cell_areas
from desert_carbon.core.grid import Grid
from desert_carbon.core.overlap import overlap_area, planar_area
from desert_carbon.core.practices import load_practices
from desert_carbon.core.scenario import (FIELDS, REGION_ID, Intervention, check_overlaps, grid_points, run_scenario,
                                         write_change_raster, write_csv)
from forcing_files import write_annual
from oracles import densify, geodesic_area, lonlat_box as box

TRANSFORM = from_origin(80.0, 40.0, 0.25, 0.25)      # 40 x 24 cells, 80-90 E, 34-40 N
SHAPE = (24, 40)
WGS84 = CRS.from_epsg(4326)
# West and east edges mid-cell, north and south edges on cell rows, where a straight lon/lat edge is
# the parallel and cell areas split exactly in proportion to longitude.
WEST, EAST, SOUTH, NORTH = 81.1, 82.37, 38.5, 39.25


def write_baseline(path, values, transform=TRANSFORM, nodata=-9999.0):
    return write_annual(path, values, transform, nodata=nodata)


def constant_baseline(path, rates=(-5.0, -6.31, -7.62)):
    return write_baseline(path, np.ones((len(rates),) + SHAPE) * np.asarray(rates)[:, None, None])


LINEAR_TABLE = """practice,name,rate_unit,mature_rate,rate_min,rate_max,years_to_maturity,growth_curve,growth_shape,\
water_need,rain_no_effect_below,rain_uptake_near,rain_release_above,rain_soil_moisture_5cm,provenance,sources
-,-,-,rate_unit,rate_unit,rate_unit,a,-,1,m3 ha-1 a-1,mm,mm,mm,m3 m-3,-,-
forest,Forest,g CO2 m-2 a-1,-1000,-1200,-800,10,linear,,3000,,,,,mature_rate [P]; rate_min [P]; rate_max [P]; \
years_to_maturity [P]; water_need [P],test
"""


@pytest.fixture
def linear_table(tmp_path):
    """forest: -1000 g CO2 m-2 a-1 (-1200 .. -800), linear to full rate in 10 years, 3000 m³ ha-1 a-1."""
    path = tmp_path / "practices.csv"
    path.write_text(LINEAR_TABLE)
    return load_practices(path)


def test_hand_worked_polygon_gains_the_growth_times_rate_difference_times_geodesic_area(tmp_path, linear_table):
    ring = box(WEST, SOUTH, EAST, NORTH)
    area = geodesic_area(ring)
    baseline = constant_baseline(tmp_path / "baseline.tif")           # mean -6.31 g CO2 m-2 a-1
    result = run_scenario([Intervention("plot", [[ring]], "forest", 2025)], linear_table, 2025, 30,
                          baseline_path=baseline)
    plot = result.interventions[0]
    assert plot.area_m2 == pytest.approx(area, rel=1e-9)
    assert plot.baseline_pg_co2 == pytest.approx(-6.31 * area * 1e-15, rel=1e-9)
    for k, year in enumerate(range(2025, 2055)):
        growth = min((year - 2025) / 10, 1.0)
        expected = growth * (-1000.0 - -6.31) * area * 1e-15               # Pg CO2 a-1
        if growth == 0:
            assert plot.change_pg_co2[1, k] == 0.0
        else:
            assert plot.change_pg_co2[1, k] == pytest.approx(expected, rel=1e-9)
            assert plot.change_pg_co2[0, k] == pytest.approx(growth * (-1200 + 6.31) * area * 1e-15, rel=1e-9)
            assert plot.change_pg_co2[2, k] == pytest.approx(growth * (-800 + 6.31) * area * 1e-15, rel=1e-9)
    # full growth: about -9.1e-3 Pg CO2 a-1 over these 9,176 km²
    assert plot.change_pg_co2[1, -1] == pytest.approx(-993.69 * area * 1e-15, rel=1e-9)
    rows = [r for r in result.rows() if r["feature_id"] == "plot"]
    assert rows[-1]["cumulative_uptake_gain_PgCO2"] == pytest.approx(
        sum(min(a / 10, 1.0) for a in range(30)) * 993.69 * area * 1e-15, rel=1e-9)
    assert rows[-1]["cumulative_uptake_gain_min_PgCO2"] == pytest.approx(
        sum(min(a / 10, 1.0) for a in range(30)) * 793.69 * area * 1e-15, rel=1e-9)     # at rate_max
    assert rows[3]["water_m3_a"] == pytest.approx(3000.0 * area / 1e4, rel=1e-9)


def test_hand_worked_logistic_practice_on_a_constant_rate(tmp_path):
    practices = load_practices()                                   # shelter_forest: logistic, 12 a, s = 6
    ring = box(WEST, SOUTH, EAST, NORTH)
    area = geodesic_area(ring)
    result = run_scenario([Intervention("belt", [[ring]], "shelter_forest", 2020)], practices, 2025, 10,
                          baseline_rate=-6.31, crs=WGS84)

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))
    belt = result.interventions[0]
    for k, year in enumerate(range(2025, 2035)):
        x = min((year - 2020) / 12, 1.0)
        growth = (sigmoid(6 * (x - 0.5)) - sigmoid(-3)) / (sigmoid(3) - sigmoid(-3))
        assert belt.change_pg_co2[1, k] == pytest.approx(growth * (-1000 + 6.31) * area * 1e-15, rel=1e-9)
    assert result.region.baseline_pg_co2 == pytest.approx(-6.31 * area * 1e-15, rel=1e-9)


def test_without_interventions_the_baseline_equals_aggregate(tmp_path):
    rng = np.random.default_rng(5)
    values = rng.normal(-6.0, 3.0, (4,) + SHAPE)
    values[:, 3, 4] = -9999.0                                       # a cell without a value
    values[2, 7, 9] = -9999.0                                       # and a gap in one year
    baseline = write_baseline(tmp_path / "baseline.tif", values)
    desert = [[np.array([(80.3, 34.6), (89.1, 35.2), (88.2, 39.7), (81.4, 39.1)])]]
    grid = Grid(WGS84, TRANSFORM, SHAPE[1], SHAPE[0])
    extent = [[grid_points(grid, [0, 40, 40, 0], [0, 0, 24, 24])]]
    for region in (desert, None):
        result = run_scenario([], load_practices(), 2030, 5, baseline_path=baseline, region=region)
        totals = aggregate_totals(baseline, [("same", region or extent)]).polygons[0]
        assert result.region.baseline_pg_co2 == totals.total_pg_co2.mean()
        assert np.all(result.region.change_pg_co2 == 0)
    # the extent is every cell: Σ mean flux · true cell area, gaps counting as no flux
    flux = np.where(values == -9999.0, 0.0, values).mean(axis=0)
    by_hand = np.sum(flux * cell_areas(WGS84, TRANSFORM, rasterio.windows.Window(0, 0, 40, 24))) * 1e-15
    assert result.region.baseline_pg_co2 == pytest.approx(by_hand, rel=1e-12)


def test_an_unplanted_polygon_totals_as_aggregate_and_changes_nothing(tmp_path):
    baseline = write_baseline(tmp_path / "b.tif", np.random.default_rng(1).normal(-6, 2, (3,) + SHAPE))
    parts = [[box(83.13, 36.07, 85.9, 37.44, per_edge=7)]]
    result = run_scenario([Intervention("sand", parts, "shifting_sand", 2026)], load_practices(), 2025, 3,
                          baseline_path=baseline)
    totals = aggregate_totals(baseline, [("x", parts)]).polygons[0]
    assert result.interventions[0].baseline_pg_co2 == totals.total_pg_co2.mean()
    assert np.all(result.interventions[0].change_pg_co2 == 0)


def test_the_change_raster_sums_to_the_regions_change(tmp_path, linear_table):
    values = np.random.default_rng(2).normal(-6.0, 2.0, (3,) + SHAPE)
    values[:, 0, 0] = -9999.0
    baseline = write_baseline(tmp_path / "baseline.tif", values)
    interventions = [Intervention("a", [[box(81.1, 38.13, 82.37, 39.25, 5)]], "forest", 2025),
                     Intervention("b", [[np.array([(84.0, 36.0), (86.6, 36.2), (85.1, 37.9)])]], "forest", 2028)]
    result = run_scenario(interventions, linear_table, 2025, 10, baseline_path=baseline)
    out = tmp_path / "change.tif"
    write_change_raster(out, baseline, interventions, linear_table, 2031, budget_bytes=20_000)
    with rasterio.open(out) as dataset:
        change = dataset.read(1, masked=True)
        assert dataset.descriptions == ("2031",) and dataset.tags(1)["units"] == "g CO2 m-2 a-1"
    areas = cell_areas(WGS84, TRANSFORM, rasterio.windows.Window(0, 0, 40, 24))
    assert change.mask[0, 0] and change[10, 30] == 0.0
    assert np.sum(change.filled(0) * areas) * 1e-15 == pytest.approx(result.region.change_pg_co2[1, 6], rel=1e-9)


def test_errors_and_warnings_name_the_feature(tmp_path, linear_table):
    baseline = constant_baseline(tmp_path / "baseline.tif")
    plot = [[box(81.1, 38.5, 82.37, 39.25, 3)]]

    def run(*interventions, **kwargs):
        return run_scenario(list(interventions), linear_table, 2025, 10, baseline_path=baseline, **kwargs)

    with pytest.raises(InputError, match="Interventions p1 and p2 overlap"):
        run(Intervention("p1", plot, "forest", 2025), Intervention("p2", plot, "forest", 2030))
    with pytest.raises(InputError, match=r"Interventions p3 \('oasis_orchard'\): practice not in the practices "
                                         r"table \(known: forest\)"):
        run(Intervention("p3", plot, "oasis_orchard", 2025))
    with pytest.raises(InputError, match="Interventions far lie entirely outside the baseline raster"):
        run(Intervention("far", [[box(10, 10, 11, 11, 2)]], "forest", 2025))
    result = run(Intervention("late", plot, "forest", 2040),
                 Intervention("edge", [[box(89.5, 35.0, 90.5, 36.0, 2)]], "forest", 2025),
                 water_budget_m3=1e6)
    messages = " ".join(result.warnings)
    assert "Intervention late is planted in 2040, after the horizon's last year 2034" in messages
    assert "Polygon edge extends beyond the flux raster" in messages
    assert "more water than the budget of 1,000,000 m³ a⁻¹ in 10 years from 2025" in messages
    with pytest.raises(InputError, match="Give a baseline"):
        run_scenario([], linear_table, 2025, 10, baseline_rate=-6.31)


def test_the_table_has_a_row_per_intervention_and_year_and_region_rows(tmp_path, linear_table):
    baseline = constant_baseline(tmp_path / "baseline.tif")
    interventions = [Intervention(name, [[box(w, 36.0, w + 1, 37.0, 3)]], "forest", 2025 + k)
                     for k, (name, w) in enumerate((("east", 84.0), ("west", 81.0)))]
    result = run_scenario(interventions, linear_table, 2025, 5, baseline_path=baseline, water_budget_m3=1e12)
    rows = result.rows()
    assert len(rows) == 3 * 5 and [r["feature_id"] for r in rows[-5:]] == [REGION_ID] * 5
    region = rows[-1]
    assert region["change_PgCO2_a"] == pytest.approx(sum(r["change_PgCO2_a"] for r in rows[:10] if r["year"] == 2029))
    assert region["scenario_min_PgCO2_a"] < region["scenario_PgCO2_a"] < region["scenario_max_PgCO2_a"] < 0
    assert region["water_budget_m3_a"] == 1e12 and rows[0]["water_budget_m3_a"] is None
    path = tmp_path / "scenario.csv"
    write_csv(result, path)
    with open(path, newline="") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == list(FIELDS) and len(table) == 15 and table[-1]["growth"] == ""


def square(x0, y0, x1, y1):
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], dtype=np.float64)


def test_overlap_area_of_hand_worked_polygons():
    unit = [[square(0, 0, 1, 1)]]
    framed = [[square(0, 0, 10, 10), square(2, 2, 8, 8)[::-1]]]           # a 10 x 10 square with a 6 x 6 hole
    assert overlap_area(unit, [[square(1, 0, 2, 1)]]) == 0.0               # a shared edge
    assert overlap_area(unit, [[square(1, 1, 2, 2)]]) == 0.0               # a shared corner
    assert overlap_area(unit, [[square(0.5, 0.5, 2, 2)]]) == pytest.approx(0.25, rel=1e-14)
    assert overlap_area(framed, [[square(3, 3, 5, 5)]]) == 0.0             # inside the hole
    assert overlap_area(framed, [[square(2, 2, 8, 8)]]) == 0.0             # the hole itself
    assert overlap_area(framed, [[square(1, 1, 5, 5)]]) == pytest.approx(16 - 9, rel=1e-14)
    assert overlap_area([[np.array([(0, 0), (4, 0), (0, 4)], dtype=np.float64)]],
                        [[square(1, 1, 3, 3)]]) == pytest.approx(2.0, rel=1e-14)
    two_parts = [[square(0, 0, 1, 1)], [square(3, 0, 4, 1)]]
    assert overlap_area(two_parts, [[square(0.5, 0, 3.5, 1)]]) == pytest.approx(1.0, rel=1e-14)
    assert planar_area(framed) == 64.0 and planar_area(two_parts) == 2.0
    # far from the origin, as in a projected CRS, and densified edges
    shifted = [[densify(square(0, 0, 1000, 1000), 50) + (5e5, 4.3e6)]]
    assert overlap_area(shifted, [[square(5e5 + 1000, 4.3e6, 5e5 + 2000, 4.3e6 + 1000)]]) == pytest.approx(0, abs=1e-6)
    assert overlap_area(shifted, [[square(5e5 + 900, 4.3e6 + 900, 5e5 + 2000, 4.3e6 + 2000)]]) == pytest.approx(1e4)


@pytest.mark.parametrize("other, overlaps", [
    (square(82.0, 36.0, 83.0, 37.0), False),          # touches along an edge
    (square(82.0, 37.0, 83.0, 38.0), False),          # touches at a corner
    (square(81.99, 36.4, 82.2, 36.5), True),          # a sliver: within cells both only partly cover
    (square(81.3, 36.3, 81.7, 36.7), False),          # inside the first one's hole
    (square(81.05, 36.05, 81.15, 36.15), True),       # inside the first one
])
def test_interventions_must_not_overlap_but_may_touch(linear_table, other, overlaps):
    first = Intervention("first", [[square(81.0, 36.0, 82.0, 37.0), square(81.2, 36.2, 81.8, 36.8)]], "forest", 2025)
    second = Intervention("second", [[other]], "forest", 2026)
    run = dict(practices=linear_table, start_year=2025, horizon=3, baseline_rate=-6.31, crs=CRS.from_epsg(4326))
    if overlaps:
        with pytest.raises(InputError, match=r"Interventions first and second overlap \(.*% of the smaller\)"):
            run_scenario([first, second], **run)
        with pytest.raises(InputError, match="first and second overlap"):
            check_overlaps([first, second])
    else:
        check_overlaps([first, second])
        assert len(run_scenario([first, second], **run).interventions) == 2


def test_a_baseline_ensemble_goes_through_the_scenario_arithmetic(tmp_path, linear_table):
    """Members' baselines b_m (constant rates): scenario_m = b_m·A + g·(r·A − b_m·A), so the members' sd is
    (1 − g)·A·sd(b); the combined ± adds the baseline's interannual sd in quadrature."""
    ring = box(WEST, SOUTH, EAST, NORTH)
    area = geodesic_area(ring)
    baseline = constant_baseline(tmp_path / "baseline.tif")
    member_means = np.array([-4.0, -6.0, -8.0, -9.0])
    members = [constant_baseline(tmp_path / f"m{k}.tif", rates=(m + 1.0, m, m - 1.0))
               for k, m in enumerate(member_means)]
    result = run_scenario([Intervention("plot", [[ring]], "forest", 2025)], linear_table, 2025, 12,
                          baseline_path=baseline, baseline_ensemble=members)
    rows = [r for r in result.rows() if r["feature_id"] == "plot"]
    interannual = np.std(np.array([-5.0, -6.31, -7.62]) * area * 1e-15, ddof=1)
    for k, row in enumerate(rows):
        growth = min(k / 10, 1.0)
        expected = (1 - growth) * area * 1e-15 * np.std(member_means, ddof=1)
        assert row["scenario_parameter_sd_PgCO2_a"] == pytest.approx(expected, rel=1e-6, abs=1e-18)
        assert row["baseline_interannual_sd_PgCO2_a"] == pytest.approx(interannual, rel=1e-6)
        assert row["combined_uncertainty_PgCO2_a"] == pytest.approx(np.hypot(expected, interannual), rel=1e-6)
    region_rows = [r for r in result.rows() if r["feature_id"] == REGION_ID]
    assert np.isfinite(region_rows[0]["scenario_parameter_sd_PgCO2_a"])
