"""Siting: where a practice gains the most carbon over the baseline, per hectare or per m³ of water.

Per cell, at the practice's full growth: uptake gain = mean baseline flux − mature rate (g CO2 m-2 a-1,
positive = more uptake than the baseline), given as t CO2 ha-1 a-1 and, over the water the planting
needs (the table's water_need or a raster of it), as kg CO2 per m³. A cell is allowed where the baseline
has a value, the gain is positive, every threshold rule holds (a constraint raster without a value there
fails it) and no exclusion polygon touches it. Its suitability in 0..1 is a weighted linear combination
of min–max scaled criteria over the allowed cells: the gain (weight 1) and each weighted constraint.

The best sites are the allowed cells in decreasing suitability, taken until their true area reaches the
target, dissolved into one polygon per 4-connected cluster of cells. The polygons are rings of cell
corners in the raster's CRS, ready for scenario with the practice and a planting year.
"""
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import rasterio
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .coverage import PolygonCoverage
from .errors import InputError, check_cancel
from .geodesy import cell_areas
from .grid import plan_windows
from .practices import find_practice
from .raster_io import AtomicGeoTiff, ResampledInput
from .scenario import M2_PER_HA, baseline_grid, grid_points, mean_baseline
from .text_output import PathLike
from .units import BYTES_PER_MB

BAND_NAMES = ("uptake_gain_tCO2_ha_a", "uptake_gain_kgCO2_m3", "water_need_m3_ha_a", "allowed", "suitability")
BAND_UNITS = ("t CO2 ha-1 a-1", "kg CO2 m-3", "m3 ha-1 a-1", "1", "1")
RANK_BY = {"area": "uptake gain per hectare", "water": "uptake gain per m³ of water"}
T_HA_PER_G_M2 = 1e-2          # 1 g m-2 = 1e4 g ha-1 = 1e-2 t ha-1
KG_HA_PER_G_M2 = 10.0         # 1 g m-2 = 10 kg ha-1
WEIGHT = ":"
OPERATORS = {"<=": np.less_equal, ">=": np.greater_equal, "==": np.equal, "!=": np.not_equal, "<": np.less,
             ">": np.greater, WEIGHT: None}
_RULE = re.compile(r"\s*([^<>=!:]+?)\s*(<=|>=|==|!=|<|>|:)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*")
WINDOW_ARRAYS = 24            # float64 per cell besides the rule rasters: baseline mean, criteria, 5 output bands


@dataclass(frozen=True)
class Rule:
    """``name<=10`` (a threshold the constraint raster ``name`` must meet) or ``name:w`` (a weight)."""
    name: str
    operator: str
    value: float

    @property
    def is_weight(self) -> bool:
        return self.operator == WEIGHT

    def __str__(self):
        return f"{self.name}{self.operator}{self.value:g}"


def parse_rules(text: Optional[str]) -> list:
    """Rules separated by ';' or new lines: ``gw_depth<=10; road_distance<=5000; road_distance:-0.5``.

    Thresholds use <, <=, >, >=, ==, !=. A weight w in -1..1 (``name:w``, relative to the carbon gain's
    weight 1) scores high values better when w > 0 and low values better when w < 0.
    """
    rules = []
    for piece in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
        match = _RULE.fullmatch(piece)
        if not match:
            raise InputError(f"Constraint rule '{piece}' is not 'name<=value' (or <, >, >=, ==, !=) or 'name:weight'.")
        rule = Rule(match.group(1), match.group(2), float(match.group(3)))
        if rule.is_weight and not -1 <= rule.value <= 1:
            raise InputError(f"Constraint rule '{piece}': a weight must lie between -1 and 1.")
        rules.append(rule)
    return rules


