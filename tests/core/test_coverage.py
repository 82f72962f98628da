"""Exact cell coverage fractions against an independent clip of the polygon by every cell."""
import numpy as np
import pytest
from rasterio.transform import Affine, from_origin
from rasterio.windows import Window

from desert_carbon.core.coverage import PolygonCoverage
from oracles import clip_to_box, shoelace, star

IDENTITY = Affine.identity()


def reference_fractions(parts, shape):
    """Per cell (pixel coordinates): Σ parts (exterior clip area − holes' clip areas)."""
    reference = np.zeros(shape)
    for row in range(shape[0]):
        for col in range(shape[1]):
            for part in parts:
                for index, ring in enumerate(part):
                    piece = clip_to_box(ring, col, col + 1, row, row + 1)
                    area = shoelace(piece) if len(piece) >= 3 else 0.0
                    reference[row, col] += area if index == 0 else -area
    return reference


@pytest.mark.parametrize("seed", range(4))
def test_random_polygons_with_holes_and_parts_match_a_clip_of_every_cell(seed):
    rng = np.random.default_rng(seed)
    exterior = star(rng, (10.3, 9.1), 3, 9, 60)
    hole = star(rng, (10.3, 9.1), 0.5, 2.5, 12)[::-1 if seed % 2 else 1]   # either orientation
    island = star(rng, (22.0, 3.0), 0.3, 1.5, 9)
    parts = [[exterior, hole], [island]]
    coverage = PolygonCoverage(parts, IDENTITY, 24, 20)
    fractions = coverage.fraction(Window(0, 0, 24, 20))
    np.testing.assert_allclose(fractions, reference_fractions(parts, (20, 24)), atol=1e-13)


def test_covered_area_equals_the_planar_polygon_area_for_a_detailed_polygon():
    angle = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    radius = 380 + 60 * np.sin(37 * angle) + 25 * np.sin(211 * angle)
    transform = from_origin(75.0, 42.0, 0.0123, 0.0117)
    cols, rows = 500.3 + radius * np.cos(angle), 480.7 + radius * np.sin(angle)
    lon, lat = transform * (cols, rows)
    coverage = PolygonCoverage([[np.column_stack([lon, lat])]], transform, 1000, 1000)
    assert not coverage.extends_beyond
    covered = coverage.fraction().sum() * transform.a * -transform.e
    assert covered == pytest.approx(shoelace(np.column_stack([lon, lat])), rel=1e-12)


def test_windows_stitch_into_the_whole():
    rng = np.random.default_rng(7)
    parts = [[star(rng, (30, 25), 5, 24, 300), star(rng, (30, 25), 1, 4, 30)]]
    coverage = PolygonCoverage(parts, IDENTITY, 64, 50)
    whole = coverage.fraction(Window(0, 0, 64, 50))
    assert coverage.window.col_off > 0 and coverage.window.width < 64
    stitched = np.zeros_like(whole)
    for row in range(0, 50, 7):
        for col in range(0, 64, 9):
            window = Window(col, row, min(9, 64 - col), min(7, 50 - row))
            stitched[row:row + window.height, col:col + window.width] = coverage.fraction(window)
    np.testing.assert_allclose(stitched, whole, atol=1e-14)
    box = coverage.window
    np.testing.assert_array_equal(whole[:box.row_off], 0)
    np.testing.assert_allclose(coverage.fraction(),
                               whole[box.row_off:box.row_off + box.height, box.col_off:box.col_off + box.width],
                               atol=1e-14)


def test_a_polygon_partly_outside_the_grid_counts_only_the_inside():
    rng = np.random.default_rng(3)
    ring = star(rng, (2.0, 17.0), 2, 7, 40)
    coverage = PolygonCoverage([[ring]], IDENTITY, 12, 20)
    assert coverage.extends_beyond
    assert coverage.window == Window(0, 10, coverage.window.width, 10)
    inside = shoelace(clip_to_box(ring, 0, 12, 0, 20))
    assert coverage.fraction().sum() == pytest.approx(inside, rel=1e-12)


def test_a_polygon_outside_the_grid_has_no_window():
    square = np.array([(-5.0, -5.0), (-1.0, -5.0), (-1.0, -1.0), (-5.0, -1.0)])
    assert PolygonCoverage([[square]], IDENTITY, 10, 10).window is None
    assert PolygonCoverage([[square + 15.0]], IDENTITY, 10, 10).window is None   # touches the edge only
    assert PolygonCoverage([], IDENTITY, 10, 10).window is None


def test_vertices_on_cell_edges_and_degenerate_edges():
    # Grid-aligned rectangle drawn with repeated vertices, a closing vertex and a zero-area spike.
    ring = np.array([(2, 3), (2, 3), (5, 3), (5, 5), (7, 5), (5, 5), (5, 7), (2, 7), (2, 3)], dtype=float)
    fractions = PolygonCoverage([[ring]], IDENTITY, 9, 9).fraction(Window(0, 0, 9, 9))
    expected = np.zeros((9, 9))
    expected[3:7, 2:5] = 1.0
    np.testing.assert_array_equal(fractions, expected)
    # A triangle through cell corners halves the cells on its diagonal.
    triangle = np.array([(0, 0), (4, 0), (4, 4)], dtype=float)
    fractions = PolygonCoverage([[triangle]], IDENTITY, 4, 4).fraction(Window(0, 0, 4, 4))
    np.testing.assert_allclose(fractions, np.triu(np.ones((4, 4)), 1) + np.eye(4) / 2, atol=1e-15)


def test_a_rotated_grid_is_measured_in_its_own_plane():
    transform = Affine.rotation(30) * Affine.scale(2.0, -1.5) * Affine.translation(-3, -4)
    rng = np.random.default_rng(11)
    pixel_ring = star(rng, (6.0, 5.0), 1.5, 5, 30)
    world_ring = np.column_stack(transform * (pixel_ring[:, 0], pixel_ring[:, 1]))
    fractions = PolygonCoverage([[world_ring]], transform, 12, 11).fraction(Window(0, 0, 12, 11))
    np.testing.assert_allclose(fractions, reference_fractions([[pixel_ring]], (11, 12)), atol=1e-12)
