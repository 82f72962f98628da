"""Run the flux scheme over a forcing stack, window by window, into annual-sum rasters.

Memory is bounded by ``budget_bytes`` whatever the raster's size: the grid is cut into windows and
each calendar year into chunks of whole days, and only per-window accumulators persist. A one-step
halo around each chunk keeps the centred temperature tendency identical to a whole-series pass.

The arithmetic of a window lives in ``window_sums``, a pure function of numpy arrays (no file
handles, no global state, picklable arguments and result), so the same function that runs here
chunk by chunk can run a whole window on a Dask worker (docs/DESIGN.md, "Beyond one machine"); the
runner only reads, calls it, adds up and writes.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence, Union

import numpy as np
from rasterio.windows import Window

from . import fluxscheme as fs
from .accumulation import daily_means_of_present
from .cluster import TASKS_PER_WORKER, InOrder, open_cluster
from .errors import InputError, check_cancel
from .forcing_extras import ExtraFields, climate_sums, plan_extra_fields, read_extra_fields
from .ensemble_files import prepare_member_folder, remove_stale_members
from .forcing_gaps import DEFAULT_MAX_GAP_HOURS, GapFilledForcing
from .grid import plan_windows
from .land_sea import open_land_sea
from .parameters import ParameterSet
from .quantile_mapping import QuantileMapping
from .raster_io import AtomicGeoTiff, ResampledInput
from .kept_arrays import KeptArrays, kept_or_new
from .text_output import PathLike
from .timeaxis import day_index, day_runs, iso, year_ranges
from .units import BYTES_PER_MB, GRAMS_CO2_PER_UMOL, SECONDS_PER_HOUR

if TYPE_CHECKING:                   # for the annotations only: the runner takes any opened forcing
    from .forcing import Era5Forcing, RasterStackForcing

ANNUAL_UNITS = "g CO2 m-2 a-1"
RAIN_UNITS = "mm a-1"
RN_UNITS = "W m-2"
READ_ARRAYS_PER_STEP = 12           # float64 arrays per pixel-step of a read chunk: two kept sets of the five
                                    # fields (one read ahead), the packed values and a margin
EXTRA_ARRAYS_PER_STEP = 10          # more of them when ssr, str and tp are read and de-accumulated
CHUNK_STEPS = 768                   # steps read at once at most: 32 days of hourly steps
MIN_READ_STEPS = 96                 # and at least (fewer when a year has fewer): below, windows get narrower
# A read chunk is computed in blocks of COMPUTE_STEPS steps (whole days) by about COMPUTE_CELLS / COMPUTE_STEPS
# cells, their temporaries in kept arrays (dT, the moist steps, R2's arrays). The time chunks do not
# depend on the window and every sum adds a cell's steps in one order, so a cell's sums are the same bits
# whatever the windows and blocks (in this process or on a cluster).
COMPUTE_STEPS = 96
COMPUTE_CELLS = 2 ** 17             # at most, and their temporaries within 1 / COMPUTE_SHARE of the budget
COMPUTE_ARRAYS = 10                 # float64 temporaries of a compute block, for the budget
COMPUTE_SHARE = 2                   # compute temporaries take at most 1 / COMPUTE_SHARE of the budget
REGIME_BANDS = ("uptake_fraction", "release_fraction", "moisture_activated_fraction")
# rows of WindowSums.regimes: valid steps, uptake season, release season, moisture-activated,
# moisture-activated in the (dry) uptake season
REGIME_COUNTS = ("valid", "uptake", "release", "moist", "moist_uptake")
NEIGHBOUR_ONLY = -1                 # year_of_step of a step read only as a neighbour (halo, year left out)
# rows of WindowSums.climate: rain sum (mm), steps with rain, Rn sum (W m-2 x steps), steps with Rn
CLIMATE_SUMS = ("rain", "rain_steps", "rn", "rn_steps")


@dataclass
class FluxRunResult:
    years: list
    partial_years: list
    skipped_years: list
    mean_annual_flux: dict           # year -> unweighted mean over valid cells, g CO2 m-2 a-1
    valid_cells: dict                # year -> number of cells with a value
    regime_means: dict               # regime -> mean fraction of steps over valid cells
    pixel_steps: int
    step_seconds: int
    warnings: list = field(default_factory=list)
    ocean_cells: int = 0             # cells left out as sea (land-sea mask, or ERA5's sea soil water)
    notes: list = field(default_factory=list)   # what the run used, a line each, for the log


@dataclass
class WindowSums:
    """What a window, or a span of its steps, adds to the outputs: the sums of two spans add up.

    ``annual``: (3, years, rows, cols) sums of R1, R2, R3 in g CO2 m-2 per output year, NaN where the
    mask leaves a cell out or a step is missing. ``regimes``: (5, rows, cols) step counts in the order
    of REGIME_COUNTS, 0 where the mask leaves a cell out. ``pixel_steps``: cell-steps computed.
    ``climate``: (4, years, rows, cols) sums in the order of CLIMATE_SUMS (rain and Rn over the hours
    that have a value), NaN where the mask leaves a cell out, 0 when the run reads no rain or Rn.
    """
    annual: np.ndarray
    regimes: np.ndarray
    pixel_steps: int = 0
    climate: Optional[np.ndarray] = None
    members: Optional[np.ndarray] = None        # (members, years, rows, cols) Rs sums of the parameter ensemble
    forcing_counts: Optional[dict] = None       # what the forcing counted while this window was read (gaps)

    @classmethod
    def zeros(cls, year_count: int, keep: np.ndarray, member_count: int = 0) -> "WindowSums":
        """Nothing summed yet: 0 on the kept cells, NaN sums on the cells the mask leaves out."""
        annual = np.zeros((3, year_count) + keep.shape)
        annual[:, :, ~keep] = np.nan
        climate = np.zeros((len(CLIMATE_SUMS), year_count) + keep.shape)
        climate[:, :, ~keep] = np.nan
        members = np.zeros((member_count, year_count) + keep.shape)
        members[:, :, ~keep] = np.nan
        return cls(annual, np.zeros((len(REGIME_COUNTS),) + keep.shape), climate=climate, members=members)

    def __iadd__(self, other: "WindowSums") -> "WindowSums":
        self.annual += other.annual
        self.regimes += other.regimes
        self.pixel_steps += other.pixel_steps
        if other.climate is not None:
            self.climate = other.climate.copy() if self.climate is None else self.climate + other.climate
        if other.members is not None:
            self.members = other.members.copy() if self.members is None else self.members + other.members
        if other.forcing_counts:
            self.forcing_counts = merge_counts(self.forcing_counts or {}, other.forcing_counts)
        return self


def merge_counts(counts: dict, other: dict) -> dict:
    """Two tasks' forcing counts of one window: each step is counted by one task, so the larger value is the count."""
    return {name: np.maximum(counts[name], values) if name in counts else values for name, values in other.items()}