@dataclass
class Site:
    """One cluster of selected cells; ``parts`` = [[exterior, holes...]] (closed rings in the raster's CRS)."""
    site_id: int
    parts: list
    cells: int
    area_m2: float
    uptake_gain_t_a: float       # t CO2 a-1 at full growth, positive = more uptake than the baseline
    water_m3_a: float
    mean_suitability: float      # area-weighted

    @property
    def uptake_gain_t_ha(self) -> float:
        return self.uptake_gain_t_a / (self.area_m2 / M2_PER_HA)

    @property
    def uptake_gain_kg_m3(self) -> float:
        return self.uptake_gain_t_a * 1e3 / self.water_m3_a if self.water_m3_a > 0 else float("nan")


@dataclass
class SitingResult:
    practice: str
    rank_by: str
    sites: list
    target_m2: float
    selected_m2: float
    allowed_m2: float
    warnings: list = field(default_factory=list)


def run_siting(baseline_path: PathLike, practices: dict, practice: str, output_path: PathLike, target_ha: float,
               constraints: Optional[dict] = None, rules: tuple = (), exclude: tuple = (), rank_by: str = "area",
               water_need_path: Optional[PathLike] = None, budget_bytes: int = 64 * BYTES_PER_MB,
               progress: Optional[Callable[[float], None]] = None,
               is_cancelled: Optional[Callable[[], bool]] = None) -> "SitingResult":
    """Suitability raster (bands ``BAND_NAMES``) and best sites for ``target_ha`` hectares.

    ``baseline_path``: annual flux raster (g CO2 m-2 a-1; bands averaged). ``constraints``: {name: raster
    path}, any grid (resampled to the baseline's). ``rules``: Rule list naming those rasters. ``exclude``:
    polygons (parts of rings in the baseline's CRS) whose cells are never chosen. ``rank_by``: "area"
    (gain per hectare) or "water" (gain per m³). ``water_need_path``: raster of m³ ha-1 a-1 replacing the
    table's water_need.
    """
    chosen = find_practice(practices, practice)
    if chosen is None:
        raise InputError(f"Practice '{practice}' is not in the practices table (known: {', '.join(practices)}).")
    if chosen.is_baseline:
        raise InputError(f"Practice '{chosen.practice}' is the baseline itself: it gains nothing to rank.")
    if rank_by not in RANK_BY:
        raise InputError(f"Rank by '{rank_by}': choose one of {list(RANK_BY)}.")
    if rank_by == "water" and not water_need_path and chosen.water_need <= 0:
        raise InputError(f"Practice '{chosen.practice}' needs no water (water_need 0): rank by gain per hectare.")
    if not target_ha > 0:
        raise InputError(f"The target area must be positive, not {target_ha} ha.")
    warnings = []
    grid = baseline_grid(baseline_path)
    with rasterio.open(baseline_path) as baseline:
        criteria = _Criteria(baseline, grid, chosen, rank_by, constraints or {}, rules, exclude, water_need_path,
                             warnings)
        try:
            windows = plan_windows(grid, (len(rules) + WINDOW_ARRAYS) * 8, budget_bytes)
            scales = _scales(criteria, windows, progress, is_cancelled)
            selection = _Selection(target_ha * M2_PER_HA)
            with AtomicGeoTiff(output_path, grid, BAND_NAMES, band_tags=[{"units": u} for u in BAND_UNITS],
                               dataset_tags={"practice": chosen.practice, "rank_by": rank_by}) as output:
                for done, window in enumerate(windows, start=1):
                    check_cancel(is_cancelled)
                    values = criteria.read(window)
                    suitability = _suitability(values, scales, criteria.weights)
                    output.write(np.stack([values.gain_t_ha, values.gain_kg_m3, values.water,
                                           np.where(np.isfinite(values.gain_t_ha), values.allowed, np.nan),
                                           suitability]), window)
                    selection.add(window, values, suitability)
                    if progress:
                        progress(0.5 + 0.5 * done / len(windows))
        finally:
            criteria.close()
    sites = _sites(selection, grid)
    if scales.allowed_m2 < selection.target_m2:
        warnings.append(f"Only {scales.allowed_m2 / M2_PER_HA:,.1f} ha are allowed for {chosen.practice}, less than "
                        f"the target of {target_ha:,.1f} ha: every allowed cell is selected.")
    return SitingResult(practice=chosen.practice, rank_by=rank_by, sites=sites, target_m2=selection.target_m2,
                        selected_m2=float(sum(s.area_m2 for s in sites)), allowed_m2=scales.allowed_m2,
                        warnings=warnings)


