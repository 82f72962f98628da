"""Desertification-control scenarios: yearly CO2 totals with and without interventions (docs/SCIENCE.md section 8).

On land planted with a practice the annual flux moves from the baseline b towards the practice's mature
rate r as the planting grows: flux = b + g(age) · (r − b), g from 0 in the planting year to 1 at maturity
(core.practices). So per intervention and year

    change = g · (r · A − B) · 1e-15   Pg CO2 a-1, negative = more uptake than the baseline

with A the intervention's area that has a baseline value (m²) and B its baseline total (g CO2 a-1). A and
B come from core.aggregate.aggregate_totals, the code of desertcarbon:aggregate (true cell areas, exact
coverage), so the baseline of a scenario equals aggregate on the same inputs. The baseline raster's
annual bands are averaged (the mean of aggregate's yearly totals) and held over the horizon. Without a
raster the baseline is a constant rate over the interventions' true areas. The band of uncertainty
takes every practice at its rate_min, then at its rate_max (an envelope, not a statistical interval).

Parameter uncertainty (docs/SCIENCE.md section 7): with a baseline ensemble (one annual-sum raster per
parameter set, as fluxscheme's OUTPUT_ENSEMBLE writes them) every member's baseline goes through the same
arithmetic at the practices' central rates, and the spread of the members' scenario totals is reported
(sd and 5-95 %), beside the baseline's interannual sd; the combined uncertainty of a future year's total is
√(parameter sd² + interannual sd²), its weather being unknown.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import rasterio
from numpy.typing import ArrayLike
from rasterio.crs import CRS
from rasterio.io import DatasetReader
from rasterio.windows import Window

from .aggregate import aggregate_totals, combined_uncertainty, parameter_spread
from .coverage import PolygonCoverage
from .errors import InputError, check_cancel
from .fluxscheme_run import ANNUAL_UNITS
from .geodesy import polygon_area
from .grid import Grid, apply_affine, plan_windows
from .overlap import overlap_area, planar_area
from .practices import find_practice
from .raster_io import AtomicGeoTiff
from .text_output import PathLike, write_csv_atomically
from .units import BYTES_PER_MB, GRAMS_PER_PG

REGION_ID = "region"
TAZHONG_RATE = -6.31          # g CO2 m-2 a-1, shifting-sand uptake at Tazhong [R] (docs/SCIENCE.md section 8)
DEFAULT_START_YEAR = 2025     # [P] the first year a plan would plant (scenario's start, siting's planting year)
DEFAULT_HORIZON = 30          # years [P]
M2_PER_HA = 1e4
OVERLAP_SHARE = 1e-9          # overlap area, as a share of the smaller polygon, below which two only touch
FIELDS = ("feature_id", "practice", "planting_year", "year", "growth", "area_m2", "baseline_PgCO2_a",
          "scenario_PgCO2_a", "scenario_min_PgCO2_a", "scenario_max_PgCO2_a", "change_PgCO2_a",
          "change_min_PgCO2_a", "change_max_PgCO2_a", "cumulative_uptake_gain_PgCO2",
          "cumulative_uptake_gain_min_PgCO2", "cumulative_uptake_gain_max_PgCO2", "water_m3_a", "water_budget_m3_a",
          "scenario_parameter_sd_PgCO2_a", "scenario_parameter_p05_PgCO2_a", "scenario_parameter_p95_PgCO2_a",
          "baseline_interannual_sd_PgCO2_a", "combined_uncertainty_PgCO2_a")
WINDOW_ARRAYS = 8             # float64 per cell in the change raster's windows: band, sum, count, mean, change...


@dataclass(frozen=True)
class Intervention:
    """A polygon planted with a practice: ``parts`` as in aggregate_totals, in the baseline's CRS."""
    feature_id: str
    parts: list
    practice: str
    planting_year: int


@dataclass
class Trajectory:
    """One polygon's (or the region's) yearly totals; arrays hold one value per year of the horizon."""
    feature_id: str
    practice: str                # the practice id; "" for the region
    planting_year: object        # None for the region
    area_m2: float               # area the practice covers where the baseline has a value
    baseline_pg_co2: float       # Pg CO2 a-1, the same every year
    growth: np.ndarray           # share of the mature rate reached (NaN for the region)
    change_pg_co2: np.ndarray    # (3, years): scenario − baseline at rate_min, mature_rate, rate_max
    water_m3: np.ndarray         # water the planting needs, m³ a-1
    baseline_members_pg_co2: np.ndarray = None      # (members,) the ensemble's baselines, Pg CO2 a-1
    scenario_members_pg_co2: np.ndarray = None      # (members, years) their scenario totals, central rates
    baseline_interannual_sd_pg_co2: float = float("nan")