def kept_cells(mask: Optional[np.ndarray], shape: tuple, sea: Optional[np.ndarray] = None) -> np.ndarray:
    """Cells the run computes: all without a mask, else where the mask is finite and above 0; never the
    ``sea`` cells (land-sea mask below 0.5, or no soil water)."""
    keep = np.ones(shape, dtype=bool) if mask is None else np.isfinite(mask) & (mask > 0)
    return keep if sea is None else keep & ~np.asarray(sea, dtype=bool)


def counted_spans(year_of_step: np.ndarray, days: np.ndarray, chunk_steps: int = CHUNK_STEPS) -> list:
    """(output year index, first, stop) chunks of whole days over the counted steps, one year each.

    ``year_of_step`` gives each step's output year index, NEIGHBOUR_ONLY for steps only read as the
    neighbours of counted ones; runs of one year are cut into chunks of about ``chunk_steps`` steps.
    """
    year_of_step = np.asarray(year_of_step)
    starts = np.flatnonzero(np.r_[True, year_of_step[1:] != year_of_step[:-1]])
    stops = np.r_[starts[1:], len(year_of_step)]
    return [(int(year_of_step[a]), first, stop) for a, b in zip(starts, stops) if year_of_step[a] >= 0
            for first, stop in _day_chunks(days, int(a), int(b), chunk_steps)]



def window_sums(t0: np.ndarray, t10: np.ndarray, theta10: np.ndarray, hours: np.ndarray, days: np.ndarray,
                year_of_step: np.ndarray, year_count: int, step: int, params: ParameterSet,
                statics: Optional[dict] = None, progress: Optional[Callable[[float], None]] = None,
                is_cancelled: Optional[Callable[[], bool]] = None, extras: Optional[dict] = None,
                theta10_mapping: Optional[QuantileMapping] = None, into: Optional[WindowSums] = None,
                block_cells: int = COMPUTE_CELLS // COMPUTE_STEPS, members: Sequence[ParameterSet] = (),
                kept: Optional[KeptArrays] = None) -> WindowSums:
    """The flux scheme's sums over one window: pure, so it runs alike here and on a Dask worker.

    ``t0``, ``t10`` (degC) and ``theta10`` (m3 m-3) are (steps, rows, cols) stacks; ``hours`` (any
    origin), ``days`` (day numbers) and ``year_of_step`` (output year index in 0..year_count-1, or
    NEIGHBOUR_ONLY) hold one value per step. Steps marked NEIGHBOUR_ONLY are not summed but serve as
    the centred tendency's neighbours: give one such step before and after the counted ones wherever
    the series has one, and a window's sums equal those of a whole-series pass. ``statics``: the
    window's "soc", "ph", "salt" (for R3), "mask" and "sea" (cells left out as ocean) arrays. ``extras``:
    "rn" (W m-2) and "rain" (mm) per step, already de-accumulated, when the forcing has them: Rn joins
    the uptake-season criterion, both are summed into ``climate``. ``theta10_mapping``: a station's
    quantile mapping applied to theta10 before the R2 threshold. The counted steps are computed in
    chunks of whole days (bounded temporaries); ``progress`` gets the fraction of chunks done and
    ``is_cancelled`` is asked before each chunk. ``into``: the sums of the window's earlier steps, to which
    these are added span by span and which is returned (the same additions, so the same bits, however the
    steps are split into calls). ``block_cells``: cells computed at once (the bits do not depend on it).
    ``members``: the parameter sets of an ensemble, each summed into ``members`` (Rs only) from the same forcing
    arrays: the read is shared, each member costs its scheme's arithmetic. ``kept``: arrays kept for the blocks'
    temporaries from call to call (``core.kept_arrays``).
    """
    statics = statics or {}
    extras = extras or {}
    keep = kept_cells(statics.get("mask"), np.shape(t0)[1:], statics.get("sea"))
    result = WindowSums.zeros(year_count, keep, len(members)) if into is None else into
    if not keep.any():                  # nothing to compute where the mask leaves every cell out
        return result
    spans = counted_spans(year_of_step, days, COMPUTE_STEPS)
    blocks = cell_blocks(keep.shape, max(1, block_cells))
    done, total = 0, len(spans) * len(blocks)
    for rows, cols in blocks:
        block_keep = keep[rows, cols]
        if not block_keep.any():
            done += len(spans)
            continue
        block_statics = {key: value[rows, cols] for key, value in statics.items() if value is not None}
        block_extras = {key: value[:, rows, cols] for key, value in extras.items()}
        counted_cells = int(block_keep.sum())
        for year, first, stop in spans:
            check_cancel(is_cancelled)
            lo, hi = max(first - 1, 0), min(stop + 1, len(hours))
            theta = theta10[lo:hi, rows, cols]
            if theta10_mapping is not None:
                theta = theta10_mapping.apply(theta)
            rn = block_extras["rn"][lo:hi] if "rn" in block_extras else None
            sums, regimes, member_rs = chunk_sums(t0[lo:hi, rows, cols], t10[lo:hi, rows, cols], theta, first - lo,
                                                  hi - stop, hours[lo:hi], days[lo:hi], step, params, block_statics,
                                                  rn, members, kept)
            result.annual[:, year, rows, cols] += sums
            if members:
                result.members[:, year, rows, cols] += member_rs
            result.regimes[:, rows, cols] += np.where(block_keep, regimes, 0)
            if block_extras:
                result.climate[:, year, rows, cols] += climate_sums(block_extras, first, stop, block_keep.shape)
            result.pixel_steps += (stop - first) * counted_cells
            done += 1
            if progress:
                progress(done / total)
    return result