@dataclass
class _Values:
    gain_t_ha: np.ndarray
    gain_kg_m3: np.ndarray
    water: np.ndarray
    allowed: np.ndarray         # bool
    key: np.ndarray             # the ranked gain (per ha or per m³)
    weighted: list              # one array per weight rule
    area: np.ndarray            # true cell area, m²


class _Criteria:
    """Reads every criterion of a window on the baseline's grid."""

    def __init__(self, baseline, grid, practice, rank_by, constraints, rules, exclude, water_need_path, warnings):
        self.baseline, self.grid, self.practice, self.rank_by = baseline, grid, practice, rank_by
        names = {name.lower(): name for name in constraints}
        unknown = [str(rule) for rule in rules if rule.name.lower() not in names]
        if unknown:
            raise InputError(f"Constraint rules {unknown} name no constraint raster (given: {list(constraints)}).")
        used = {names[rule.name.lower()] for rule in rules}
        for name in constraints:
            if name not in used:
                warnings.append(f"Constraint raster {name} has no rule: it is not used.")
        self.inputs = {}
        try:
            for name in used:
                categorical = any(r.operator in ("==", "!=") for r in rules if names[r.name.lower()] == name)
                self.inputs[name] = ResampledInput(constraints[name], f"Constraint {name}", grid, categorical)
                if self.inputs[name].resampled:
                    warnings.append(f"Constraint {name} does not share the baseline's grid: resampled to it "
                                    f"({'nearest' if categorical else 'bilinear'}).")
            self.water_input = ResampledInput(water_need_path, "Water need", grid) if water_need_path else None
        except InputError:
            self.close()
            raise
        self.thresholds = [(self.inputs[names[r.name.lower()]], OPERATORS[r.operator], r.value)
                           for r in rules if not r.is_weight]
        self.weighted = [(self.inputs[names[r.name.lower()]], r.value) for r in rules if r.is_weight]
        self.weights = [w for _, w in self.weighted]
        self.exclude = [PolygonCoverage(parts, grid.transform, grid.width, grid.height) for parts in exclude]

    def read(self, window):
        gain = mean_baseline(self.baseline, window) - self.practice.mature_rate     # g CO2 m-2 a-1
        if self.water_input:
            water = self.water_input.read(window)
        else:
            water = np.full(gain.shape, self.practice.water_need)
        with np.errstate(invalid="ignore", divide="ignore"):
            gain_kg_m3 = np.where(water > 0, gain * KG_HA_PER_G_M2 / water, np.nan)
        gain_t_ha = gain * T_HA_PER_G_M2
        key = gain_t_ha if self.rank_by == "area" else gain_kg_m3
        area = np.broadcast_to(cell_areas(self.grid.crs, self.grid.transform, window), gain.shape)
        with np.errstate(invalid="ignore"):
            allowed = np.isfinite(key) & (gain > 0) & np.isfinite(area)
            for source, operator, threshold in self.thresholds:
                values = source.read(window)
                allowed &= np.isfinite(values) & operator(values, threshold)
        weighted = [source.read(window) for source, _ in self.weighted]
        for values in weighted:
            allowed &= np.isfinite(values)
        for coverage in self.exclude:
            if coverage.window is not None and _meets(coverage.window, window):
                allowed &= coverage.fraction(window) == 0
        return _Values(gain_t_ha, gain_kg_m3, water, allowed, key, weighted, area)

    def close(self):
        for source in list(self.inputs.values()) + [getattr(self, "water_input", None)]:
            if source is not None:
                source.close()


