"""True areas on the WGS84 ellipsoid: raster cells and polygons, in any CRS.

Every area is a line integral ∮ u dλ, where u(φ) is the ellipsoid's area between the equator and
latitude φ per radian of longitude (the zone-area formula behind the authalic latitude). In the
(λ, u) plane the ellipsoid is mapped without area distortion, so a region's true area is its planar
area there. A north-up lon/lat cell is a rectangle in that plane (closed form, one value per row).
Any other cell or polygon edge, straight in its own CRS, is sampled along its length, converted to
lon/lat with GDAL's PROJ (``rasterio.warp.transform``) and integrated by the trapezoid rule: cell
corners alone where halving the steps changes areas by less than 1e-7, otherwise steps halved until
the change is below 1e-6 and then Richardson-extrapolated (the requirement is 1e-4).
"""
import numpy as np
from numpy.typing import ArrayLike
from rasterio import warp
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window

from .grid import apply_affine

SEMI_MAJOR_AXIS = 6378137.0
FLATTENING = 1 / 298.257223563
_E2 = FLATTENING * (2 - FLATTENING)
_E = np.sqrt(_E2)
_HALF_B2 = SEMI_MAJOR_AXIS ** 2 * (1 - _E2) / 2
_WGS84 = CRS.from_epsg(4326)

COARSE_ENOUGH = 1e-7   # relative change on refinement below which corner sampling is kept
CHECKED_ROW_STEP = 64  # rows of cells between those on which that change is measured
REFINED_ENOUGH = 1e-6  # relative change at which the Richardson-extrapolated value is kept
MAX_PIECES = 64        # per cell edge
MAX_REFINEMENTS = 16   # halvings of a polygon edge's steps


def zone_area(lat_deg: ArrayLike) -> np.ndarray:
    """Signed area (m²) between the equator and latitude ``lat_deg``, per radian of longitude."""
    s = np.sin(np.radians(np.clip(lat_deg, -90.0, 90.0)))
    return _HALF_B2 * (s / (1 - _E2 * s * s) + np.arctanh(_E * s) / _E)


_POLE_U = float(zone_area(90.0))
ELLIPSOID_AREA = 4 * np.pi * _POLE_U   # 510 065 621.7 km²


def cell_areas(crs: CRS, transform: Affine, window: Window) -> np.ndarray:
    """True area (m²) of each cell in ``window`` of a grid with this CRS and affine transform.

    Shape (rows, 1) for a north-up WGS84 lon/lat grid (area depends on the row only), otherwise
    (rows, cols). Cells whose corners cannot be converted to lon/lat are NaN.
    """
    rows = np.arange(window.row_off, window.row_off + window.height + 1, dtype=np.float64)
    if _is_wgs84_lonlat(crs) and transform.b == 0 and transform.d == 0:
        u = zone_area(transform.f + transform.e * rows)
        return (abs(np.radians(transform.a)) * np.abs(np.diff(u)))[:, None]
    return _general_cell_areas(crs, transform, window)


def polygon_area(parts: list, crs: CRS) -> float:
    """True area (m²) of a polygon whose edges are straight lines in ``crs``.

    ``parts`` is a list of parts, each a list of rings ((N, 2) arrays of x, y in ``crs``), the first
    ring the exterior and the rest holes; orientation does not matter. Straight edges in the CRS are
    what the coverage fractions use; for lon/lat rings with short edges this is the geodesic area.
    """
    rings = [np.asarray(ring, dtype=np.float64) for part in parts for ring in part]
    signs = np.array([1.0 if k == 0 else -1.0 for part in parts for k in range(len(part))])
    if not rings:
        return 0.0
    x0 = np.concatenate([r[:, 0] for r in rings])
    y0 = np.concatenate([r[:, 1] for r in rings])
    x1 = np.concatenate([np.roll(r[:, 0], -1) for r in rings])
    y1 = np.concatenate([np.roll(r[:, 1], -1) for r in rings])
    ring_of_edge = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
    to_lonlat = _lonlat_converter(crs)
    pieces = np.full(len(x0), 2)
    fine, coarse, dlam = _edge_trapezoids(x0, y0, x1, y1, pieces, to_lonlat)
    turns = np.bincount(ring_of_edge, dlam, len(rings)) / (2 * np.pi)

    def area(edge_integrals):
        integrals = np.bincount(ring_of_edge, edge_integrals, len(rings))
        return abs(float(np.sum(signs * _ring_areas(integrals, turns))))

    for _ in range(MAX_REFINEMENTS):
        rough = np.abs(fine - coarse) > REFINED_ENOUGH * area(fine) / len(pieces)
        if not rough.any():
            break
        pieces[rough] *= 2
        fine[rough], coarse[rough], _ = _edge_trapezoids(
            x0[rough], y0[rough], x1[rough], y1[rough], pieces[rough], to_lonlat)
    return area(fine + (fine - coarse) / 3)


def _is_wgs84_lonlat(crs):
    return crs.is_geographic and crs == _WGS84


def _lonlat_converter(crs):
    """A function (x, y) -> (λ radians, u) for points in ``crs``."""
    crs = CRS.from_user_input(crs)
    identity = _is_wgs84_lonlat(crs)

    def to_lonlat(x, y):
        if identity:
            lon, lat = x, y
        else:
            lon, lat = warp.transform(crs, _WGS84, np.ravel(x), np.ravel(y))
        lon = np.reshape(np.asarray(lon, dtype=np.float64), np.shape(x))
        lat = np.reshape(np.asarray(lat, dtype=np.float64), np.shape(x))
        return np.radians(lon), zone_area(lat)
    return to_lonlat


