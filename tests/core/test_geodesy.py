"""True areas on the WGS84 ellipsoid against Karney's geodesic polygon areas (geographiclib)."""
import numpy as np
import pytest
from rasterio import warp
from rasterio.crs import CRS
from rasterio.transform import Affine, from_origin
from rasterio.windows import Window

from desert_carbon.core.geodesy import ELLIPSOID_AREA, cell_areas, polygon_area
from oracles import densify, geodesic_area

WGS84 = CRS.from_epsg(4326)
LAEA_TAKLIMAKAN = "+proj=laea +lat_0=39 +lon_0=83 +datum=WGS84 +units=m +no_defs"


def densified_cell(transform, row, col, per_edge=400):
    """The cell's outline in CRS coordinates, each edge cut into many steps (so that geodesic and
    straight-in-the-CRS edges enclose the same area)."""
    t = np.arange(per_edge) / per_edge
    cols = np.r_[col + t, np.full(per_edge, col + 1.0), col + 1 - t, np.full(per_edge, float(col))]
    rows = np.r_[np.full(per_edge, float(row)), row + t, np.full(per_edge, row + 1.0), row + 1 - t]
    return transform * (cols, rows)


def reference_cell_area(crs, transform, row, col):
    x, y = densified_cell(transform, row, col)
    lons, lats = warp.transform(CRS.from_user_input(crs), WGS84, x, y)
    return geodesic_area(np.column_stack([lons, lats]))


def test_the_cells_of_a_global_grid_add_up_to_the_ellipsoid():
    assert ELLIPSOID_AREA / 1e6 == pytest.approx(510_065_621.7, abs=0.1)   # 4 π R_authalic²
    areas = cell_areas(WGS84, from_origin(-180, 90, 0.25, 0.25), Window(0, 0, 1440, 720))
    assert areas.shape == (720, 1)
    assert areas.sum() * 1440 == pytest.approx(ELLIPSOID_AREA, rel=1e-12)


@pytest.mark.parametrize("top, size", [(0.5, 0.5), (45.0, 1.0), (40.1, 0.001), (-62.0, 0.1), (90.0, 0.5)])
def test_lonlat_cells_match_geodesic_areas(top, size):
    transform = from_origin(82.3, top, size, size)
    area = cell_areas(WGS84, transform, Window(0, 0, 3, 2))[1, 0]
    assert area == pytest.approx(reference_cell_area(WGS84, transform, 1, 0), rel=1e-7)


def test_lonlat_cells_are_one_value_a_row_whatever_the_window():
    transform = from_origin(75.0, 42.0, 0.01, 0.01)
    whole = cell_areas(WGS84, transform, Window(0, 0, 50, 40))
    part = cell_areas(WGS84, transform, Window(7, 13, 20, 5))
    np.testing.assert_array_equal(part, whole[13:18])


def test_a_general_lonlat_grid_agrees_with_the_closed_form():
    # OGC:CRS84 is not taken for EPSG:4326, so its cells go through the sampled-edge integration.
    transform = from_origin(80.0, 41.0, 0.05, 0.05)
    closed = cell_areas(WGS84, transform, Window(0, 0, 20, 30))
    sampled = cell_areas(CRS.from_user_input("OGC:CRS84"), transform, Window(0, 0, 20, 30))
    assert sampled.shape == (30, 20)
    np.testing.assert_allclose(sampled, np.broadcast_to(closed, sampled.shape), rtol=1e-9)


@pytest.mark.parametrize("crs, transform, cells", [
    ("EPSG:32645", from_origin(300_000, 4_500_000, 30, 30), [(0, 0), (7, 11)]),
    ("EPSG:32645", from_origin(100_000, 4_600_000, 10_000, 10_000), [(0, 0), (9, 4)]),
    ("EPSG:3857", from_origin(8.5e6, 5.0e6, 25_000, 25_000), [(0, 0), (9, 9)]),
    ("EPSG:3413", from_origin(-3.0e6, 3.0e6, 250_000, 250_000), [(0, 0), (5, 17)]),
    (LAEA_TAKLIMAKAN, Affine(800.0, 300.0, -4e5, 250.0, -900.0, 3e5), [(2, 3)]),   # sheared and rotated
])
def test_projected_cells_match_geodesic_areas(crs, transform, cells):
    areas = cell_areas(CRS.from_user_input(crs), transform, Window(0, 0, 24, 12))
    assert areas.shape == (12, 24)
    for row, col in cells:
        assert areas[row, col] == pytest.approx(reference_cell_area(crs, transform, row, col), rel=1e-6)


def test_a_polar_stereographic_cell_over_the_pole():
    crs, transform = CRS.from_epsg(3413), from_origin(-150_000, 150_000, 100_000, 100_000)
    areas = cell_areas(crs, transform, Window(0, 0, 3, 3))
    assert areas[1, 1] == pytest.approx(reference_cell_area(crs, transform, 1, 1), rel=1e-6)


@pytest.mark.parametrize("crs", ["EPSG:6933", LAEA_TAKLIMAKAN])
def test_equal_area_projections_give_the_planar_cell_area(crs):
    for transform in (from_origin(7.2e6, 5.0e6, 1000, 1000), from_origin(-5e5, 6e5, 25_000, 25_000)):
        areas = cell_areas(CRS.from_user_input(crs), transform, Window(0, 0, 40, 30))
        np.testing.assert_allclose(areas, transform.a * -transform.e, rtol=1e-7)


def test_polygon_area_of_lonlat_rings_with_a_hole_and_two_parts():
    exterior = densify([(78.1, 37.2), (86.7, 36.9), (88.1, 41.3), (80.2, 43.1)], 2000)
    hole = densify([(82, 39), (82, 40), (83, 40), (83, 39)], 500)
    island = densify([(90, 30), (90.5, 30), (90.5, 30.5)], 500)
    expected = (geodesic_area(exterior) - geodesic_area(hole)) + geodesic_area(island)
    area = polygon_area([[exterior, hole], [island[::-1]]], WGS84)
    assert area == pytest.approx(expected, rel=1e-8)


def test_polygon_area_in_a_projected_crs():
    crs = CRS.from_epsg(32645)
    outline = densify([(300_000, 4_300_000), (700_000, 4_250_000), (650_000, 4_700_000)], 1)
    x, y = densify(outline, 300).T
    lons, lats = warp.transform(crs, WGS84, x, y)
    assert polygon_area([[outline]], crs) == pytest.approx(geodesic_area(np.column_stack([lons, lats])), rel=1e-8)


def test_polygon_area_around_a_pole():
    # A square in polar stereographic coordinates centred on the north pole.
    square = np.array([(-1e6, -1e6), (1e6, -1e6), (1e6, 1e6), (-1e6, 1e6)])
    x, y = densify(square, 2000).T
    lons, lats = warp.transform(CRS.from_epsg(3413), WGS84, x, y)
    expected = geodesic_area(np.column_stack([lons, lats]))
    assert polygon_area([[square]], CRS.from_epsg(3413)) == pytest.approx(expected, rel=1e-8)