def _meets(a, b):
    return (max(a.col_off, b.col_off) < min(a.col_off + a.width, b.col_off + b.width)
            and max(a.row_off, b.row_off) < min(a.row_off + a.height, b.row_off + b.height))


@dataclass
class _Scales:
    low: np.ndarray              # per criterion (the gain, then each weight rule) over the allowed cells
    high: np.ndarray
    allowed_m2: float


def _scales(criteria, windows, progress, is_cancelled):
    """First pass: each criterion's range over the allowed cells, and the allowed area."""
    count = 1 + len(criteria.weighted)
    low, high, allowed_m2 = np.full(count, np.inf), np.full(count, -np.inf), 0.0
    for done, window in enumerate(windows, start=1):
        check_cancel(is_cancelled)
        values = criteria.read(window)
        if values.allowed.any():
            for k, array in enumerate([values.key] + values.weighted):
                low[k] = min(low[k], array[values.allowed].min())
                high[k] = max(high[k], array[values.allowed].max())
            allowed_m2 += float(values.area[values.allowed].sum())
        if progress:
            progress(0.5 * done / len(windows))
    return _Scales(low, high, allowed_m2)


def _suitability(values, scales, weights):
    """(gain scaled + Σ |w| · criterion scaled, reversed where w < 0) / (1 + Σ |w|); NaN where not allowed."""
    total = np.zeros(values.key.shape)
    for k, (array, weight) in enumerate(zip([values.key] + values.weighted, [1.0] + list(weights))):
        span = scales.high[k] - scales.low[k]
        scaled = (array - scales.low[k]) / span if span > 0 else np.ones(array.shape)
        total += abs(weight) * (scaled if weight >= 0 else 1 - scaled)
    return np.where(values.allowed, total / (1 + sum(abs(w) for w in weights)), np.nan)


class _Selection:
    """The best allowed cells seen so far whose area just reaches the target (memory ∝ the target)."""

    def __init__(self, target_m2):
        self.target_m2 = target_m2
        self.columns = {name: np.empty(0) for name in ("score", "row", "col", "area", "gain", "water")}

    def add(self, window, values, suitability):
        rows, cols = np.nonzero(values.allowed)
        if not rows.size:
            return
        new = dict(score=suitability[rows, cols], row=rows + window.row_off, col=cols + window.col_off,
                   area=values.area[rows, cols], gain=values.gain_t_ha[rows, cols], water=values.water[rows, cols])
        merged = {name: np.concatenate([self.columns[name], new[name]]) for name in self.columns}
        # best first; equal scores north-west first, so the choice does not depend on the windows
        order = np.lexsort((merged["col"], merged["row"], -merged["score"]))
        reached = np.searchsorted(np.cumsum(merged["area"][order]), self.target_m2)
        keep = order[:reached + 1]
        self.columns = {name: array[keep] for name, array in merged.items()}


def _sites(selection, grid):
    """One Site per 4-connected cluster of selected cells, best mean suitability first."""
    c = selection.columns
    cells = _CellSet(c["row"].astype(np.int64), c["col"].astype(np.int64), grid)
    if not cells.size:
        return []
    right, below = cells.find(cells.rows, cells.cols + 1), cells.find(cells.rows + 1, cells.cols)
    index = np.arange(cells.size)
    pairs = np.concatenate([np.column_stack([index, right])[right >= 0], np.column_stack([index, below])[below >= 0]])
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(cells.size, cells.size))
    count, label = connected_components(graph, directed=False)
    sites = []
    for cluster in range(count):
        members = np.flatnonzero(label == cluster)
        area = c["area"][members]
        rings = _outline(cells.rows[members], cells.cols[members], cells)
        sites.append(Site(
            site_id=0, parts=[[grid_points(grid, ring[:, 0], ring[:, 1]) for ring in rings]], cells=len(members),
            area_m2=float(area.sum()), uptake_gain_t_a=float(np.sum(c["gain"][members] * area) / M2_PER_HA),
            water_m3_a=float(np.sum(c["water"][members] * area) / M2_PER_HA),
            mean_suitability=float(np.sum(c["score"][members] * area) / area.sum())))
    sites.sort(key=lambda s: -s.mean_suitability)
    for number, site in enumerate(sites, start=1):
        site.site_id = number
    return sites


