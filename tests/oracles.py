"""Independent references the tests compare the plugin with, each written once.

- ``geodesic_area``: the WGS84 ellipsoid area of a lon/lat ring by geographiclib (Karney's algorithm);
- ``densify``, ``lonlat_box``: rings whose straight lon/lat edges and geodesics enclose the same area;
- ``polygon_wkt``: WKT of rings, floats written out exactly (numpy 2 would print ``np.float64(81.1)``);
- ``plain_python_rs``: the flux scheme of docs/SCIENCE.md section 2 written again with the math module;
- ``shoelace``, ``clip_to_box``: planar areas and a Sutherland-Hodgman clip, in plain Python;
- ``star``: random simple (star-shaped) rings.

No QGIS import: the core tests use these too.
"""
import math

import numpy as np
from geographiclib.geodesic import Geodesic


def densify(points, per_edge):
    """The closed ring through ``points`` with every edge (the closing one too) cut into ``per_edge``
    straight pieces, as an open (N, 2) array."""
    points = np.asarray(points, dtype=np.float64)
    t = (np.arange(per_edge) / per_edge)[:, None]
    return np.concatenate([a + t * (b - a) for a, b in zip(points, np.roll(points, -1, axis=0))])


def geodesic_area(lonlat, per_edge=1):
    """Area (m²) on the WGS84 ellipsoid of the ring through the (lon, lat) points, open or closed.

    Its edges are geodesics: with ``per_edge`` > 1 each edge is first cut into that many straight lon/lat
    pieces, for rings whose edges are meant straight in lon/lat (meridians and parallels).
    """
    points = np.asarray(lonlat, dtype=np.float64)
    if len(points) > 1 and np.array_equal(points[0], points[-1]):
        points = points[:-1]
    if per_edge > 1:
        points = densify(points, per_edge)
    polygon = Geodesic.WGS84.Polygon()
    for lon, lat in points:
        polygon.AddPoint(float(lat), float(lon))
    return abs(polygon.Compute()[2])


def lonlat_box(west, south, east, north, per_edge=1000, closed=False):
    """A lon/lat rectangle with its parallels densified, so that the geodesic area of its vertices is the
    area under the parallels to 1e-11."""
    lons = np.linspace(west, east, per_edge + 1)
    ring = [(x, south) for x in lons] + [(x, north) for x in lons[::-1]]
    return np.array(ring + ring[:1] if closed else ring, dtype=np.float64)


def _number(value):
    """A coordinate as WKT wants it: the shortest text that reads back as the same float."""
    return repr(float(value))


def polygon_wkt(*rings):
    """POLYGON WKT of an exterior and holes, each ring a sequence of (x, y), closed if it is not."""
    texts = []
    for ring in rings:
        points = [tuple(point) for point in ring]
        if points[0] != points[-1]:
            points.append(points[0])
        texts.append("(" + ", ".join(f"{_number(x)} {_number(y)}" for x, y in points) + ")")
    return "POLYGON(" + ", ".join(texts) + ")"


def plain_python_rs(t0, t10, theta, hours, soc, ph, salt, c):
    """docs/SCIENCE.md section 2 written again with the math module, one number at a time: Rs per step."""
    n = len(t0)
    tbar = [(a + b) / 2 for a, b in zip(t0, t10)]
    out = []
    for i in range(n):
        if i == 0:
            d = (tbar[1] - tbar[0]) / (hours[1] - hours[0])
        elif i == n - 1:
            d = (tbar[-1] - tbar[-2]) / (hours[-1] - hours[-2])
        else:
            d = (tbar[i + 1] - tbar[i - 1]) / (hours[i + 1] - hours[i - 1])
        r1 = c["k1"] * ((t0[i] - t10[i]) - c["delta_t0"]) + c["k2"] * d
        if theta[i] <= c["theta_c"]:
            r2 = 0.0
        else:
            r2 = min(c["r2_max"], c["a2"] * ((theta[i] - c["theta_c"]) / (c["theta_ref"] - c["theta_c"])) ** c["p"]
                     * c["q10w"] ** ((t10[i] - 25) / 10))
        tk, t20 = t10[i] + 273.15, 293.15
        k0 = math.exp(-58.0931 + 90.5069 * (100 / tk) + 22.294 * math.log(tk / 100))
        k20 = math.exp(-58.0931 + 90.5069 * (100 / t20) + 22.294 * math.log(t20 / 100))
        r3 = (c["a_soc"] * (soc - c["soc_ref"]) * c["q10c"] ** ((t10[i] - 20) / 10)
              - (c["a_ph"] * (ph - c["ph_ref"]) + c["a_salt"] * (salt - c["salt_ref"])) * k0 / k20)
        out.append(r1 + r2 + r3)
    return out


def shoelace(points):
    """Unsigned planar area of a ring."""
    x, y = np.asarray(points, dtype=np.float64).T
    return abs(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) / 2


def _clip_half_plane(points, axis, bound, keep_above):
    """Sutherland-Hodgman step: the part of a ring on one side of the line ``axis`` = ``bound``."""
    def inside(p):
        return p[axis] >= bound if keep_above else p[axis] <= bound

    def cut(p, q):
        t = (bound - p[axis]) / (q[axis] - p[axis])
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    clipped = []
    for p, q in zip(points[-1:] + points[:-1], points):
        if inside(q):
            if not inside(p):
                clipped.append(cut(p, q))
            clipped.append(q)
        elif inside(p):
            clipped.append(cut(p, q))
    return clipped


def clip_to_box(points, x_min, x_max, y_min, y_max):
    """Sutherland-Hodgman clip of a polygon by an axis-aligned box (right for any simple polygon's area)."""
    points = [tuple(p) for p in points]
    for axis, bound, keep_above in ((0, x_min, True), (0, x_max, False), (1, y_min, True), (1, y_max, False)):
        points = _clip_half_plane(points, axis, bound, keep_above)
        if not points:
            return []
    return points


def star(rng, centre, r_min, r_max, vertices):
    """A star-shaped (so simple) ring around ``centre`` with radii in [r_min, r_max]."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    radii = rng.uniform(r_min, r_max, vertices)
    return np.column_stack([centre[0] + radii * np.cos(angles), centre[1] + radii * np.sin(angles)])