@dataclass
class ScenarioResult:
    years: np.ndarray
    interventions: list
    region: Trajectory
    baseline: str                # the raster's path or the constant rate
    water_budget_m3: float = None
    warnings: list = field(default_factory=list)

    def rows(self) -> list:
        """One row per intervention and year, then one per year for the region; keys as in ``FIELDS``.

        _min and _max are the smaller and larger value of each quantity: the change is smallest (most
        uptake) at rate_min, the cumulative uptake gain (− Σ change, positive = more uptake) largest.
        """
        table = []
        for trajectory in self.interventions + [self.region]:
            gain = -np.cumsum(trajectory.change_pg_co2, axis=1)
            for k, year in enumerate(self.years):
                low, central, high = trajectory.change_pg_co2[:, k]
                members = (trajectory.scenario_members_pg_co2[:, k] if trajectory.scenario_members_pg_co2 is not None
                           else np.zeros(0))
                spread = parameter_spread(members)
                table.append(dict(
                    scenario_parameter_sd_PgCO2_a=spread["ensemble_sd_PgCO2_a"],
                    scenario_parameter_p05_PgCO2_a=spread["ensemble_p05_PgCO2_a"],
                    scenario_parameter_p95_PgCO2_a=spread["ensemble_p95_PgCO2_a"],
                    baseline_interannual_sd_PgCO2_a=trajectory.baseline_interannual_sd_pg_co2,
                    combined_uncertainty_PgCO2_a=combined_uncertainty(spread["ensemble_sd_PgCO2_a"],
                                                                      trajectory.baseline_interannual_sd_pg_co2),
                    feature_id=trajectory.feature_id, practice=trajectory.practice,
                    planting_year=trajectory.planting_year, year=int(year), growth=trajectory.growth[k],
                    area_m2=trajectory.area_m2, baseline_PgCO2_a=trajectory.baseline_pg_co2,
                    scenario_PgCO2_a=trajectory.baseline_pg_co2 + central,
                    scenario_min_PgCO2_a=trajectory.baseline_pg_co2 + low,
                    scenario_max_PgCO2_a=trajectory.baseline_pg_co2 + high,
                    change_PgCO2_a=central, change_min_PgCO2_a=low, change_max_PgCO2_a=high,
                    cumulative_uptake_gain_PgCO2=gain[1, k], cumulative_uptake_gain_min_PgCO2=gain[2, k],
                    cumulative_uptake_gain_max_PgCO2=gain[0, k], water_m3_a=trajectory.water_m3[k],
                    water_budget_m3_a=self.water_budget_m3 if trajectory is self.region else None))
        return table