def cell_blocks(shape: tuple, cells: int) -> list:
    """(row slice, column slice) blocks of about ``cells`` cells covering a (rows, cols) window: whole rows
    when they fit. The sums of a cell do not depend on the block it falls in (``time_sum``)."""
    rows, cols = shape
    if cols <= cells:
        step = cells // cols
        return [(slice(r, min(r + step, rows)), slice(0, cols)) for r in range(0, rows, step)]
    return [(slice(r, r + 1), slice(c, min(c + cells, cols))) for r in range(rows) for c in range(0, cols, cells)]


def run_flux_scheme(forcing: Union[Era5Forcing, RasterStackForcing], params: ParameterSet, output: PathLike,
                    components_output: Optional[PathLike] = None, regimes_output: Optional[PathLike] = None,
                    soc: Optional[PathLike] = None, ph: Optional[PathLike] = None, salt: Optional[PathLike] = None,
                    mask: Optional[PathLike] = None, include_partial_years: bool = False,
                    vwc_scale: float = 1.0, budget_bytes: int = 256 * BYTES_PER_MB,
                    progress: Optional[Callable[[float], None]] = None,
                    is_cancelled: Optional[Callable[[], bool]] = None, accumulation: Optional[str] = None,
                    rain_output: Optional[PathLike] = None, rn_output: Optional[PathLike] = None,
                    land_sea_mask: Optional[PathLike] = None,
                    theta10_mapping: Optional[QuantileMapping] = None,
                    max_gap_hours: float = DEFAULT_MAX_GAP_HOURS, cluster: Optional[str] = None,
                    ensemble: Sequence[ParameterSet] = (), ensemble_output: Optional[PathLike] = None) -> FluxRunResult:
    """Compute annual sums of Rs (and optionally R1..R3 and regime fractions) into GeoTIFFs.

    ``soc``, ``ph``, ``salt`` and ``mask`` are raster paths or None; ``progress`` is called with a
    fraction in [0, 1]; ``is_cancelled`` returning True stops the run and removes every output.
    ``accumulation`` (auto, era5-land, era5; None reads no accumulated field) de-accumulates ssr + str
    into Rn for the uptake-season criterion and ``rn_output`` (mean Rn per year, W m-2), and tp into
    ``rain_output`` (mm a-1). ``land_sea_mask`` (an ERA5 lsm file or a raster; else the FORCING's lsm)
    leaves cells with lsm < 0.5 out, as ERA5's sea values of soil water do. ``theta10_mapping`` (a
    station's quantile mapping, exclusive with ``vwc_scale``) corrects theta10 before the R2 threshold.
    Gaps of up to ``max_gap_hours`` are filled linearly in time (``core.forcing_gaps``), counted per year in
    the band metadata (GAP_FILLED_CELL_STEPS); longer ones are nodata, said in the warnings.
    ``cluster`` (core.cluster: "", "local:N" or a Dask scheduler's address) runs the windows as Dask
    tasks; the outputs are the same. ``ensemble`` (parameter sets, e.g. a calibration's bootstrap replicates)
    is summed from the same reads of the forcing and written to the folder ``ensemble_output``, one annual-sum
    GeoTIFF per member in OUTPUT's layout (member_001.tif, ...: ``core.ensemble_files``).
    """
    ensemble = tuple(ensemble)
    _check_ensemble(params, ensemble, ensemble_output)
    forcing = GapFilledForcing(forcing, max_gap_hours)
    warnings_out = []
    step = forcing.step
    _check_options(forcing, params, vwc_scale, theta10_mapping)
    used, partial, skipped = _years_to_sum(forcing, include_partial_years, warnings_out)
    extras = plan_extra_fields(forcing, accumulation, bool(rain_output), bool(rn_output), warnings_out)
    statics = _open_statics(forcing.grid, params, soc, ph, salt, mask, warnings_out)
    warnings_out.extend(params.run_warnings())
    plan = _plan(forcing, used)
    summary = _Summary(len(plan.years))
    notes = [f"Regimes: uptake season when {extras.regime_criteria(params)}.",
             f"Accumulated fields: {extras.describe()}."]
    if theta10_mapping is not None:
        notes.append(f"THETA10_CORRECTION: {theta10_mapping.describe()}.")
    with ExitStack() as stack:
        land_sea = open_land_sea(forcing, land_sea_mask)
        stack.callback(land_sea.close)
        if land_sea.resampled:
            warnings_out.append(f"{land_sea.label} does not share the forcing grid: it is resampled to it (bilinear).")
        for source in statics.values():
            stack.callback(source.close)
        tags = _RunTags(extras.regime_criteria(params), extras.describe(),
                        theta10_mapping.describe() if theta10_mapping is not None else "none")
        outputs = _open_outputs(stack, forcing, used, partial, params, output, components_output, regimes_output,
                                rain_output, rn_output, tags)
        members = open_member_outputs(stack, ensemble_output, ensemble, forcing, used, partial) if ensemble else []
        session = stack.enter_context(open_cluster(cluster))
        windows, year_groups = _windows(forcing.grid, plan, extras, budget_bytes, session.workers,
                                        member_years=len(ensemble) * len(plan.years))

        def jobs():
            for window in windows:
                static = {name: source.read(window) for name, source in statics.items()}
                static["sea"] = land_sea.sea(window)          # once a window: it counts the ocean cells
                yield from (FluxJob(window, static, years) for years in year_groups)

        payload = FluxPayload(forcing, plan, params, extras, vwc_scale, theta10_mapping, ensemble,
                              read_ahead=session.choice.in_process)

        def consume(index, sums):
            forcing.put_counts(windows[index], sums.forcing_counts or {})
            for member, values in zip(members, sums.members):
                member.write(values, windows[index])
            summary.add(index, sums, outputs, windows[index])

        parts = _WindowParts(len(year_groups), consume)
        session.run(flux_window_task, jobs(), len(windows) * len(year_groups), payload, parts.add, progress,
                    is_cancelled)
        check_cancel(is_cancelled)
        _tag_filled_gaps(outputs, forcing.filled_by_year(), plan.years)
        _tag_filled_gaps(dict(enumerate(members)), forcing.filled_by_year(), plan.years)
    if ensemble:
        removed = remove_stale_members(ensemble_output, len(ensemble))
        if removed:
            notes.append(f"Removed {len(removed)} member file(s) a previous, larger ensemble left in "
                         f"{ensemble_output}.")
    notes += [land_sea.describe(), f"Forcing {forcing.describe()}."]
    warnings_out.extend(forcing.warnings())
    if ensemble:
        notes.append(f"Parameter ensemble: {len(ensemble)} members summed from the same reads of the forcing, "
                     f"written to {ensemble_output}.")
    if not session.choice.in_process:
        notes.append(f"Ran {len(windows) * len(year_groups)} tasks ({len(windows)} windows x {len(year_groups)} "
                     f"groups of years) on {session.choice.describe()} ({session.workers} worker(s)).")
    warnings_out.extend(summary.warnings(forcing, params, theta10_mapping))
    result = summary.result(plan.years, partial, skipped, step, warnings_out)
    result.ocean_cells, result.notes = land_sea.ocean_cells, notes
    return result


