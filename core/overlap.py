"""Exact overlap area of two polygons in the plane of their CRS (holes and multiparts included).

Polygons are given as the core takes them everywhere: a list of parts, each a list of rings ((N, 2)
arrays of x, y; the first ring the exterior, the others holes), open or closed, in either orientation.

The area of A ∩ B is the integral over x of the length of its cross-section. Between two consecutive
"events" (a vertex of either polygon, or a point where an edge of A crosses an edge of B) every edge
spanning the slab is a straight line and none crosses another, so A's and B's cross-sections are fixed
sets of intervals whose ends move linearly: the length of their intersection is linear in x across the
slab, and the midpoint rule is exact. Touching boundaries (shared edges or corners) give a zero length,
not a sign error, which makes the measure robust where clipping algorithms meet their degenerate cases.
"""
import numpy as np

from .coverage import ring_signed_area

EDGE_PAIRS_AT_ONCE = 1 << 20     # edge pairs tested for crossings, or slab-edge pairs, per numpy call


def planar_area(parts: list) -> float:
    """Area of a polygon (exteriors minus holes) in the units of its CRS squared."""
    total = 0.0
    for part in parts:
        for index, ring in enumerate(part):
            ring = np.asarray(ring, dtype=np.float64)
            if len(ring) >= 3:
                total += abs(ring_signed_area(ring)) * (1.0 if index == 0 else -1.0)
    return total


def overlap_area(parts_a: list, parts_b: list) -> float:
    """Area of the intersection of two valid polygons, exact up to rounding."""
    edges_a, edges_b = _edges(parts_a), _edges(parts_b)
    if not len(edges_a) or not len(edges_b):
        return 0.0
    low = np.maximum(_bounds(edges_a)[0], _bounds(edges_b)[0])
    high = np.minimum(_bounds(edges_a)[1], _bounds(edges_b)[1])
    if np.any(high <= low):
        return 0.0
    origin = low                       # coordinates near 0: no cancellation in projected CRSs
    edges_a = edges_a - np.tile(origin, 2)
    edges_b = edges_b - np.tile(origin, 2)
    high = high - origin
    x_events = np.concatenate([edges_a[:, 0], edges_b[:, 0], _crossing_xs(edges_a, edges_b, high)])
    x_events = np.unique(np.clip(x_events, 0.0, high[0]))
    x_events = np.unique(np.r_[0.0, x_events, high[0]])
    widths = np.diff(x_events)
    middles = (x_events[:-1] + x_events[1:]) / 2
    slabs = np.flatnonzero(widths > 0)
    total = 0.0
    step = max(1, EDGE_PAIRS_AT_ONCE // (len(edges_a) + len(edges_b)))
    for start in range(0, len(slabs), step):
        chosen = slabs[start:start + step]
        total += float(np.dot(_common_length(edges_a, edges_b, middles[chosen]), widths[chosen]))
    return total


def _edges(parts):
    """(M, 4) array of x0, y0, x1, y1 over every ring's edges, closing each ring."""
    edges = []
    for part in parts:
        for ring in part:
            ring = np.asarray(ring, dtype=np.float64)
            if len(ring) >= 3 and np.isfinite(ring).all():
                edges.append(np.hstack([ring, np.roll(ring, -1, axis=0)]))
    edges = np.concatenate(edges) if edges else np.empty((0, 4))
    return edges[np.any(edges[:, :2] != edges[:, 2:], axis=1)]          # no zero-length closing edges


def _bounds(edges):
    return edges[:, :2].min(axis=0), edges[:, :2].max(axis=0)


def _crossing_xs(edges_a, edges_b, high):
    """x of every point where an edge of A meets an edge of B inside the common box [0, high]."""
    edges_a = edges_a[_touches_box(edges_a, high)]
    edges_b = edges_b[_touches_box(edges_b, high)]
    found = []
    step = max(1, EDGE_PAIRS_AT_ONCE // max(len(edges_b), 1))
    for start in range(0, len(edges_a), step):
        a = edges_a[start:start + step, None, :]
        b = edges_b[None, :, :]
        ax, ay = a[..., 2] - a[..., 0], a[..., 3] - a[..., 1]
        bx, by = b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]
        ox, oy = b[..., 0] - a[..., 0], b[..., 1] - a[..., 1]
        denominator = ax * by - ay * bx
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (ox * by - oy * bx) / denominator
            u = (ox * ay - oy * ax) / denominator
            meet = (denominator != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
            found.append((a[..., 0] + t * ax)[meet])
    return np.concatenate(found) if found else np.empty(0)


def _touches_box(edges, high):
    return ((np.maximum(edges[:, 0], edges[:, 2]) >= 0) & (np.minimum(edges[:, 0], edges[:, 2]) <= high[0])
            & (np.maximum(edges[:, 1], edges[:, 3]) >= 0) & (np.minimum(edges[:, 1], edges[:, 3]) <= high[1]))


def _cross_section(edges, xs):
    """Per x, the sorted y where the polygon's edges cross the vertical line (NaN-padded), (len(xs), k)."""
    x0, y0, x1, y1 = edges.T
    spans = (np.minimum(x0, x1)[None] < xs[:, None]) & (xs[:, None] < np.maximum(x0, x1)[None])
    with np.errstate(divide="ignore", invalid="ignore"):
        ys = np.where(spans, y0 + (xs[:, None] - x0) * ((y1 - y0) / (x1 - x0)), np.nan)
    ys.sort(axis=1)                      # NaN last; even-odd: rows pair up as (in, out)
    return ys


def _common_length(edges_a, edges_b, xs):
    """Per x, the length of the vertical line inside both polygons."""
    ys_a, ys_b = _cross_section(edges_a, xs), _cross_section(edges_b, xs)
    ys = np.concatenate([ys_a, ys_b], axis=1)
    from_a = np.concatenate([np.ones(ys_a.shape, dtype=bool), np.zeros(ys_b.shape, dtype=bool)], axis=1)
    order = np.argsort(ys, axis=1, kind="stable")
    ys = np.take_along_axis(ys, order, axis=1)
    from_a = np.take_along_axis(from_a, order, axis=1)
    valid = ~np.isnan(ys)
    inside_a = np.cumsum(from_a & valid, axis=1) % 2 == 1        # after each crossing: inside A?
    inside_b = np.cumsum(~from_a & valid, axis=1) % 2 == 1
    gaps = np.diff(ys, axis=1)
    both = inside_a[:, :-1] & inside_b[:, :-1] & valid[:, 1:]
    return np.where(both, gaps, 0.0).sum(axis=1)