def run_scenario(interventions: list, practices: dict, start_year: int, horizon: int,
                 baseline_path: Optional[PathLike] = None, baseline_rate: Optional[float] = None,
                 crs: Optional[CRS] = None, region: Optional[list] = None,
                 water_budget_m3: Optional[float] = None, baseline_ensemble: tuple = (),
                 budget_bytes: int = 64 * BYTES_PER_MB,
                 progress: Optional[Callable[[float], None]] = None,
                 is_cancelled: Optional[Callable[[], bool]] = None) -> ScenarioResult:
    """Yearly baseline and scenario totals per intervention and for the region, ``horizon`` years from
    ``start_year``.

    ``interventions``: Intervention list (rings in the raster's CRS, or in ``crs`` without a raster).
    ``practices``: {id: Practice} from core.practices.load_practices. Baseline: ``baseline_path`` (an
    annual flux raster, g CO2 m-2 a-1, one band a year) or ``baseline_rate`` (g CO2 m-2 a-1, with ``crs``).
    ``region``: parts of the region polygon (in the interventions' CRS); default the raster's extent, or
    without a raster the interventions themselves. ``water_budget_m3`` (m³ a-1): years whose demand exceeds it are
    named in a warning; the gains are not capped. ``baseline_ensemble``: annual-sum rasters of the baseline, one
    per parameter set, on its grid (see the module text).
    """
    if horizon < 1:
        raise InputError(f"The horizon must be at least one year, not {horizon}.")
    years = np.arange(start_year, start_year + horizon)
    warnings = []
    chosen = assign_practices(interventions, practices)
    check_overlaps(interventions)
    if not interventions:
        warnings.append("The interventions layer (INTERVENTIONS) has no features with a geometry: the scenario "
                        "equals the baseline. Check the layer, its filter or its selection.")
    for intervention in interventions:
        if intervention.planting_year > years[-1]:
            warnings.append(f"Intervention {intervention.feature_id} is planted in {intervention.planting_year}, "
                            f"after the horizon's last year {years[-1]}: it changes nothing within the horizon.")
    spread = None
    if baseline_path:
        areas, baselines, region_area, region_baseline, spread = _raster_baseline(
            baseline_path, interventions, region, baseline_ensemble, budget_bytes, progress, is_cancelled, warnings)
        source = str(baseline_path)
    elif baseline_rate is not None and crs is not None:
        areas = np.array([polygon_area(i.parts, crs) for i in interventions])
        baselines = baseline_rate * areas / GRAMS_PER_PG
        region_area = polygon_area(region, crs) if region else float(areas.sum())
        region_baseline = baseline_rate * region_area / GRAMS_PER_PG
        source = f"constant {baseline_rate:g} {ANNUAL_UNITS}"
    else:
        raise InputError("Give a baseline: an annual flux raster, or a constant rate and the polygons' CRS.")
    if baseline_ensemble and not baseline_path:
        raise InputError("A baseline ensemble needs the baseline raster it belongs to (BASELINE).")
    trajectories = [_trajectory(i, p, years, area, baseline)
                    for i, p, area, baseline in zip(interventions, chosen, areas, baselines)]
    region_trajectory = Trajectory(
        feature_id=REGION_ID, practice="", planting_year=None, area_m2=region_area,
        baseline_pg_co2=region_baseline, growth=np.full(len(years), np.nan),
        change_pg_co2=sum((t.change_pg_co2 for t in trajectories), np.zeros((3, len(years)))),
        water_m3=sum((t.water_m3 for t in trajectories), np.zeros(len(years))))
    if spread is not None:
        _add_parameter_spread(trajectories, region_trajectory, chosen, years, *spread)
    if water_budget_m3 is not None:
        short = region_trajectory.water_m3 > water_budget_m3
        if short.any():
            worst = int(np.argmax(region_trajectory.water_m3))
            warnings.append(f"The interventions need more water than the budget of {water_budget_m3:,.0f} m³ a⁻¹ in "
                            f"{short.sum()} years from {years[short][0]} (at most "
                            f"{region_trajectory.water_m3[worst]:,.0f} m³ a⁻¹ in {years[worst]}); the gains assume "
                            f"they get it.")
    return ScenarioResult(years=years, interventions=trajectories, region=region_trajectory, baseline=source,
                          water_budget_m3=water_budget_m3, warnings=warnings)


def assign_practices(interventions: list, practices: dict) -> list:
    """Each intervention's Practice; an error naming every feature whose practice is not in the table."""
    chosen = [find_practice(practices, i.practice) for i in interventions]
    unknown = [f"{i.feature_id} ('{i.practice}')" for i, p in zip(interventions, chosen) if p is None]
    if unknown:
        raise InputError(f"Interventions {', '.join(unknown)}: practice not in the practices table "
                         f"(known: {', '.join(practices)}).")
    if any(i.feature_id == REGION_ID for i in interventions):
        raise InputError(f"An intervention is called '{REGION_ID}', the name of the region's rows: rename it.")
    return chosen


def _trajectory(intervention, practice, years, area_m2, baseline_pg):
    if practice.is_baseline:
        growth, change = np.zeros(len(years)), np.zeros((3, len(years)))
    else:
        growth = practice.growth(years - intervention.planting_year)
        rates = np.array([practice.rate_min, practice.mature_rate, practice.rate_max])
        change = growth * (rates[:, None] * area_m2 / GRAMS_PER_PG - baseline_pg)
    planted = years >= intervention.planting_year
    return Trajectory(feature_id=intervention.feature_id, practice=practice.practice,
                      planting_year=intervention.planting_year, area_m2=area_m2, baseline_pg_co2=baseline_pg,
                      growth=growth, change_pg_co2=change,
                      water_m3=np.where(planted, practice.water_need * area_m2 / M2_PER_HA, 0.0))


