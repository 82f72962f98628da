"""Exact fraction of each raster cell covered by a polygon, computed in the grid's own plane.

Like exactextract, the polygon is taken into pixel coordinates (column, row), where every cell is a
unit square, and the covered part of each cell is measured exactly, not by testing cell centres.

By Green's theorem the area of a region R inside the cell of row r and column c is
    -∮∂R 1[c <= x < c+1] · clamp(y - r, 0, 1) dx.
Each ring edge is cut where it crosses a grid line, so every piece lies in one cell (r', c): there it
adds dx · (y_mid - r') to that cell and the whole dx to every cell above it in the same column
(clamp = 1), which a cumulative sum up the column collects. Rings are oriented so that exteriors count
positive and holes negative, and parts add up.
"""
from typing import Optional

import numpy as np
from rasterio.windows import Window

from .grid import apply_affine


class PolygonCoverage:
    """Coverage fractions of one polygon over a grid, for any window of that grid.

    ``parts`` is a list of parts, each a list of rings ((N, 2) arrays of x, y in the grid's CRS, the
    first the exterior, the others holes); rings may be open or closed and in either orientation.
    ``window`` is the bounding window of the cells the polygon touches, clipped to the grid (None when
    it misses the grid), and ``extends_beyond`` tells whether part of it lies outside the grid.
    """

    def __init__(self, parts: list, transform, width: int, height: int):
        inverse = ~transform
        starts, ends = [], []
        for part in parts:
            for index, ring in enumerate(part):
                ring = np.asarray(ring, dtype=np.float64)
                if len(ring) < 3 or not np.isfinite(ring).all():
                    continue
                pixel = np.column_stack(apply_affine(inverse, ring[:, 0], ring[:, 1]))
                orientation = np.sign(ring_signed_area(pixel))
                if orientation == 0:
                    continue
                if orientation != (1 if index == 0 else -1):
                    pixel = pixel[::-1]
                starts.append(pixel)
                ends.append(np.roll(pixel, -1, axis=0))
        starts = np.concatenate(starts) if starts else np.empty((0, 2))
        ends = np.concatenate(ends) if ends else np.empty((0, 2))
        self._x0, self._y0 = starts[:, 0], starts[:, 1]
        self._x1, self._y1 = ends[:, 0], ends[:, 1]
        self.window, self.extends_beyond = None, False
        if len(starts):
            col0, row0 = np.floor(starts.min(axis=0)).astype(int)
            col1, row1 = np.ceil(starts.max(axis=0)).astype(int)
            self.extends_beyond = bool(col0 < 0 or row0 < 0 or col1 > width or row1 > height)
            col0, row0 = max(col0, 0), max(row0, 0)
            col1, row1 = min(col1, width), min(row1, height)
            if col1 > col0 and row1 > row0:
                self.window = Window(col0, row0, col1 - col0, row1 - row0)

    def fraction(self, window: Optional[Window] = None) -> np.ndarray:
        """Float64 (rows, cols) fraction in [0, 1] of each cell of ``window`` (default: ``self.window``)."""
        window = self.window if window is None else window
        h, w = int(window.height), int(window.width)
        x0, x1 = self._x0 - window.col_off, self._x1 - window.col_off
        y0, y1 = self._y0 - window.row_off, self._y1 - window.row_off
        # Only edges over the window's columns and not wholly above it can count; vertical ones add 0.
        keep = ((np.maximum(x0, x1) > 0) & (np.minimum(x0, x1) < w) & (np.maximum(y0, y1) > 0)
                & (x0 != x1))
        x0, x1, y0, y1 = x0[keep], x1[keep], y0[keep], y1[keep]
        edges = np.arange(len(x0))
        col_edge, col_t = _crossings(x0, x1, w)
        row_edge, row_t = _crossings(y0, y1, h)
        edge = np.concatenate([edges, edges, col_edge, row_edge])
        t = np.clip(np.concatenate([np.zeros(len(x0)), np.ones(len(x0)), col_t, row_t]), 0.0, 1.0)
        order = np.lexsort((t, edge))
        edge, t = edge[order], t[order]
        x = x0[edge] + t * (x1 - x0)[edge]
        y = y0[edge] + t * (y1 - y0)[edge]
        same = edge[1:] == edge[:-1]
        dx = (x[1:] - x[:-1])[same]
        x_mid = ((x[1:] + x[:-1]) / 2)[same]
        y_mid = ((y[1:] + y[:-1]) / 2)[same]
        col = np.floor(x_mid)
        row = np.minimum(np.floor(y_mid), h)     # pieces below the window count whole for all its rows
        inside = (col >= 0) & (col < w) & (row >= 0) & (dx != 0)
        cell = (row * w + col)[inside].astype(np.int64)
        dx, y_mid, row = dx[inside], y_mid[inside], row[inside]
        whole = np.bincount(cell, dx, (h + 1) * w).reshape(h + 1, w)
        partial = np.bincount(cell, np.where(row < h, dx * (y_mid - row), 0.0), (h + 1) * w)
        below = np.cumsum(whole[::-1], axis=0)[::-1][1:]     # sum over the rows below each row
        covered = -(partial.reshape(h + 1, w)[:h] + below)
        return np.clip(covered, 0.0, 1.0)


def ring_signed_area(points: np.ndarray) -> float:
    """Shoelace area of a ring ((N, 2), open or closed): positive counter-clockwise in x-right, y-up axes."""
    centred = points - points.mean(axis=0)
    x, y = centred[:, 0], centred[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) / 2


def _crossings(a0, a1, last_line):
    """Where each segment a0 -> a1 crosses the lines a = 0, 1, ..., last_line: (segment index, t)."""
    low = np.maximum(np.ceil(np.minimum(a0, a1)), 0)
    high = np.minimum(np.floor(np.maximum(a0, a1)), last_line)
    count = np.where(a0 == a1, 0, np.maximum(high - low + 1, 0)).astype(np.int64)
    segment = np.repeat(np.arange(len(a0)), count)
    line = np.repeat(low, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return segment, (line - a0[segment]) / (a1 - a0)[segment]
