"""Totals of an annual flux raster over polygons, in Pg CO2 and Pg C per year (docs/SCIENCE.md section 7).

Total = Σ flux [g CO2 m-2 a-1] · true cell area on the WGS84 ellipsoid [m²] · exact fraction of the
cell inside the polygon · mask or sand fraction, × 1e-15. Each polygon is read window by window over
its bounding window only, in windows cut along the raster's blocks, so memory is bounded by
``budget_bytes`` (plus GDAL's block cache, capped by GDAL_CACHEMAX) whatever the raster's size, and
every sum is accumulated in float64.
"""
import html
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import rasterio
from rasterio.windows import Window

from .cluster import TASKS_PER_WORKER, InOrder, local_path, open_cluster
from .coverage import PolygonCoverage
from .errors import InputError, check_cancel
from .fluxscheme_run import ANNUAL_UNITS
from .geodesy import cell_areas, polygon_area
from .grid import Grid, plan_windows
from .raster_io import ResampledInput
from .text_output import PathLike, html_list, html_page, html_table, write_csv_atomically, write_text_atomically
from .units import BYTES_PER_MB, C_PER_CO2, GRAMS_PER_PG

FIELDS = ("feature_id", "year", "total_PgCO2_a", "total_PgC_a", "mean_rate_gCO2_m2_a", "area_summed_m2",
          "area_masked_m2", "area_nodata_m2", "area_polygon_m2", "interannual_sd_PgCO2_a",
          "ensemble_sd_PgCO2_a", "ensemble_p05_PgCO2_a", "ensemble_p95_PgCO2_a", "ensemble_members",
          "combined_uncertainty_PgCO2_a")
# What each uncertainty column means (docs/SCIENCE.md section 7), for the HTML summary and the help.
UNCERTAINTY_MEANINGS = {
    "interannual_sd_PgCO2_a": "interannual variability: the sample sd (n − 1) of the yearly totals, the same on "
                              "every row of a polygon",
    "ensemble_sd_PgCO2_a": "parameter uncertainty: the sample sd of the totals over the ensemble's parameter sets "
                           "(for the mean row, of each member's mean over the years)",
    "ensemble_p05_PgCO2_a": "parameter uncertainty: 5th percentile of the members' totals",
    "ensemble_p95_PgCO2_a": "parameter uncertainty: 95th percentile of the members' totals",
    "combined_uncertainty_PgCO2_a": "for a year, the parameter sd (that year's weather is known); for the mean "
                                    "over years, √(parameter sd² + interannual sd²): the spread of one year's total "
                                    "taken as typical, parameters and weather together; empty without an ensemble",
}
PERCENTILES = (5.0, 95.0)
MEAN_ROW = "mean"
WINDOW_ARRAYS = 6          # float64 per-cell arrays besides the bands: fraction, area, weight, mask...
BAND_BYTES_PER_CELL = 10   # per band: the float64 widening in the product, missing-value flags (+ 2 raw copies)


@dataclass
class PolygonTotals:
    """Sums for one polygon; arrays hold one value per year (``member_totals_pg_co2``: member × year)."""
    feature_id: object
    area_polygon_m2: float           # true area of the whole polygon, edges straight in the raster CRS
    total_pg_co2: np.ndarray
    area_summed_m2: np.ndarray       # covered area (× mask fraction) where the flux has a value
    area_nodata_m2: np.ndarray       # covered area (× mask fraction) where it has none
    area_masked_m2: float            # covered area taken away by the mask: Σ area · fraction · (1 - mask)
    member_totals_pg_co2: np.ndarray

    @property
    def total_pg_c(self) -> np.ndarray:
        return self.total_pg_co2 * C_PER_CO2

    @property
    def mean_rate_g_m2(self) -> np.ndarray:
        return _ratio(self.total_pg_co2 * GRAMS_PER_PG, self.area_summed_m2)

    @property
    def interannual_sd_pg_co2(self) -> float:
        """Sample standard deviation of the annual totals (NaN with fewer than two years)."""
        return _sample_sd(self.total_pg_co2)

    @property
    def ensemble_sd_pg_co2(self) -> np.ndarray:
        """Per year, the sample standard deviation of the total across ensemble members (NaN without)."""
        return _sample_sd(self.member_totals_pg_co2, axis=0)