def _wrap(dlam):
    # Not remainder(dlam + pi, 2 pi) - pi: adding pi would round away the small steps' last digits.
    return dlam - 2 * np.pi * np.rint(dlam / (2 * np.pi))


def _trapezoids(lam, u):
    """Per-step trapezoid terms of ∫u dλ along the last axis, and the wrapped λ steps."""
    dlam = _wrap(np.diff(lam))
    return (u[..., 1:] + u[..., :-1]) / 2 * dlam, dlam


def _ring_areas(integral, turns):
    """Areas enclosed by closed curves from ∮u dλ and their number of turns around the pole axis.

    A ring that does not wind around a pole encloses |∮u dλ|; one that winds splits the ellipsoid
    into a polar cap side and the rest, and the smaller of the two is the enclosed area.
    """
    turns = np.rint(turns)
    cap = np.abs(integral - 2 * np.pi * turns * _POLE_U)
    return np.where(turns == 0, np.abs(integral), np.minimum(cap, ELLIPSOID_AREA - cap))


def _edge_trapezoids(x0, y0, x1, y1, pieces, to_lonlat):
    """∫u dλ along straight edges, by trapezoids over ``pieces`` and over half as many steps.

    Returns the fine and the coarse integrals and the fine wrapped λ change, one value per edge.
    """
    counts = pieces + 1
    edge = np.repeat(np.arange(len(pieces)), counts)
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    t = step / pieces[edge]
    lam, u = to_lonlat(x0[edge] + t * (x1 - x0)[edge], y0[edge] + t * (y1 - y0)[edge])

    def per_edge(points):
        terms, dlam = _trapezoids(lam[points], u[points])
        owner = edge[points][1:]
        within = owner == edge[points][:-1]
        return (np.bincount(owner[within], terms[within], len(pieces)),
                np.bincount(owner[within], dlam[within], len(pieces)))
    fine, turning = per_edge(slice(None))
    coarse, _ = per_edge(step % 2 == 0)
    return fine, coarse, turning


def _general_cell_areas(crs, transform, window):
    """Cell areas of any grid from its cell edges, sampled more finely until the area converges."""
    to_lonlat = _lonlat_converter(crs)
    corners = _cell_integrals(to_lonlat, transform, window, 1)
    coarse = _ring_areas(*corners)
    checked_rows = np.unique(np.r_[np.arange(0, window.height, CHECKED_ROW_STEP), window.height - 1])
    worst = 0.0
    for row in checked_rows:
        strip = Window(window.col_off, window.row_off + row, window.width, 1)
        finer = _ring_areas(*_cell_integrals(to_lonlat, transform, strip, 2))
        worst = max(worst, _largest_relative_change(coarse[row], finer[0]))
    if worst <= COARSE_ENOUGH:
        return coarse
    pieces = 2
    while True:
        fine = _ring_areas(*_cell_integrals(to_lonlat, transform, window, pieces))
        if _largest_relative_change(coarse, fine) <= REFINED_ENOUGH or pieces >= MAX_PIECES:
            return fine + (fine - coarse) / 3
        coarse, pieces = fine, pieces * 2


def _largest_relative_change(old, new):
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.abs(new - old) / np.abs(new)
    change = change[np.isfinite(change)]
    return float(change.max()) if change.size else 0.0


def _cell_integrals(to_lonlat, transform, window, pieces):
    """∮u dλ and turns around the pole for every cell, each edge cut into ``pieces`` steps.

    Edges are shared between neighbouring cells, so each grid line is sampled once.
    """
    h, w = window.height, window.width
    line_rows = window.row_off + np.arange(h + 1, dtype=np.float64)
    line_cols = window.col_off + np.arange(w + 1, dtype=np.float64)
    along_rows = window.col_off + np.arange(w * pieces + 1) / pieces
    along_cols = window.row_off + np.arange(h * pieces + 1) / pieces
    # Sample points along each row line (h + 1, w * pieces + 1) and each column line (w + 1, ...).
    h_lam, h_u = _pixel_lonlat(to_lonlat, transform, along_rows[None, :], line_rows[:, None])
    if pieces == 1:
        v_lam, v_u = h_lam.T, h_u.T
    else:
        v_lam, v_u = _pixel_lonlat(to_lonlat, transform, line_cols[:, None], along_cols[None, :])
    # Subtracting a constant from u leaves closed-curve integrals unchanged except around a pole
    # (added back below) and keeps the terms small, so less is lost to cancellation.
    u_ref = np.nanmean(h_u) if np.isfinite(h_u).any() else 0.0
    h_terms, h_dlam = _trapezoids(h_lam, h_u - u_ref)
    v_terms, v_dlam = _trapezoids(v_lam, v_u - u_ref)
    top = h_terms.reshape(h + 1, w, pieces).sum(axis=2)
    side = v_terms.reshape(w + 1, h, pieces).sum(axis=2).T
    top_dlam = h_dlam.reshape(h + 1, w, pieces).sum(axis=2)
    side_dlam = v_dlam.reshape(w + 1, h, pieces).sum(axis=2).T
    # Corners (i, j) -> (i, j+1) -> (i+1, j+1) -> (i+1, j) -> (i, j).
    integral = top[:-1] + side[:, 1:] - top[1:] - side[:, :-1]
    turns = (top_dlam[:-1] + side_dlam[:, 1:] - top_dlam[1:] - side_dlam[:, :-1]) / (2 * np.pi)
    return integral + u_ref * 2 * np.pi * np.rint(turns), turns


def _pixel_lonlat(to_lonlat, transform, cols, rows):
    cols, rows = np.broadcast_arrays(cols, rows)
    return to_lonlat(*apply_affine(transform, cols, rows))