def _add_parameter_spread(trajectories, region, practices, years, members, interannual):
    """Each member's baseline through the scenario's arithmetic at the central rates (see the module text).

    ``members``: (polygons, members) mean-over-years baselines, the region first; ``interannual``: the
    baseline's interannual sd per polygon, the region first.
    """
    region.baseline_members_pg_co2 = members[0]
    region.baseline_interannual_sd_pg_co2 = float(interannual[0])
    region_members = np.repeat(members[0][:, None], len(years), axis=1)
    for trajectory, practice, baseline_members, sd in zip(trajectories, practices, members[1:], interannual[1:]):
        trajectory.baseline_members_pg_co2 = baseline_members
        trajectory.baseline_interannual_sd_pg_co2 = float(sd)
        change = (np.zeros((baseline_members.size, len(years))) if practice.is_baseline else
                  trajectory.growth * (practice.mature_rate * trajectory.area_m2 / GRAMS_PER_PG
                                       - baseline_members[:, None]))
        trajectory.scenario_members_pg_co2 = baseline_members[:, None] + change
        region_members = region_members + change
    region.scenario_members_pg_co2 = region_members


def _raster_baseline(path, interventions, region, ensemble, budget_bytes, progress, is_cancelled, warnings):
    """Areas with a value and mean baseline totals (Pg CO2 a-1) of the interventions and the region, and
    (members' mean baselines, interannual sd) per polygon, the region first."""
    grid = baseline_grid(path)
    coverages = _coverages(interventions, grid)
    outside = [i.feature_id for i, c in zip(interventions, coverages) if c.window is None]
    if outside:
        raise InputError(f"Interventions {', '.join(outside)} lie entirely outside the baseline raster {path}: "
                         f"check their CRS or leave them out.")
    region = region or [[grid_points(grid, [0, grid.width, grid.width, 0], [0, 0, grid.height, grid.height])]]
    totals = aggregate_totals(path, [(REGION_ID, region)] + [(i.feature_id, i.parts) for i in interventions],
                              ensemble_paths=tuple(ensemble), budget_bytes=budget_bytes, progress=progress,
                              is_cancelled=is_cancelled)
    warnings.extend(totals.warnings)
    gaps = [p.feature_id for p in totals.polygons[1:] if p.area_nodata_m2.any()]
    if gaps:
        warnings.append(f"Interventions {', '.join(gaps)}: part of their area has no baseline value in some or all "
                        f"years; the practice is applied where there is one, year by year, as aggregate counts it.")
    areas = np.array([p.area_summed_m2.mean() for p in totals.polygons])
    baselines = np.array([p.total_pg_co2.mean() for p in totals.polygons])
    spread = (np.array([p.member_totals_pg_co2.mean(axis=1) for p in totals.polygons]),    # (polygons, members)
              np.array([p.interannual_sd_pg_co2 for p in totals.polygons]))
    return areas[1:], baselines[1:], float(areas[0]), float(baselines[0]), spread


def baseline_grid(path: PathLike) -> Grid:
    """The baseline raster's grid; an InputError naming it when it cannot be opened or has no CRS."""
    try:
        with rasterio.open(path) as dataset:
            if dataset.crs is None:
                raise InputError(f"Baseline raster {path}: the raster has no coordinate reference system.")
            return Grid(dataset.crs, dataset.transform, dataset.width, dataset.height)
    except rasterio.errors.RasterioIOError as error:
        raise InputError(f"Baseline raster {path}: cannot be opened as a raster ({error}).") from None


def grid_points(grid: Grid, cols: ArrayLike, rows: ArrayLike) -> np.ndarray:
    """(N, 2) CRS coordinates of points given in pixel coordinates (cell corners of the grid).

    A point on the grid's edge can map back a rounding error outside it, and coverage would then warn
    that the polygon extends beyond the raster: such points are moved inwards by a few units in the last
    place until they map back inside.
    """
    t, inverse = grid.transform, ~grid.transform
    cols, rows = np.asarray(cols, dtype=np.float64), np.asarray(rows, dtype=np.float64)
    x, y = apply_affine(t, cols, rows)
    centre_x, centre_y = apply_affine(t, grid.width / 2, grid.height / 2)
    for _ in range(16):
        col, row = apply_affine(inverse, x, y)
        outside = (col < 0) | (col > grid.width) | (row < 0) | (row > grid.height)
        if not outside.any():
            break
        x = np.where(outside, np.nextafter(x, centre_x), x)
        y = np.where(outside, np.nextafter(y, centre_y), y)
    return np.column_stack([x, y])


def _coverages(interventions, grid):
    return [PolygonCoverage(i.parts, grid.transform, grid.width, grid.height) for i in interventions]