@dataclass
class AggregateResult:
    years: list
    polygons: list
    flux_path: str
    mask_path: str = None
    ensemble_paths: tuple = ()
    warnings: list = field(default_factory=list)

    def rows(self) -> list:
        """The output table: per polygon one row a year and a ``mean`` row, keys as in ``FIELDS``."""
        table = []
        for p in self.polygons:
            shared = dict(feature_id=p.feature_id, area_masked_m2=p.area_masked_m2,
                          area_polygon_m2=p.area_polygon_m2, interannual_sd_PgCO2_a=p.interannual_sd_pg_co2,
                          ensemble_members=p.member_totals_pg_co2.shape[0])
            for k, year in enumerate(self.years):
                spread = parameter_spread(p.member_totals_pg_co2[:, k])
                table.append(dict(shared, **spread, year=year, total_PgCO2_a=p.total_pg_co2[k],
                                  total_PgC_a=p.total_pg_c[k], mean_rate_gCO2_m2_a=p.mean_rate_g_m2[k],
                                  area_summed_m2=p.area_summed_m2[k], area_nodata_m2=p.area_nodata_m2[k],
                                  combined_uncertainty_PgCO2_a=spread["ensemble_sd_PgCO2_a"]))
            spread = parameter_spread(p.member_totals_pg_co2.mean(axis=1))
            table.append(dict(shared, **spread, year=MEAN_ROW, total_PgCO2_a=p.total_pg_co2.mean(),
                              total_PgC_a=p.total_pg_c.mean(),
                              mean_rate_gCO2_m2_a=_ratio(p.total_pg_co2.sum() * GRAMS_PER_PG,
                                                         p.area_summed_m2.sum()),
                              area_summed_m2=p.area_summed_m2.mean(), area_nodata_m2=p.area_nodata_m2.mean(),
                              combined_uncertainty_PgCO2_a=combined_uncertainty(spread["ensemble_sd_PgCO2_a"],
                                                                                p.interannual_sd_pg_co2)))
        return [{name: row[name] for name in FIELDS} for row in table]

    def headlines(self) -> list:
        """Per polygon, the line the review would print: mean ± combined uncertainty, with its parts."""
        return [headline(row, self.years) for row in self.rows() if row["year"] == MEAN_ROW]


def parameter_spread(member_totals: np.ndarray) -> dict:
    """Sample sd and 5–95 % range of the members' totals (NaN with fewer than two members)."""
    member_totals = np.asarray(member_totals, dtype=np.float64)
    if member_totals.size < 2:
        return {"ensemble_sd_PgCO2_a": np.nan, "ensemble_p05_PgCO2_a": np.nan, "ensemble_p95_PgCO2_a": np.nan}
    low, high = np.percentile(member_totals, PERCENTILES)
    return {"ensemble_sd_PgCO2_a": float(np.std(member_totals, ddof=1)), "ensemble_p05_PgCO2_a": float(low),
            "ensemble_p95_PgCO2_a": float(high)}


def combined_uncertainty(parameter_sd: float, interannual_sd: float) -> float:
    """√(parameter sd² + interannual sd²), the two taken as independent; NaN without the parameter part."""
    if not np.isfinite(parameter_sd):
        return float("nan")
    return float(np.hypot(parameter_sd, np.nan_to_num(interannual_sd)))


def headline(mean_row: dict, years: list) -> str:
    """'<polygon>: <mean> ± <combined> Pg CO₂ a⁻¹ (<years> mean; ...)', the parts of the ± named."""
    period = f"{years[0]}–{years[-1]}" if years else "no years"
    total, combined = mean_row["total_PgCO2_a"], mean_row["combined_uncertainty_PgCO2_a"]
    interannual = mean_row["interannual_sd_PgCO2_a"]
    if np.isfinite(combined):
        low, high = mean_row["ensemble_p05_PgCO2_a"], mean_row["ensemble_p95_PgCO2_a"]
        return (f"{mean_row['feature_id']}: {total:.3g} ± {combined:.2g} Pg CO₂ a⁻¹ ({period} mean; ± combines the "
                f"parameter sd {mean_row['ensemble_sd_PgCO2_a']:.2g} (5–95 %: {low:.3g} to {high:.3g}, "
                f"{mean_row['ensemble_members']} parameter sets) and the interannual sd {interannual:.2g})")
    return (f"{mean_row['feature_id']}: {total:.3g} ± {interannual:.2g} Pg CO₂ a⁻¹ ({period} mean ± interannual sd "
            f"only: no parameter ensemble was given, so the parameter uncertainty is not in the ±)")


