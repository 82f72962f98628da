"""Totals over polygons on real GeoTIFFs: constant fields against geodesic polygon areas."""
import csv

import numpy as np
import pytest
import rasterio
from rasterio import warp
from rasterio.crs import CRS
from rasterio.transform import from_origin
from rasterio.windows import Window

from desert_carbon.core.aggregate import (C_PER_CO2, FIELDS, aggregate_totals, write_csv, write_html)
from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.geodesy import cell_areas
from oracles import densify, geodesic_area

NODATA = -9999.0
GEOGRAPHIC = from_origin(75.0, 45.0, 0.05, 0.05)      # 300 x 200 cells over the Tarim basin
YEARS = ("2000", "2001", "2002")


def write_raster(path, values, transform=GEOGRAPHIC, crs="EPSG:4326", names=YEARS, nodata=NODATA, **layout):
    values = np.asarray(values, dtype=np.float32)
    values = values[None] if values.ndim == 2 else values
    with rasterio.open(path, "w", driver="GTiff", width=values.shape[2], height=values.shape[1],
                       count=values.shape[0], dtype="float32", crs=crs, transform=transform,
                       nodata=nodata, **layout) as dataset:
        dataset.write(values)
        for band, name in enumerate(names[:values.shape[0]], start=1):
            dataset.set_band_description(band, name)
            dataset.update_tags(band, units="g CO2 m-2 a-1")
    return str(path)


def constant_stack(path, rates=(6.25, 5.5, 7.0), shape=(200, 300), **kwargs):
    return write_raster(path, np.ones((len(rates),) + shape) * np.asarray(rates)[:, None, None], **kwargs)


EXTERIOR = densify([(78.13, 37.2), (86.7, 36.9), (88.1, 41.3), (80.2, 43.07)], 1500)
HOLE = densify([(82.0, 39.0), (82.0, 40.0), (83.0, 40.0), (83.0, 39.0)], 400)
ISLAND = densify([(76.0, 44.0), (76.6, 44.1), (76.2, 44.5)], 400)