class _CellSet:
    """Cells given by row and column, looked up by position."""

    def __init__(self, rows, cols, grid):
        self.rows, self.cols, self.grid, self.size = rows, cols, grid, len(rows)
        self._order = np.argsort(self._key(rows, cols))
        self._sorted = self._key(rows, cols)[self._order]

    def _key(self, rows, cols):
        return rows * self.grid.width + cols

    def find(self, rows, cols):
        """Index of each (row, col) in the set, -1 where it is not in it (or off the grid)."""
        on_grid = (rows >= 0) & (rows < self.grid.height) & (cols >= 0) & (cols < self.grid.width)
        key = self._key(rows, cols)
        at = np.clip(np.searchsorted(self._sorted, key), 0, max(self.size - 1, 0))
        return np.where(on_grid & (self._sorted[at] == key), self._order[at], -1)


# Cell sides as (corner from, corner to, neighbour across as (d row, d col)) in pixel coordinates
# (x = column, y = row, downwards): clockwise on the map, so the cell lies on the right of each side.
_SIDES = (((0, 0), (1, 0), (-1, 0)), ((1, 0), (1, 1), (0, 1)), ((1, 1), (0, 1), (1, 0)), ((0, 1), (0, 0), (0, -1)))


def _outline(rows, cols, cells):
    """Closed rings (pixel x, y) around a 4-connected set of cells: the exterior first, then the holes.

    Sides without a selected neighbour become directed edges with the cells on their right (on the
    map). Where two cells meet only at a corner, the ring turns left, so that a hole touching the
    exterior there is a ring of its own (a valid polygon); collinear edges are merged.
    """
    starts, ends = [], []
    for (x0, y0), (x1, y1), (d_row, d_col) in _SIDES:
        free = cells.find(rows + d_row, cols + d_col) < 0
        starts.append(np.column_stack([cols[free] + x0, rows[free] + y0]))
        ends.append(np.column_stack([cols[free] + x1, rows[free] + y1]))
    starts, ends = np.concatenate(starts), np.concatenate(ends)
    step = ends - starts
    stride = cells.grid.width + 2
    start_key = starts[:, 1] * stride + starts[:, 0]
    order = np.argsort(start_key, kind="stable")
    first = np.searchsorted(start_key[order], ends[:, 1] * stride + ends[:, 0])
    # at a corner shared by two diagonal cells two edges leave: the second in sorted order is the other
    following = order[first]
    second = order[np.minimum(first + 1, len(order) - 1)]
    pinch = (first + 1 < len(order)) & (start_key[second] == start_key[following])
    turns_left = step[:, 0] * step[second, 1] - step[:, 1] * step[second, 0] < 0   # y points down
    following = np.where(pinch & turns_left, second, following)
    rings, seen = [], np.zeros(len(starts), dtype=bool)
    for edge in range(len(starts)):
        if seen[edge]:
            continue
        path = []
        while not seen[edge]:
            seen[edge] = True
            path.append(edge)
            edge = following[edge]
        path = np.array(path)
        corner = np.any(step[path] != step[np.roll(path, 1)], axis=1)
        ring = starts[path[corner]]
        rings.append(np.vstack([ring, ring[:1]]).astype(np.float64))
    # the exterior is the one ring with the cells on its right: a positive shoelace area with y down
    return sorted(rings, key=lambda ring: -_shoelace(ring))


def _shoelace(ring):
    x, y = ring[:-1, 0], ring[:-1, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) / 2