def aggregate_totals(flux_path: PathLike, polygons: list, mask_path: Optional[PathLike] = None,
                     ensemble_paths: tuple = (),
                     budget_bytes: int = 64 * BYTES_PER_MB, progress: Optional[Callable[[float], None]] = None,
                     is_cancelled: Optional[Callable[[], bool]] = None,
                     cluster: Optional[str] = None) -> "AggregateResult":
    """Per polygon and year totals of a flux raster (one band a year, g CO2 m-2 a-1).

    ``polygons``: list of (feature_id, parts), each part a list of rings ((N, 2) float arrays in the
    raster's CRS, the first the exterior, the rest holes), already valid. ``mask_path``: a raster of
    0/1 or a sand fraction in 0..1 that multiplies the cell area (nodata counts as 0).
    ``ensemble_paths``: two or more flux rasters on the same grid and years (one per parameter set)
    whose spread of totals is reported. ``progress`` gets a fraction in [0, 1]; ``is_cancelled``
    returning True raises RunCancelled. ``cluster`` (core.cluster: "", "local:N" or a Dask scheduler's
    address) sums the windows as Dask tasks, to the same bits.
    """
    warnings = []
    if not polygons:
        warnings.append("The polygon layer (POLYGONS) has no features with a geometry: the table has no rows. "
                        "Check the layer, its filter or its selection.")
    with ExitStack() as stack:
        flux = _open_flux(flux_path, "Flux raster", stack)
        grid = Grid(flux.crs, flux.transform, flux.width, flux.height)
        years = _years(flux, warnings)
        members = [_open_flux(path, "Ensemble member", stack) for path in ensemble_paths]
        _check_ensemble(flux, members, years)
        if mask_path:
            mask = ResampledInput(mask_path, "Mask", grid)
            stack.callback(mask.close)
            if mask.resampled:
                warnings.append(f"{mask.label} does not share the flux raster's grid: it is resampled to "
                                f"it (bilinear).")
        # Members are read one after the other into the same-sized arrays: they add no memory.
        bytes_per_pixel = (flux.count * (2 * np.dtype(flux.dtypes[0]).itemsize + BAND_BYTES_PER_CELL)
                           + WINDOW_ARRAYS * 8)
        coverages = [PolygonCoverage(parts, grid.transform, grid.width, grid.height) for _, parts in polygons]
        for (fid, _), coverage in zip(polygons, coverages):
            if coverage.window is None:
                warnings.append(f"Polygon {fid} lies entirely outside the flux raster {flux_path}: its rows "
                                f"have zero area.")
            elif coverage.extends_beyond:
                warnings.append(f"Polygon {fid} extends beyond the flux raster {flux_path}: only the part "
                                f"inside it is counted.")
        sums = [_Sums(len(years), len(members)) for _ in polygons]
        session = stack.enter_context(open_cluster(cluster))
        if session.workers > 1:        # enough windows to keep every worker busy
            work = sum(c.window.width * c.window.height for c in coverages if c.window is not None)
            budget_bytes = max(1, min(budget_bytes, work * bytes_per_pixel // (TASKS_PER_WORKER * session.workers)))
        jobs = [(number, window) for number, coverage in enumerate(coverages)
                for window in _polygon_windows(coverage, grid, flux.block_shapes[0], bytes_per_pixel, budget_bytes)]
        payload = AggregatePayload(local_path(flux_path), tuple(local_path(p) for p in ensemble_paths),
                                   local_path(mask_path) if mask_path else None, grid, coverages, len(years))
        stack.callback(payload.close)
        session.run(aggregate_window_task, jobs, len(jobs), payload,
                    InOrder(lambda index, part: sums[jobs[index][0]].merge(part)), progress, is_cancelled)
        check_cancel(is_cancelled)
    results = []
    for (fid, parts), total in zip(polygons, sums):
        if total.cells_without_area:
            warnings.append(f"Polygon {fid}: {total.cells_without_area} cells could not be placed on the "
                            f"ellipsoid (outside the raster CRS's valid area) and were left out.")
        results.append(PolygonTotals(
            feature_id=fid, area_polygon_m2=polygon_area(parts, grid.crs),
            total_pg_co2=_unknown_without_data(fid, years, total, flux_path, warnings), area_summed_m2=total.summed,
            area_nodata_m2=total.nodata, area_masked_m2=total.masked,
            member_totals_pg_co2=total.members / GRAMS_PER_PG))
    if progress:
        progress(1.0)
    return AggregateResult(years=years, polygons=results, flux_path=str(flux_path),
                           mask_path=None if mask_path is None else str(mask_path),
                           ensemble_paths=tuple(str(p) for p in ensemble_paths), warnings=warnings)


def _unknown_without_data(fid, years, sums, flux_path, warnings):
    """The polygon's totals in Pg CO2 a-1; NaN (unknown, not 0) in a year where every covered cell is nodata."""
    totals = sums.flux / GRAMS_PER_PG
    unknown = (sums.summed == 0) & (sums.nodata > 0)
    if unknown.any():
        totals[unknown] = np.nan
        listed = [str(years[k]) for k in np.flatnonzero(unknown)]
        warnings.append(f"Polygon {fid}: the flux raster {flux_path} has no value in any cell it covers in "
                        f"{len(listed)} year(s) ({', '.join(listed[:10])}{', ...' if len(listed) > 10 else ''}): "
                        f"their totals are unknown (empty), not 0.")
    return totals


class AggregatePayload:
    """What every window task of a run shares: the rasters' paths (opened on first use, by each task's own copy
    on a cluster: the handles are not pickled), the grid and the polygons' coverages."""

    def __init__(self, flux_path, ensemble_paths, mask_path, grid, coverages, year_count):
        self.flux_path, self.ensemble_paths, self.mask_path = flux_path, ensemble_paths, mask_path
        self.grid, self.coverages, self.year_count = grid, coverages, year_count
        self._open = None

    def __getstate__(self):
        return {**self.__dict__, "_open": None}

    def datasets(self):
        """(flux, members, mask) open, the same for every window of this copy."""
        if self._open is None:
            stack = ExitStack()
            try:
                flux = _open_flux(self.flux_path, "Flux raster", stack)
                members = [_open_flux(path, "Ensemble member", stack) for path in self.ensemble_paths]
                mask = None
                if self.mask_path:
                    mask = ResampledInput(self.mask_path, "Mask", self.grid)
                    stack.callback(mask.close)
            except BaseException:
                stack.close()
                raise
            self._open = (stack, flux, members, mask)
        return self._open[1:]

    def close(self):
        if self._open is not None:
            self._open[0].close()
            self._open = None


def aggregate_window_task(job: tuple, payload: AggregatePayload, progress: Optional[Callable[[float], None]] = None,
                          is_cancelled: Optional[Callable[[], bool]] = None) -> "_Sums":
    """One window of one polygon, (polygon number, window): its sums, to be merged in window order. A task of
    ``core.cluster``: runs alike in this process and on a Dask worker."""
    number, window = job
    check_cancel(is_cancelled)
    flux, members, mask = payload.datasets()
    sums = _Sums(payload.year_count, len(members))
    sums.add(window, payload.coverages[number], payload.grid, flux, members, mask)
    return sums


class _Sums:
    """Running float64 sums for one polygon (grams and m²)."""

    def __init__(self, years, members):
        self.flux = np.zeros(years)
        self.summed = np.zeros(years)
        self.nodata = np.zeros(years)
        self.members = np.zeros((members, years))
        self.masked = 0.0
        self.cells_without_area = 0

    def merge(self, other: "_Sums") -> None:
        """Add another window's sums (each window's start from zero, so merging them in window order gives the
        bits of one running sum)."""
        self.flux += other.flux
        self.summed += other.summed
        self.nodata += other.nodata
        self.members += other.members
        self.masked += other.masked
        self.cells_without_area += other.cells_without_area

    def add(self, window, coverage, grid, flux, members, mask):
        fraction = coverage.fraction(window)
        rows = np.flatnonzero(fraction.any(axis=1))
        cols = np.flatnonzero(fraction.any(axis=0))
        if not rows.size:
            return
        # Read only the part of the window the polygon covers (holes and concave outlines leave gaps).
        fraction = fraction[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        window = Window(window.col_off + cols[0], window.row_off + rows[0], fraction.shape[1], fraction.shape[0])
        weight = fraction * cell_areas(grid.crs, grid.transform, window)
        unplaced = ~np.isfinite(weight)
        self.cells_without_area += int(np.count_nonzero(unplaced & (fraction > 0)))
        weight[unplaced] = 0.0
        if mask is not None:
            share = _mask_share(mask, window)
            self.masked += np.sum(weight * (1 - share))
            weight *= share
        cells = np.flatnonzero(weight)
        if not cells.size:
            return
        weight = weight.ravel()[cells]
        values, missing = _read_cells(flux, window, cells)
        self.flux += values @ weight          # float32 values are widened: products and sums in float64
        # 0/1 bytes times float64 weights: exact zeros where no cell (or every cell) lacks a value.
        self.nodata += missing.view(np.uint8) @ weight
        self.summed += (~missing).view(np.uint8) @ weight
        for k, member in enumerate(members):
            self.members[k] += _read_cells(member, window, cells)[0] @ weight


def _read_cells(dataset, window, cells):
    """The bands' values at the given cells of a window, 0 where there is none, and where that is."""
    values = dataset.read(window=window).reshape(dataset.count, -1)[:, cells]
    missing = ~np.isfinite(values) if values.dtype.kind == "f" else np.zeros(values.shape, dtype=bool)
    for band, nodata in enumerate(dataset.nodatavals):
        if nodata is not None and np.isfinite(nodata):
            missing[band] |= values[band] == nodata
    np.copyto(values, 0, where=missing)
    return values, missing


def _mask_share(mask, window):
    share = np.nan_to_num(mask.read(window), nan=0.0)
    if share.size and (share.min() < -1e-6 or share.max() > 1 + 1e-6):
        raise InputError(f"{mask.label}: values must be 0/1 or a sand fraction between 0 and 1, found "
                         f"{share.min():g} to {share.max():g}; rescale it (e.g. percent / 100).")
    return np.clip(share, 0.0, 1.0)


def _polygon_windows(coverage, grid, block_shape, bytes_per_pixel, budget_bytes):
    """Windows over the polygon's bounding window, each within the budget.

    Cut along the raster's blocks (whole block rows, else runs of whole blocks) so that each block is
    decoded once, however small GDAL's block cache; plain windows when one block exceeds the budget.
    """
    box = coverage.window
    if box is None:
        return []
    block_rows, block_cols = block_shape
    pixels = budget_bytes // bytes_per_pixel
    if block_rows * block_cols > pixels:
        sub_grid = Grid(grid.crs, grid.transform, box.width, box.height)
        return [Window(box.col_off + w.col_off, box.row_off + w.row_off, w.width, w.height)
                for w in plan_windows(sub_grid, bytes_per_pixel, budget_bytes)]
    if box.width * block_rows <= pixels:
        rows, cols = block_rows * (pixels // (box.width * block_rows)), box.width
    else:
        rows, cols = block_rows, block_cols * (pixels // (block_rows * block_cols))
    row_cuts = _cuts(box.row_off, box.row_off + box.height, rows)
    col_cuts = _cuts(box.col_off, box.col_off + box.width, cols)
    return [Window(c0, r0, c1 - c0, r1 - r0) for r0, r1 in zip(row_cuts[:-1], row_cuts[1:])
            for c0, c1 in zip(col_cuts[:-1], col_cuts[1:])]


def _cuts(start, stop, step):
    """``start``, the multiples of ``step`` between, and ``stop``."""
    return [start, *range((start // step + 1) * step, stop, step), stop]


def _open_flux(path, label, stack):
    try:
        dataset = stack.enter_context(rasterio.open(path))
    except rasterio.errors.RasterioIOError as error:
        raise InputError(f"{label} {path}: cannot be opened as a raster ({error}).") from None
    if dataset.crs is None:
        raise InputError(f"{label} {path}: the raster has no coordinate reference system.")
    return dataset


def _years(flux, warnings):
    """Band labels: the band description (the year, e.g. '2017'), else its 'year' tag, else 'band N'."""
    tags = [flux.tags(band) for band in range(1, flux.count + 1)]
    labels = [description or tag.get("year") or f"band {band}"
              for band, (description, tag) in enumerate(zip(flux.descriptions, tags), start=1)]
    other_units = {tag["units"] for tag in tags if tag.get("units")} - {ANNUAL_UNITS}
    if other_units:
        warnings.append(f"Flux raster {flux.name}: band units are {sorted(other_units)}, but totals assume "
                        f"{ANNUAL_UNITS}.")
    if any(label.startswith("band ") for label in labels):
        warnings.append(f"Flux raster {flux.name}: some bands carry no year in their description; they "
                        f"are labelled 'band N'.")
    if len(set(labels)) != len(labels):
        raise InputError(f"Flux raster {flux.name}: band descriptions {labels} repeat a year.")
    return labels


def _check_ensemble(flux, members, years):
    if not members:
        return
    if len(members) < 2:
        raise InputError("An ensemble needs at least two flux rasters to give a spread; one was given.")
    reference = Grid(flux.crs, flux.transform, flux.width, flux.height)
    for member in members:
        if not Grid(member.crs, member.transform, member.width, member.height).same_as(reference):
            raise InputError(f"Ensemble member {member.name} is not on the flux raster's grid "
                             f"({flux.name}); write every member on the same grid.")
        if member.count != flux.count:
            raise InputError(f"Ensemble member {member.name} has {member.count} bands, the flux raster "
                             f"{flux.name} has {flux.count} ({years}).")


def _ratio(numerator, denominator):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)[()]


def _sample_sd(values, axis=0):
    values = np.asarray(values, dtype=np.float64)
    if values.shape[axis] < 2:
        return np.full(values.shape[:axis] + values.shape[axis + 1:], np.nan)[()]
    return np.std(values, axis=axis, ddof=1)


def write_csv(result: AggregateResult, path: PathLike) -> None:
    """The table of ``result.rows()`` as CSV (empty field for NaN), written atomically."""
    write_csv_atomically(path, FIELDS, [[row[name] for name in FIELDS] for row in result.rows()])


def write_html(result: AggregateResult, path: PathLike) -> None:
    """A one-page summary (mean ± interannual sd per polygon, then every row and warning), atomically."""
    def table(rows, columns):
        return html_table([label for label, _, _ in columns],
                          [[_scaled(row[key], scale) for _, key, scale in columns] for row in rows])

    rows = result.rows()
    summary = [r for r in rows if r["year"] == MEAN_ROW]
    summary_columns = [("Polygon", "feature_id", 1), ("Mean total (Pg CO₂ a⁻¹)", "total_PgCO2_a", 1),
                       ("Combined ± (Pg CO₂ a⁻¹)", "combined_uncertainty_PgCO2_a", 1),
                       ("Parameter sd (Pg CO₂ a⁻¹)", "ensemble_sd_PgCO2_a", 1),
                       ("Parameter 5 % (Pg CO₂ a⁻¹)", "ensemble_p05_PgCO2_a", 1),
                       ("Parameter 95 % (Pg CO₂ a⁻¹)", "ensemble_p95_PgCO2_a", 1),
                       ("Interannual sd (Pg CO₂ a⁻¹)", "interannual_sd_PgCO2_a", 1), ("Pg C a⁻¹", "total_PgC_a", 1),
                       ("Mean rate (g CO₂ m⁻² a⁻¹)", "mean_rate_gCO2_m2_a", 1),
                       ("Area summed (km²)", "area_summed_m2", 1e-6), ("Area masked (km²)", "area_masked_m2", 1e-6),
                       ("Area without data (km²)", "area_nodata_m2", 1e-6),
                       ("Polygon area (km²)", "area_polygon_m2", 1e-6)]
    inputs = [("Flux raster", result.flux_path), ("Mask", result.mask_path or "none"),
              ("Ensemble", ", ".join(result.ensemble_paths) or "none"),
              ("Years", f"{result.years[0]} to {result.years[-1]} ({len(result.years)})" if result.years else "none")]
    body = (html_list(f"{k}: {v}" for k, v in inputs)
            + "<p>Totals = Σ flux × true cell area on the WGS84 ellipsoid × covered fraction × mask, "
              "positive = release to the atmosphere. Sd over years uses n − 1.</p>"
            + "<h2>Mean over the years</h2><p>To copy:</p><pre>" + "\n".join(html.escape(line) for line in
                                                                        result.headlines()) + "</pre>"
            + table(summary, summary_columns)
            + "<h3>What the uncertainty columns mean</h3>"
            + html_list(f"{name}: {meaning}" for name, meaning in UNCERTAINTY_MEANINGS.items())
            + "<h2>Every year</h2>" + table(rows, [(name, name, 1) for name in FIELDS])
            + "<h2>Warnings</h2>" + html_list(result.warnings))
    write_text_atomically(path, html_page("Desert carbon totals", body))


def _scaled(value, scale):
    return value * scale if scale != 1 else value