def _check_options(forcing, params, vwc_scale, theta10_mapping):
    if params.time_step_seconds is not None and params.time_step_seconds != forcing.step:
        raise InputError(f"Parameter file {params.source} was fitted at a {params.time_step_seconds:g} s "
                         f"step, but the forcing ({forcing.source}) has a {forcing.step} s step: fit the "
                         f"coefficients at this step, or resample the forcing to theirs.")
    if theta10_mapping is not None and vwc_scale != 1.0:
        raise InputError(f"VWC10_SCALE ({vwc_scale:g}) and VWC10_STATION (quantile mapping to station "
                         f"{theta10_mapping.station}) both correct theta10: give one of them.")


@dataclass
class _Plan:
    """The run's time axis cut into output years, compute spans (COMPUTE_STEPS, whole days) and read chunks
    (whole compute spans of one year, so a cell's sums add up in the same order whatever the chunks)."""
    years: list
    days: np.ndarray
    hours: np.ndarray
    year_of_step: np.ndarray
    spans: list
    chunks: list = None
    block_cells: int = COMPUTE_CELLS // COMPUTE_STEPS


def _plan(forcing, used) -> _Plan:
    days = day_index(forcing.times)
    hours = (forcing.times - forcing.times[0]) / SECONDS_PER_HOUR
    year_of_step = np.full(len(forcing.times), NEIGHBOUR_ONLY)
    for number, (_, first, stop) in enumerate(used):
        year_of_step[first:stop] = number
    spans = counted_spans(year_of_step, days, COMPUTE_STEPS)
    return _Plan([y for y, _, _ in used], days, hours, year_of_step, spans, _read_chunks(spans, CHUNK_STEPS))


def _read_chunks(spans: list, steps: int) -> list:
    """Consecutive compute spans of one year grouped into read chunks of at most ``steps`` steps (one at least)."""
    chunks = []
    for year, first, stop in spans:
        if chunks and chunks[-1][0] == year and stop - chunks[-1][1] <= steps:
            chunks[-1] = (year, chunks[-1][1], stop)
        else:
            chunks.append((year, first, stop))
    return chunks