def check_overlaps(interventions: list) -> None:
    """An error naming the first two interventions whose polygons share more than a boundary.

    Exact: the planar overlap area (core.overlap) in the interventions' CRS, refused above OVERLAP_SHARE
    of the smaller polygon's area, so polygons that only touch (a shared edge or corner) pass.
    """
    boxes = np.array([_box(i.parts) for i in interventions]).reshape(-1, 4)
    for i, first in enumerate(interventions):
        rest = boxes[i + 1:]
        meets = ((np.maximum(boxes[i, 0], rest[:, 0]) < np.minimum(boxes[i, 2], rest[:, 2]))
                 & (np.maximum(boxes[i, 1], rest[:, 1]) < np.minimum(boxes[i, 3], rest[:, 3])))
        for j in i + 1 + np.flatnonzero(meets):          # only boxes that share an area can overlap
            second = interventions[j]
            smaller = min(planar_area(first.parts), planar_area(second.parts))
            shared = overlap_area(first.parts, second.parts)
            if shared > OVERLAP_SHARE * smaller:
                raise InputError(f"Interventions {first.feature_id} and {second.feature_id} overlap "
                                 f"({shared / smaller:.2%} of the smaller): a piece of land carries one practice; "
                                 f"cut one of them.")


def _box(parts):
    """(x_min, y_min, x_max, y_max) of a polygon's rings; an empty box (NaN) without any."""
    points = [np.asarray(ring, dtype=np.float64) for part in parts for ring in part if len(ring)]
    if not points:
        return (np.nan,) * 4
    points = np.concatenate(points)
    return (*points.min(axis=0), *points.max(axis=0))


def write_change_raster(path: PathLike, baseline_path: PathLike, interventions: list, practices: dict, year: int,
                        budget_bytes: int = 64 * BYTES_PER_MB, progress: Optional[Callable[[float], None]] = None,
                        is_cancelled: Optional[Callable[[], bool]] = None) -> None:
    """Scenario − baseline in ``year`` per cell (g CO2 m-2 a-1, cell mean), on the baseline's grid.

    Each cell gets Σ over interventions of covered fraction · g(age) · (mature_rate − mean baseline);
    0 where nothing is planted, nodata where the baseline has no value in any year. Σ change · true cell
    area is the region's change in that year. Written window by window; a failure leaves no file.
    """
    chosen = assign_practices(interventions, practices)
    grid = baseline_grid(baseline_path)
    planted = [(coverage, float(p.growth(year - i.planting_year)), p.mature_rate)
               for i, p, coverage in zip(interventions, chosen, _coverages(interventions, grid))
               if not p.is_baseline and coverage.window is not None]
    with rasterio.open(baseline_path) as baseline, AtomicGeoTiff(
            path, grid, [str(year)], band_tags=[{"units": ANNUAL_UNITS, "year": str(year)}],
            dataset_tags={"description": "desertcarbon:scenario change, scenario - baseline (negative = more "
                                         "uptake)"}) as output:
        windows = plan_windows(grid, WINDOW_ARRAYS * 8, budget_bytes)
        for done, window in enumerate(windows, start=1):
            check_cancel(is_cancelled)
            mean = mean_baseline(baseline, window)
            change = np.zeros_like(mean)
            for coverage, growth, rate in planted:
                part = _intersection(coverage.window, window)
                if part is None or growth == 0:
                    continue
                rows = slice(part.row_off - window.row_off, part.row_off - window.row_off + part.height)
                cols = slice(part.col_off - window.col_off, part.col_off - window.col_off + part.width)
                change[rows, cols] += coverage.fraction(part) * growth * (rate - mean[rows, cols])
            output.write(np.where(np.isfinite(mean), change, np.nan)[None], window)
            if progress:
                progress(done / len(windows))


def mean_baseline(dataset: DatasetReader, window: Window) -> np.ndarray:
    """Mean over the bands per cell, NaN where no band has a value; one band in memory at a time."""
    total = np.zeros((int(window.height), int(window.width)))
    count = np.zeros(total.shape)
    for band, nodata in enumerate(dataset.nodatavals, start=1):
        values = dataset.read(band, window=window).astype(np.float64)
        valid = np.isfinite(values) if nodata is None else np.isfinite(values) & (values != nodata)
        total += np.where(valid, values, 0.0)
        count += valid
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _intersection(a, b):
    col0, row0 = max(a.col_off, b.col_off), max(a.row_off, b.row_off)
    col1 = min(a.col_off + a.width, b.col_off + b.width)
    row1 = min(a.row_off + a.height, b.row_off + b.height)
    return Window(col0, row0, col1 - col0, row1 - row0) if col1 > col0 and row1 > row0 else None


def write_csv(result: ScenarioResult, path: PathLike) -> None:
    """The table of ``result.rows()`` as CSV (empty field for NaN or none), written atomically."""
    write_csv_atomically(path, FIELDS, [[row[name] for name in FIELDS] for row in result.rows()])