def test_a_constant_flux_totals_flux_times_the_geodesic_area(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    result = aggregate_totals(flux, [("tarim", [[EXTERIOR, HOLE], [ISLAND]])], budget_bytes=2**20)
    area = geodesic_area(EXTERIOR) - geodesic_area(HOLE) + geodesic_area(ISLAND)
    totals = result.polygons[0]
    assert result.years == list(YEARS) and result.warnings == []
    np.testing.assert_allclose(totals.total_pg_co2, np.array([6.25, 5.5, 7.0]) * area * 1e-15, rtol=1e-6)
    np.testing.assert_allclose(totals.total_pg_c, totals.total_pg_co2 * 12.011 / 44.0095, rtol=1e-15)
    np.testing.assert_allclose(totals.mean_rate_g_m2, [6.25, 5.5, 7.0], rtol=1e-12)
    np.testing.assert_allclose(totals.area_summed_m2, area, rtol=1e-6)
    assert totals.area_polygon_m2 == pytest.approx(area, rel=1e-6)
    assert totals.area_masked_m2 == 0 and not totals.area_nodata_m2.any()
    assert totals.interannual_sd_pg_co2 == pytest.approx(np.std(totals.total_pg_co2, ddof=1), rel=1e-12)
    assert np.isnan(totals.ensemble_sd_pg_co2).all()


def test_a_projected_raster_totals_flux_times_the_geodesic_area(tmp_path):
    crs = CRS.from_epsg(32645)
    flux = constant_stack(tmp_path / "utm.tif", rates=(4.0,), shape=(300, 400),
                          transform=from_origin(200_000, 4_600_000, 1000, 1000), crs=crs)
    outline = densify([(260_000, 4_350_000), (560_000, 4_330_000), (520_000, 4_560_000)], 200)
    x, y = densify(outline, 10).T      # the reference follows the straight UTM edges closely
    lons, lats = warp.transform(crs, CRS.from_epsg(4326), x, y)
    area = geodesic_area(np.column_stack([lons, lats]))
    totals = aggregate_totals(flux, [(1, [[outline]])]).polygons[0]
    assert totals.total_pg_co2[0] == pytest.approx(4.0 * area * 1e-15, rel=1e-6)
    assert totals.area_polygon_m2 == pytest.approx(area, rel=1e-6)


@pytest.mark.parametrize("layout", [{}, dict(tiled=True, blockxsize=16, blockysize=16)])
def test_window_by_window_equals_one_pass(tmp_path, layout):
    rng = np.random.default_rng(5)
    values = rng.normal(6.0, 2.0, (3, 200, 300))
    values[1, 50:60, 100:180] = NODATA
    flux = write_raster(tmp_path / "flux.tif", values, **layout)
    polygons = [(1, [[EXTERIOR, HOLE]]), (2, [[ISLAND]])]
    steps = []
    small = aggregate_totals(flux, polygons, budget_bytes=60_000, progress=steps.append)
    large = aggregate_totals(flux, polygons, budget_bytes=2**30)
    assert len(steps) > 50 and steps == sorted(steps) and steps[-1] == 1.0
    for a, b in zip(small.polygons, large.polygons):
        np.testing.assert_allclose(a.total_pg_co2, b.total_pg_co2, rtol=1e-12)
        np.testing.assert_allclose(a.area_nodata_m2, b.area_nodata_m2, rtol=1e-12)


def test_parts_and_holes_add_up(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    whole, hole, island, both = (p.total_pg_co2 for p in aggregate_totals(flux, [
        ("outline", [[EXTERIOR]]), ("hole", [[HOLE]]), ("island", [[ISLAND]]),
        ("both", [[EXTERIOR, HOLE], [ISLAND]])]).polygons)
    np.testing.assert_allclose(both, whole - hole + island, rtol=1e-12)


def test_a_polygon_outside_the_raster_gives_a_zero_row_and_a_warning(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    far = EXTERIOR + (20.0, 0.0)
    edge = EXTERIOR + (-5.0, 0.0)                          # its western part hangs over the edge
    result = aggregate_totals(flux, [("far", [[far]]), ("edge", [[edge]])])
    outside, partly = result.polygons
    assert not outside.total_pg_co2.any() and not outside.area_summed_m2.any()
    assert np.isnan(outside.mean_rate_g_m2).all()
    assert outside.area_polygon_m2 == pytest.approx(geodesic_area(far), rel=1e-6)
    assert any("far" in w and "outside" in w for w in result.warnings)
    assert any("edge" in w and "beyond" in w for w in result.warnings)
    assert 0 < partly.area_summed_m2[0] < 0.9 * partly.area_polygon_m2
    rows = [r for r in result.rows() if r["feature_id"] == "far"]
    assert [r["year"] for r in rows] == list(YEARS) + ["mean"]
    assert all(r["total_PgCO2_a"] == 0 and r["area_summed_m2"] == 0 for r in rows)


def test_mask_fraction_and_nodata_areas(tmp_path):
    values = np.full((3, 200, 300), 5.0)
    values[2, :, 150:] = NODATA                                # the east half has no 2002 value
    flux = write_raster(tmp_path / "flux.tif", values)
    share = np.ones((200, 300))
    share[:, :100] = 0.0                                       # west third masked out
    share[:, 100:150] = 0.25                                   # a sand fraction
    share[150:, :] = NODATA                                    # nodata in the mask counts as masked
    mask = write_raster(tmp_path / "mask.tif", share, names=("sand",))
    box = np.array([(77.0, 44.0), (85.0, 44.0), (85.0, 39.0), (77.0, 39.0)])   # cells 40..200 x 20..120
    totals = aggregate_totals(flux, [(1, [[box]])], mask_path=mask).polygons[0]

    area = np.broadcast_to(cell_areas(CRS.from_epsg(4326), GEOGRAPHIC, Window(0, 0, 300, 200)), (200, 300))
    inside = np.zeros((200, 300), dtype=bool)
    inside[20:120, 40:200] = True
    kept = np.where(share == NODATA, 0.0, share)
    effective = area * kept * inside
    east = np.zeros_like(inside)
    east[:, 150:] = True
    assert totals.area_masked_m2 == pytest.approx(np.sum(area * inside * (1 - kept)), rel=1e-12)
    np.testing.assert_allclose(totals.area_summed_m2[:2], effective.sum(), rtol=1e-12)
    assert totals.area_summed_m2[2] == pytest.approx(effective[~east].sum(), rel=1e-12)
    np.testing.assert_allclose(totals.area_nodata_m2, [0, 0, effective[east].sum()], rtol=1e-12, atol=1e-3)
    np.testing.assert_allclose(totals.total_pg_co2, 5.0 * totals.area_summed_m2 * 1e-15, rtol=1e-12)
    np.testing.assert_allclose(totals.area_summed_m2 + totals.area_nodata_m2 + totals.area_masked_m2,
                               np.sum(area * inside), rtol=1e-12)


def test_a_mask_that_is_not_a_fraction_is_refused(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    mask = write_raster(tmp_path / "mask.tif", np.full((200, 300), 100.0), names=("sand",))
    with pytest.raises(InputError, match="between 0 and 1"):
        aggregate_totals(flux, [(1, [[EXTERIOR]])], mask_path=mask)


def test_ensemble_spread_and_interannual_sd(tmp_path):
    rates = np.array([6.0, 5.0, 8.0])
    flux = constant_stack(tmp_path / "flux.tif", rates=rates)
    scales = (0.75, 1.0, 1.5)       # exact in float32
    members = [constant_stack(tmp_path / f"member{k}.tif", rates=rates * s) for k, s in enumerate(scales)]
    result = aggregate_totals(flux, [(7, [[EXTERIOR]])], ensemble_paths=members)
    totals = result.polygons[0]
    member_totals = np.outer(scales, totals.total_pg_co2)
    np.testing.assert_allclose(totals.member_totals_pg_co2, member_totals, rtol=1e-12)
    np.testing.assert_allclose(totals.ensemble_sd_pg_co2, np.std(member_totals, axis=0, ddof=1), rtol=1e-12)
    mean_row = result.rows()[-1]
    assert mean_row["year"] == "mean"
    assert mean_row["ensemble_sd_PgCO2_a"] == pytest.approx(np.std(member_totals.mean(axis=1), ddof=1))
    assert mean_row["interannual_sd_PgCO2_a"] == pytest.approx(np.std(totals.total_pg_co2, ddof=1))
    with pytest.raises(InputError, match="at least two"):
        aggregate_totals(flux, [(7, [[EXTERIOR]])], ensemble_paths=members[:1])
    other_grid = constant_stack(tmp_path / "other.tif", shape=(100, 300))
    with pytest.raises(InputError, match="grid"):
        aggregate_totals(flux, [(7, [[EXTERIOR]])], ensemble_paths=[members[0], other_grid])


def test_csv_and_html_outputs(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    result = aggregate_totals(flux, [("tarim", [[EXTERIOR]]), ("far", [[EXTERIOR + (30.0, 0.0)]])])
    write_csv(result, tmp_path / "out" / "totals.csv")
    write_html(result, tmp_path / "out" / "totals.html")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["totals.csv", "totals.html"]
    with open(tmp_path / "out" / "totals.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == FIELDS and len(rows) == 8
    first = result.polygons[0]
    assert float(rows[0]["total_PgCO2_a"]) == pytest.approx(first.total_pg_co2[0], rel=1e-11)
    assert float(rows[0]["total_PgC_a"]) == pytest.approx(first.total_pg_co2[0] * C_PER_CO2, rel=1e-11)
    assert rows[7]["mean_rate_gCO2_m2_a"] == ""                 # no area summed: no rate
    page = (tmp_path / "out" / "totals.html").read_text(encoding="utf-8")
    assert "tarim" in page and "outside the flux raster" in page


def test_cancel_stops_before_any_output(tmp_path):
    flux = constant_stack(tmp_path / "flux.tif")
    seen = []
    with pytest.raises(RunCancelled):
        aggregate_totals(flux, [(1, [[EXTERIOR]])], budget_bytes=2**16, progress=seen.append,
                         is_cancelled=lambda: len(seen) >= 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flux.tif"]


def test_linear_member_set_gives_the_analytic_spread_and_the_headline(tmp_path):
    """Members = central × (1 + c_m): the members' totals are T·(1 + c_m), so their sd is T·sd(c) and their 5-95 %
    range is T·(1 + percentile(c)); the combined ± of the mean is √(sd_param² + sd_interannual²)."""
    rates = np.array([6.0, 5.0, 8.0])
    offsets = np.array([-0.5, -0.25, 0.0, 0.125, 0.25, 0.5, 0.75])     # exact in float32
    flux = constant_stack(tmp_path / "flux.tif", rates=rates)
    members = [constant_stack(tmp_path / f"m{k}.tif", rates=rates * (1 + c)) for k, c in enumerate(offsets)]
    result = aggregate_totals(flux, [("tarim", [[EXTERIOR]])], ensemble_paths=members)
    totals = result.polygons[0].total_pg_co2
    rows = result.rows()
    for k, row in enumerate(rows[:3]):
        assert row["ensemble_sd_PgCO2_a"] == pytest.approx(totals[k] * np.std(offsets, ddof=1), rel=1e-9)
        assert row["ensemble_p05_PgCO2_a"] == pytest.approx(totals[k] * (1 + np.percentile(offsets, 5)), rel=1e-9)
        assert row["ensemble_p95_PgCO2_a"] == pytest.approx(totals[k] * (1 + np.percentile(offsets, 95)), rel=1e-9)
        assert row["combined_uncertainty_PgCO2_a"] == row["ensemble_sd_PgCO2_a"]
        assert row["ensemble_members"] == 7
    mean = rows[3]
    parameter_sd = totals.mean() * np.std(offsets, ddof=1)
    assert mean["ensemble_sd_PgCO2_a"] == pytest.approx(parameter_sd, rel=1e-9)
    assert mean["combined_uncertainty_PgCO2_a"] == pytest.approx(
        np.sqrt(parameter_sd ** 2 + np.std(totals, ddof=1) ** 2), rel=1e-9)
    line = result.headlines()[0]
    assert line.startswith(f"tarim: {totals.mean():.3g} ± {mean['combined_uncertainty_PgCO2_a']:.2g} Pg CO₂ a⁻¹ "
                           f"(2000–2002 mean; ± combines the parameter sd")
    assert "7 parameter sets" in line


def test_without_an_ensemble_the_headline_says_the_parameter_part_is_missing(tmp_path):
    result = aggregate_totals(constant_stack(tmp_path / "flux.tif"), [("tarim", [[EXTERIOR]])])
    mean = result.rows()[-1]
    assert np.isnan(mean["combined_uncertainty_PgCO2_a"]) and mean["ensemble_members"] == 0
    assert "no parameter ensemble was given" in result.headlines()[0]