def _windows(grid, plan: _Plan, extras: ExtraFields, budget_bytes: int, workers: int = 1,
             member_years: int = 0) -> tuple:
    """The windows and the groups of output years, (first, stop) year indices, of the run's tasks; and the read
    chunks in ``plan``. Windows are as large as the budget allows with chunks of at least MIN_READ_STEPS steps
    (forcing files hold a step's whole grid together: a wide window reads each step in few pieces, a narrow
    one in many). On a cluster, TASKS_PER_WORKER tasks per worker at least: the years are split first (each
    task then reads its own steps, whole), the windows only when there are too few years."""
    arrays = READ_ARRAYS_PER_STEP + (EXTRA_ARRAYS_PER_STEP if extras.any else 0)
    compute_cells = min(COMPUTE_CELLS, budget_bytes // (COMPUTE_SHARE * COMPUTE_ARRAYS * 8))
    plan.block_cells = max(1, compute_cells // COMPUTE_STEPS)
    budget = budget_bytes - COMPUTE_ARRAYS * 8 * compute_cells
    cells = grid.width * grid.height
    tasks = TASKS_PER_WORKER * workers if workers > 1 else 1
    groups = min(len(plan.years), tasks)
    cells = -(-cells // -(-tasks // groups))
    steps = int(min(max(budget // (cells * 8 * arrays) - 2, MIN_READ_STEPS), CHUNK_STEPS))
    plan.chunks = _read_chunks(plan.spans, steps)
    # an ensemble's sums (members x years float64 per cell) wait in memory until the window is written
    bytes_per_pixel = (max(stop - first for _, first, stop in plan.chunks) + 2) * 8 * arrays + 8 * member_years
    cuts = np.linspace(0, len(plan.years), groups + 1).round().astype(int)
    return (plan_windows(grid, bytes_per_pixel, min(budget, cells * bytes_per_pixel)),
            [(int(a), int(b)) for a, b in zip(cuts[:-1], cuts[1:])])


class _WindowParts:
    """A window's sums from its tasks (one per group of years) added up, then handed on once all have come: a
    task's sums are exact zeros in the years of the others, so the total is the same bits as one task's."""

    def __init__(self, groups: int, consume: Callable[[int, WindowSums], None]):
        self.groups, self.consume = groups, consume
        self.waiting = {}

    def add(self, index: int, sums: WindowSums) -> None:
        window, _ = divmod(index, self.groups)
        count, total = self.waiting.pop(window, (0, None))
        if total is None:
            total = sums
        else:
            total += sums
        if count + 1 == self.groups:
            self.consume(window, total)
        else:
            self.waiting[window] = (count + 1, total)


@dataclass
class FluxPayload:
    """What every window task of a run shares; picklable, so a cluster gets it once (core.cluster).

    ``members``: a parameter ensemble, summed from the same reads of the forcing as ``params``.
    """
    forcing: object
    plan: _Plan
    params: ParameterSet
    extras: ExtraFields
    vwc_scale: float = 1.0
    theta10_mapping: Optional[QuantileMapping] = None
    members: tuple = ()
    # read the next chunk on a second thread while this one is computed: in this process; a cluster's parallelism
    # is its workers, and a second thread in each would compete with the other workers for the cores
    read_ahead: bool = True
    # the arrays the forcing is read into, two sets (one read ahead), kept from window to window; not pickled
    # and the compute's temporaries
    buffers: tuple = field(default=None, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "buffers": None}

    def kept_arrays(self) -> tuple:
        """(read set A, read set B, compute's temporaries): the payload's in this process; on a cluster worker, whose
        every task unpickles its own payload, the worker thread's, kept from task to task."""
        if self.buffers is None:
            self.buffers = _worker_arrays() if not self.read_ahead else (KeptArrays(), KeptArrays(), KeptArrays())
        return self.buffers

    def close(self) -> None:
        """Let go of the forcing's file handles (a worker's copy, after its task)."""
        close = getattr(self.forcing, "close", None)
        if close is not None:
            close()


@dataclass
class FluxJob:
    """One window of a run and its static fields ("soc", "ph", "salt", "mask", "sea"), read by the client, and the
    output years (first, stop) the task sums (None: all)."""
    window: Window
    statics: dict
    years: Optional[tuple] = None


def flux_window_task(job: FluxJob, payload: FluxPayload, progress: Optional[Callable[[float], None]] = None,
                     is_cancelled: Optional[Callable[[], bool]] = None) -> WindowSums:
    """One window's sums: reads its forcing chunk by chunk (a one-step halo each side; the next chunk is read
    while this one is computed: GDAL releases the GIL) and sums each with ``window_sums``. A task of
    ``core.cluster``: runs alike in this process and on a Dask worker."""
    plan, window, static = payload.plan, job.window, job.statics
    keep = kept_cells(static.get("mask"), (window.height, window.width), static.get("sea"))
    sums = WindowSums.zeros(len(plan.years), keep, len(payload.members))
    if not keep.any():          # a window the mask leaves out entirely is not even read
        return sums
    first_year, stop_year = job.years or (0, len(plan.years))
    chunks = [chunk for chunk in plan.chunks if first_year <= chunk[0] < stop_year]
    buffers = payload.kept_arrays()         # the next chunk is read into the other set while this one is computed
    with ThreadPoolExecutor(max_workers=1) if payload.read_ahead else _InThisThread() as reader:
        pending = reader.submit(_read_chunk_fields, payload, window, *chunks[0][1:], buffers[0])
        for done, (year, _, _) in enumerate(chunks, start=1):
            check_cancel(is_cancelled)
            try:
                t0, t10, theta10, before, after, lo, extras = pending.result()
            except BaseException:
                # the future holds the error: with its traceback (this frame) a cycle that would keep the
                # forcing's GDAL handles alive until the garbage collector runs, perhaps after GDAL's shutdown
                del pending
                raise
            if done < len(chunks):
                pending = reader.submit(_read_chunk_fields, payload, window, *chunks[done][1:], buffers[done % 2])
            span = slice(lo, lo + len(t0))
            counted = np.full(len(t0), NEIGHBOUR_ONLY)
            counted[before:len(t0) - after] = year
            window_sums(t0, t10, theta10, plan.hours[span], plan.days[span], counted, len(plan.years),
                        payload.forcing.step, payload.params, static, extras=extras,
                        theta10_mapping=payload.theta10_mapping, into=sums, block_cells=plan.block_cells,
                        members=payload.members, kept=buffers[2])
            if progress:
                progress(done / len(chunks))
    take = getattr(payload.forcing, "take_counts", None)
    if take is not None:        # what the forcing counted here travels back with the sums (from a worker too)
        sums.forcing_counts = take(window)
    return sums


_THREAD = threading.local()


def _worker_arrays() -> tuple:
    if getattr(_THREAD, "kept", None) is None:
        _THREAD.kept = (KeptArrays(), KeptArrays(), KeptArrays())
    return _THREAD.kept


class _InThisThread:
    """An executor that runs what it is given at once, in this thread (``FluxPayload.read_ahead`` off)."""

    def __enter__(self):
        return self

    def __exit__(self, *error):
        return False

    @staticmethod
    def submit(function, *args) -> Future:
        future = Future()
        try:
            future.set_result(function(*args))
        except BaseException as error:      # raised by ``result()``, as from a thread
            future.set_exception(error)
        return future


def _read_chunk_fields(payload: FluxPayload, window: Window, first: int, stop: int,
                       buffers: Optional[KeptArrays] = None) -> tuple:
    """read_chunk's arrays and the chunk's Rn and rain (the halo step before is the predecessor ERA5-Land's
    de-accumulation needs)."""
    t0, t10, theta10, before, after, lo = read_chunk(payload.forcing, window, first, stop, payload.vwc_scale, buffers)
    extras = read_extra_fields(payload.forcing, payload.extras, lo, lo + len(t0), window)
    return t0, t10, theta10, before, after, lo, extras


def read_chunk(forcing: Union[Era5Forcing, RasterStackForcing], window: Window, first: int, stop: int,
               vwc_scale: float = 1.0, buffers: Optional[KeptArrays] = None) -> tuple:
    """Forcing for steps [first, stop) plus a one-step halo on each side where the series has one; in ``buffers``'
    arrays when given.

    Returns (t0, t10, theta10, halo_before, halo_after, lo) with ``lo`` the index of the first step read.
    """
    lo, hi = max(first - 1, 0), min(stop + 1, len(forcing.times))
    t0, t10, theta10 = forcing.read(lo, hi, window, buffers, packed=True)
    if vwc_scale != 1.0:
        theta10 *= vwc_scale
    return t0, t10, theta10, first - lo, hi - stop, lo


def chunk_sums(t0: np.ndarray, t10: np.ndarray, theta10: np.ndarray, before: int, after: int, hours: np.ndarray,
               days: np.ndarray, step: int, params: ParameterSet, static: dict,
               net_radiation: Optional[np.ndarray] = None, members: Sequence[ParameterSet] = (),
               kept: Optional[KeptArrays] = None) -> tuple:
    """Sums of R1, R2, R3 (g CO2 m-2) over the steps between the halos, the regime step counts, and the Rs sums
    of each of ``members`` (members, rows, cols; empty without), from the same arrays; temporaries in ``kept``.

    ``hours`` and ``days`` (and ``net_radiation``, W m-2, when known) cover the same steps as the arrays,
    halos included. R1 is summed from the sums of dT and of the tendency (``fs.heat_driven_sum``), R2 and R3 step by
    step; every sum adds a cell's steps in one order (``fs.time_sum``), so a cell's sums are the same bits whatever
    cells share its block.
    """
    shape = t0.shape[1:]
    cells = int(np.prod(shape))
    first, stop = before, len(hours) - after
    t0, t10, theta10 = (values.reshape(len(hours), cells) for values in (t0, t10, theta10))
    inner = _InnerSteps(t0[first:stop], t10[first:stop], theta10[first:stop], days[first:stop], params,
                        None if net_radiation is None else net_radiation[first:stop].reshape(stop - first, cells), kept)
    tendency = fs.tendency_sum(t0, t10, hours, first, stop)                      # (cells,)
    factor = step * GRAMS_CO2_PER_UMOL                  # fs.step_grams_co2, summed
    sums = np.stack([component * factor for component in inner.component_sums(params, tendency, static)])
    member_rs = np.empty((len(members), cells))
    for number, member in enumerate(members):
        member_rs[number] = sum(inner.component_sums(member, tendency, static)) * factor
    return sums.reshape((3,) + shape), inner.regimes().reshape((len(REGIME_COUNTS),) + shape), \
        member_rs.reshape((len(members),) + shape)


class _InnerSteps:
    """The counted steps of a chunk as (steps, cells) arrays and what their sums share: the daily and total dT, the
    uptake-season days, the moist steps (theta10 above theta_c) and whether no value is missing."""

    def __init__(self, t0, t10, theta10, days, params, net_radiation=None, kept=None):
        self.t0, self.t10, self.theta10, self.params, self.kept = t0, t10, theta10, params, kept
        self.starts, self.counts = day_runs(days)
        delta_t = np.subtract(t0, t10, out=kept_or_new(kept, "delta_t", t0.shape))
        daily_delta_t = np.add.reduceat(delta_t, self.starts, axis=0)                      # (days, cells)
        self.delta_t_sum = fs.time_sum(daily_delta_t)
        daily_delta_t /= self.counts[:, None]
        daily_rn = None if net_radiation is None else daily_means_of_present(net_radiation, days, broadcast=False)
        self.uptake_days = fs.uptake_season(daily_delta_t, params, daily_rn)
        self.moist = np.greater(theta10, params.theta_c, out=kept_or_new(kept, "moist", theta10.shape, bool))
        self.complete = bool(np.isfinite(self.delta_t_sum).all() and np.isfinite(np.sum(theta10)))

    def component_sums(self, params, tendency, static) -> tuple:
        """Sums of R1, R2, R3 (umol m-2 s-1 x steps) per cell under ``params``."""
        r1 = fs.heat_driven_sum(self.delta_t_sum, tendency, len(self.t0), params)
        moist = self.moist if params.theta_c == self.params.theta_c else self.theta10 > params.theta_c
        if self.complete and not moist.any():      # no step above theta_c: R2 is 0 (sand is dry most of the time)
            r2 = np.zeros_like(r1)
        else:
            r2 = fs.time_sum(fs.moisture_activated_flux(self.theta10, self.t10, params, self.kept))
        if not params.r3_active:            # R3 is zero: its sums are zero, nothing to compute
            return r1, r2, np.zeros_like(r1)
        if params.needs_soil_maps:
            soil = [np.reshape(static[key], -1) for key in ("soc", "ph", "salt")]
        else:
            soil = [params.soc_ref, params.ph_ref, params.salt_ref]
        r3 = fs.soil_property_flux(self.t10, *soil, params) * np.ones_like(self.t10)
        return r1, r2, fs.time_sum(r3)

    def regimes(self) -> np.ndarray:
        """Step counts in the order of REGIME_COUNTS (exact integers): counted day by day where no value is missing
        (the common case), step by step otherwise."""
        steps, cells = self.t0.shape
        if self.complete:
            uptake = (self.uptake_days * self.counts[:, None]).sum(axis=0)
            moist_days = np.add.reduceat(self.moist, self.starts, axis=0, dtype=np.int64)  # (days, cells)
            return np.stack([np.full(cells, steps), uptake, steps - uptake, moist_days.sum(axis=0),
                             (moist_days * self.uptake_days).sum(axis=0)])
        valid = np.isfinite(self.t0) & np.isfinite(self.t10) & np.isfinite(self.theta10)
        uptake = np.repeat(self.uptake_days, self.counts, axis=0) & valid
        moist = self.moist & valid
        valid_steps, uptake_steps = valid.sum(axis=0), uptake.sum(axis=0)
        return np.stack([valid_steps, uptake_steps, valid_steps - uptake_steps, moist.sum(axis=0),
                         (moist & uptake).sum(axis=0)])


class _Summary:
    """The run's totals over the windows written so far: mean annual flux, regime means, counts."""

    def __init__(self, year_count):
        self.totals = np.zeros(year_count)
        self.counts = np.zeros(year_count, dtype=np.int64)
        self.regime_sums = np.zeros(3)
        self.regime_cells = 0
        self.dry_season_steps = self.dry_season_wet_steps = 0.0
        self.pixel_steps = 0
        self.in_order = InOrder(lambda _, part: self._add(part))

    def add(self, index, sums, outputs, window):
        """Write window ``index``'s results now; add its totals in window order, so that they are the same
        whichever order a cluster's tasks finish in (only the small totals wait for earlier windows)."""
        rs = sums.annual.sum(axis=0)
        outputs["annual"].write(rs, window)
        if "components" in outputs:
            outputs["components"].write(sums.annual.reshape((-1,) + rs.shape[1:]), window)
        valid_steps = sums.regimes[REGIME_COUNTS.index("valid")]
        fractions = sums.regimes[1:4] / np.where(valid_steps > 0, valid_steps, np.nan)
        if "regimes" in outputs:
            outputs["regimes"].write(fractions, window)
        self._write_climate(sums.climate, outputs, window)
        valid = np.isfinite(rs)
        good = np.isfinite(fractions[0])
        self.in_order(index, (np.where(valid, rs, 0.0).sum(axis=(1, 2)), valid.sum(axis=(1, 2)),
                              fractions[:, good].sum(axis=1), int(good.sum()),
                              sums.regimes[REGIME_COUNTS.index("uptake")].sum(),
                              sums.regimes[REGIME_COUNTS.index("moist_uptake")].sum(), sums.pixel_steps))

    def _add(self, part):
        totals, counts, regime_sums, regime_cells, dry_steps, dry_wet_steps, pixel_steps = part
        self.totals += totals
        self.counts += counts
        self.regime_sums += regime_sums
        self.regime_cells += regime_cells
        self.dry_season_steps += dry_steps
        self.dry_season_wet_steps += dry_wet_steps
        self.pixel_steps += pixel_steps

    @staticmethod
    def _write_climate(climate, outputs, window):
        """Annual rain (sum of the hours with a value) and mean Rn per year, NaN without any value."""
        with np.errstate(invalid="ignore", divide="ignore"):
            for key, total, count, mean in (("rain", 0, 1, False), ("rn", 2, 3, True)):
                if key in outputs:
                    steps = climate[count]
                    values = climate[total] / np.where(steps > 0, steps, np.nan) if mean else climate[total]
                    outputs[key].write(np.where(steps > 0, values, np.nan), window)

    def warnings(self, forcing, params, theta10_mapping=None):
        found = []
        if self.counts.sum() == 0:
            found.append(f"Every cell is nodata in every year: the forcing ({forcing.source}) "
                         f"or the mask has no valid data.")
        wet_dry_season = self.dry_season_wet_steps / self.dry_season_steps if self.dry_season_steps else 0.0
        if wet_dry_season > 0.5:      # docs/SCIENCE.md section 3: sand should be below theta_c in the dry season
            corrected = " even after the quantile mapping to the station" if theta10_mapping is not None else ""
            found.append(f"theta10 exceeds theta_c = {params.theta_c} in {wet_dry_season:.0%} of the dry "
                         f"(uptake) season's steps{corrected}: reanalysis soil moisture in dune sand often sits "
                         f"above the threshold all year. Consider a station-based scaling (VWC10_SCALE) or a "
                         f"quantile mapping to a station's theta10 (VWC10_STATION) before trusting R2.")
        return found

    def result(self, years, partial, skipped, step, warnings_out):
        means = self.regime_sums / self.regime_cells if self.regime_cells else np.full(3, np.nan)
        return FluxRunResult(
            years=years, partial_years=partial, skipped_years=skipped,
            mean_annual_flux={y: (self.totals[i] / self.counts[i] if self.counts[i] else float("nan"))
                              for i, y in enumerate(years)},
            valid_cells={y: int(self.counts[i]) for i, y in enumerate(years)},
            regime_means=dict(zip(REGIME_BANDS, (float(m) for m in means))),
            pixel_steps=self.pixel_steps, step_seconds=step, warnings=warnings_out)


def _years_to_sum(forcing, include_partial_years, warnings_out):
    """(year, first, stop) of the years summed, the partial years, and those left out."""
    all_years = year_ranges(forcing.times, forcing.step)
    partial = [y for y, _, _, complete in all_years if not complete]
    used = [(y, a, b) for y, a, b, complete in all_years if complete or include_partial_years]
    if partial:
        warnings_out.append(
            f"Partial year(s) {partial} (the forcing runs from {iso(forcing.times[0])} to "
            f"{iso(forcing.times[-1])}): " + ("included and flagged PARTIAL_YEAR=yes in the band metadata."
                                             if include_partial_years else "left out of the output."))
    if not used:
        raise InputError(f"The forcing ({forcing.source}) covers no complete calendar year; include "
                         f"partial years to compute their (flagged) sums.")
    return used, partial, [] if include_partial_years else partial


@dataclass
class _RunTags:
    """What the outputs' metadata records about the run's choices."""
    regime_criteria: str
    accumulated: str
    theta10_correction: str


def _open_outputs(stack, forcing, used, partial, params, output, components_output, regimes_output,
                  rain_output=None, rn_output=None, tags: Optional[_RunTags] = None):
    """The output GeoTIFFs by role ("annual" Rs, optional "components", "regimes", "rain", "rn"), entered in
    ``stack``."""
    years = [y for y, _, _ in used]
    band_tags, dataset_tags = _annual_tags(forcing, used, partial, params)
    if tags is not None and tags.theta10_correction != "none":
        dataset_tags["THETA10_CORRECTION"] = tags.theta10_correction
    outputs = {"annual": AtomicGeoTiff(output, forcing.grid, [str(y) for y in years], band_tags, dataset_tags)}
    if components_output:
        outputs["components"] = AtomicGeoTiff(components_output, forcing.grid,
                                              [f"{c}_{y}" for c in ("R1", "R2", "R3") for y in years],
                                              band_tags * 3, dataset_tags)
    if regimes_output:
        with_rn = tags is not None and "Rn" in tags.regime_criteria
        regime_tags = {**dataset_tags, "net_radiation_used": "yes" if with_rn else "no (daily-mean dT criterion only)"}
        if tags is not None:
            regime_tags["REGIME_CRITERIA"] = tags.regime_criteria
        outputs["regimes"] = AtomicGeoTiff(regimes_output, forcing.grid, list(REGIME_BANDS),
                                           [{"units": "fraction of valid steps"}] * 3, regime_tags)
    for key, path, units, what in (("rain", rain_output, RAIN_UNITS, "annual precipitation, 1000 * tp summed"),
                                   ("rn", rn_output, RN_UNITS, "mean net radiation (ssr + str) / 3600 s")):
        if path:
            climate_tags = [{**t, "units": units} for t in band_tags]
            outputs[key] = AtomicGeoTiff(path, forcing.grid, [str(y) for y in years], climate_tags,
                                         {"forcing": forcing.source, "step_seconds": str(forcing.step),
                                          "quantity": what + " over the hours with a value",
                                          "accumulated_fields": tags.accumulated if tags else ""})
    for resource in outputs.values():
        stack.enter_context(resource)
    return outputs


def _check_ensemble(params, ensemble, ensemble_output):
    if ensemble and not ensemble_output:
        raise InputError("A parameter ensemble needs a folder to write its members to (OUTPUT_ENSEMBLE).")
    if ensemble_output and not ensemble:
        raise InputError(f"OUTPUT_ENSEMBLE ({ensemble_output}) is set but no parameter ensemble was given "
                         f"(PARAMETER_ENSEMBLE).")
    for member in ensemble:
        if member.time_step_seconds != params.time_step_seconds:
            raise InputError(f"Ensemble member {member.source} was fitted at a {member.time_step_seconds} s step, the "
                             f"central parameters ({params.source}) at {params.time_step_seconds} s: give an "
                             f"ensemble from the same calibration.")


def open_member_outputs(stack, folder, ensemble, forcing, used, partial) -> list:
    """One AtomicGeoTiff per member in ``folder`` (made if missing), each in OUTPUT's layout; entered in ``stack``."""
    paths, made = prepare_member_folder(folder, len(ensemble))
    if made:                # a run that fails leaves no empty folder behind (on success the members are in it)
        stack.callback(lambda: next(Path(folder).iterdir(), None) is None and Path(folder).rmdir())
    years = [str(y) for y, _, _ in used]
    outputs = []
    for path, member in zip(paths, ensemble):
        band_tags, dataset_tags = _annual_tags(forcing, used, partial, member)
        outputs.append(stack.enter_context(AtomicGeoTiff(path, forcing.grid, years, band_tags, dataset_tags)))
    return outputs


def _annual_tags(forcing, used, partial, params):
    """(band tags, dataset tags) of an annual-sum raster: OUTPUT's and each ensemble member's."""
    band_tags = [{"units": ANNUAL_UNITS, "year": str(y), "PARTIAL_YEAR": "yes" if y in partial else "no",
                  "steps": str(b - a)} for y, a, b in used]
    dataset_tags = {"parameters": params.source, "forcing": forcing.source, "step_seconds": str(forcing.step),
                    "sign": "positive = release to the atmosphere, negative = uptake",
                    "scheme": "Rs = R1 + R2 + R3 (docs/SCIENCE.md section 2)"}
    return band_tags, dataset_tags


def _tag_filled_gaps(outputs, filled_by_year, years):
    """GAP_FILLED_CELL_STEPS of each year's bands: the cell-steps of that year filled by interpolation."""
    for key, output in outputs.items():
        if key == "regimes":
            continue
        for band in range(1, len(output.band_names) + 1):
            year = years[(band - 1) % len(years)]
            output.update_band_tags(band, GAP_FILLED_CELL_STEPS=str(filled_by_year.get(year, 0)))


def _day_chunks(days, first, stop, chunk_steps=CHUNK_STEPS):
    """Split steps [first, stop) into chunks of whole days, each about ``chunk_steps`` steps long."""
    day_starts = first + np.flatnonzero(days[first + 1:stop] != days[first:stop - 1]) + 1
    chunks, begin = [], first
    for start in day_starts:
        if start - begin >= chunk_steps:
            chunks.append((begin, int(start)))
            begin = int(start)
    chunks.append((begin, stop))
    return chunks


def _open_statics(grid, params, soc, ph, salt, mask, warnings_out):
    sources = {}
    given = {"soc": soc, "ph": ph, "salt": salt}
    if params.needs_soil_maps:
        missing = [k.upper() for k, v in given.items() if not v]
        if missing:
            raise InputError(f"Parameter file {params.source} switches R3 on (a_soc, a_ph or a_salt is not "
                             f"zero), so the SOC, PH and SALT rasters are needed; missing: {missing}.")
        for key, path in given.items():
            sources[key] = ResampledInput(path, key.upper(), grid)
    elif any(given.values()):
        warnings_out.append("SOC, PH or SALT rasters were given but R3 is off (its coefficients are zero "
                            f"in {params.source}): they are not used.")
    if mask:
        sources["mask"] = ResampledInput(mask, "MASK", grid, categorical=True)
    for source in sources.values():
        if source.resampled:
            warnings_out.append(f"{source.label} does not share the forcing grid: it is resampled to it "
                                f"({'nearest' if source is sources.get('mask') else 'bilinear'}).")
    return sources

