"""Run the flux scheme over a forcing stack, window by window, into annual-sum rasters.

Memory is bounded by ``budget_bytes`` whatever the raster's size: the grid is cut into windows and
each calendar year into chunks of whole days, and only per-window accumulators persist. A one-step
halo around each chunk keeps the centred temperature tendency identical to a whole-series pass.
"""
from contextlib import ExitStack
from dataclasses import dataclass, field

import numpy as np

from . import fluxscheme as fs
from .errors import InputError, check_cancel
from .grid import plan_windows
from .raster_io import AtomicGeoTiff, ResampledInput
from .timeaxis import day_index, iso, year_ranges

ANNUAL_UNITS = "g CO2 m-2 a-1"
WORKING_ARRAYS_PER_STEP = 24        # float64 arrays alive per pixel-step while a chunk is computed
CHUNK_STEPS = 768                   # 32 days of hourly steps
REGIME_BANDS = ("uptake_fraction", "release_fraction", "moisture_activated_fraction")


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


def run_flux_scheme(forcing, params, output, components_output=None, regimes_output=None,
                    soc=None, ph=None, salt=None, mask=None, include_partial_years=False,
                    vwc_scale=1.0, budget_bytes=256 * 2**20, progress=None, is_cancelled=None):
    """Compute annual sums of Rs (and optionally R1..R3 and regime fractions) into GeoTIFFs.

    ``soc``, ``ph``, ``salt`` and ``mask`` are raster paths or None; ``progress`` is called with a
    fraction in [0, 1]; ``is_cancelled`` returning True stops the run and removes every output.
    """
    warnings_out = []
    step = forcing.step
    if params.time_step_seconds is not None and params.time_step_seconds != step:
        raise InputError(f"Parameter file {params.source} was fitted at a {params.time_step_seconds:g} s "
                         f"step, but the forcing ({forcing.source}) has a {step} s step: fit the "
                         f"coefficients at this step, or resample the forcing to theirs.")
    all_years = year_ranges(forcing.times, step)
    partial = [y for y, _, _, complete in all_years if not complete]
    used = [(y, a, b) for y, a, b, complete in all_years if complete or include_partial_years]
    skipped = [] if include_partial_years else partial
    if partial:
        warnings_out.append(
            f"Partial year(s) {partial} (the forcing runs from {iso(forcing.times[0])} to "
            f"{iso(forcing.times[-1])}): " + ("included and flagged PARTIAL_YEAR=yes in the band metadata."
                                             if include_partial_years else "left out of the output."))
    if not used:
        raise InputError(f"The forcing ({forcing.source}) covers no complete calendar year; include "
                         f"partial years to compute their (flagged) sums.")

    statics = _open_statics(forcing.grid, params, soc, ph, salt, mask, warnings_out)
    days = day_index(forcing.times)
    hours = (forcing.times - forcing.times[0]) / 3600.0
    chunks = [(year_number, chunk) for year_number, (_, first, stop) in enumerate(used)
              for chunk in _day_chunks(days, first, stop)]
    longest = max(b - a for _, (a, b) in chunks) + 2
    windows = plan_windows(forcing.grid, longest * 8 * WORKING_ARRAYS_PER_STEP, budget_bytes)
    years = [y for y, _, _ in used]
    band_tags = [{"units": ANNUAL_UNITS, "year": str(y), "PARTIAL_YEAR": "yes" if y in partial else "no",
                  "steps": str(b - a)} for y, a, b in used]
    dataset_tags = {"parameters": params.source, "forcing": forcing.source, "step_seconds": str(step),
                    "sign": "positive = release to the atmosphere, negative = uptake",
                    "scheme": "Rs = R1 + R2 + R3 (SCIENCE.md section 2)"}
    totals = np.zeros(len(used))
    counts = np.zeros(len(used), dtype=np.int64)
    regime_sums = np.zeros(3)
    regime_cells = 0
    dry_season_steps = dry_season_wet_steps = 0.0
    pixel_steps = 0
    work = len(windows) * len(chunks)
    done = 0

    outputs = [AtomicGeoTiff(output, forcing.grid, [str(y) for y in years], band_tags, dataset_tags)]
    if components_output:
        outputs.append(AtomicGeoTiff(components_output, forcing.grid,
                                     [f"{c}_{y}" for c in ("R1", "R2", "R3") for y in years],
                                     band_tags * 3, dataset_tags))
    if regimes_output:
        outputs.append(AtomicGeoTiff(regimes_output, forcing.grid, list(REGIME_BANDS),
                                     [{"units": "fraction of valid steps"}] * 3,
                                     {**dataset_tags, "net_radiation_used": "no (daily-mean dT criterion only)"}))
    with ExitStack() as stack:
        for resource in outputs:
            stack.enter_context(resource)
        for source in statics.values():
            stack.callback(source.close)
        for window in windows:
            shape = (window.height, window.width)
            annual = np.zeros((3, len(used)) + shape)
            # valid, uptake, release, moisture-activated, moisture-activated in the (dry) uptake season
            regime_counts = np.zeros((5,) + shape)
            static = {name: source.read(window) for name, source in statics.items()}
            keep = np.ones(shape, dtype=bool)
            if "mask" in static:
                keep = np.isfinite(static["mask"]) & (static["mask"] > 0)
            for year_number, (first, stop) in chunks:
                check_cancel(is_cancelled)
                if keep.any():
                    t0, t10, theta10, before, after, lo = read_chunk(forcing, window, first, stop, vwc_scale)
                    span = slice(lo, lo + len(t0))
                    r_sums, regimes = chunk_sums(t0, t10, theta10, before, after, hours[span], days[span],
                                                 step, params, static)
                    annual[:, year_number] += r_sums
                    regime_counts += regimes
                    pixel_steps += (stop - first) * int(keep.sum())
                done += 1
                if progress:
                    progress(done / work)
            annual[:, :, ~keep] = np.nan
            rs = annual.sum(axis=0)
            outputs[0].write(rs, window)
            if components_output:
                outputs[1].write(annual.reshape((-1,) + shape), window)
            fractions = regime_counts[1:4] / np.where(regime_counts[0] > 0, regime_counts[0], np.nan)
            fractions[:, ~keep] = np.nan
            if regimes_output:
                outputs[-1].write(fractions, window)
            valid = np.isfinite(rs)
            totals += np.where(valid, rs, 0.0).sum(axis=(1, 2))
            counts += valid.sum(axis=(1, 2))
            good = np.isfinite(fractions[0])
            regime_sums += fractions[:, good].sum(axis=1)
            regime_cells += int(good.sum())
            dry_season_steps += regime_counts[1][keep].sum()
            dry_season_wet_steps += regime_counts[4][keep].sum()
        check_cancel(is_cancelled)

    if counts.sum() == 0:
        warnings_out.append(f"Every cell is nodata in every year: the forcing ({forcing.source}) "
                            f"or the mask has no valid data.")
    means = regime_sums / regime_cells if regime_cells else np.full(3, np.nan)
    wet_dry_season = dry_season_wet_steps / dry_season_steps if dry_season_steps else 0.0
    if wet_dry_season > 0.5:      # SCIENCE.md section 3: sand should be below theta_c in the dry season
        warnings_out.append(f"theta10 exceeds theta_c = {params.theta_c} in {wet_dry_season:.0%} of the dry "
                            f"(uptake) season's steps: reanalysis soil moisture in dune sand often sits above "
                            f"the threshold all year. Consider a station-based scaling (VWC10_SCALE) before "
                            f"trusting R2.")
    return FluxRunResult(
        years=years, partial_years=partial, skipped_years=skipped,
        mean_annual_flux={y: (totals[i] / counts[i] if counts[i] else float("nan")) for i, y in enumerate(years)},
        valid_cells={y: int(counts[i]) for i, y in enumerate(years)},
        regime_means=dict(zip(REGIME_BANDS, (float(m) for m in means))),
        pixel_steps=pixel_steps, step_seconds=step, warnings=warnings_out)


def read_chunk(forcing, window, first, stop, vwc_scale=1.0):
    """Forcing for steps [first, stop) plus a one-step halo on each side where the series has one.

    Returns (t0, t10, theta10, halo_before, halo_after, lo) with ``lo`` the index of the first step read.
    """
    lo, hi = max(first - 1, 0), min(stop + 1, len(forcing.times))
    t0, t10, theta10 = forcing.read(lo, hi, window)
    return t0, t10, theta10 * vwc_scale, first - lo, hi - stop, lo


def chunk_sums(t0, t10, theta10, before, after, hours, days, step, params, static):
    """Sums of R1, R2, R3 (g CO2 m-2) over the steps between the halos, and the regime step counts.

    ``hours`` and ``days`` cover the same steps as the arrays, halos included.
    """
    tendency = fs.mean_temperature_tendency(t0, t10, hours)
    inner = slice(before, len(hours) - after)
    t0, t10, theta10, tendency = t0[inner], t10[inner], theta10[inner], tendency[inner]
    components = fs.flux_components(t0, t10, theta10, tendency, params,
                                    static.get("soc"), static.get("ph"), static.get("salt"))
    sums = np.stack([fs.step_grams_co2(r, step).sum(axis=0) for r in components])
    valid = np.isfinite(t0) & np.isfinite(t10) & np.isfinite(theta10)
    uptake, moist = fs.regime_masks(t0, t10, theta10, days[inner], params)
    regimes = np.stack([valid.sum(axis=0), (uptake & valid).sum(axis=0), (~uptake & valid).sum(axis=0),
                        (moist & valid).sum(axis=0), (moist & uptake & valid).sum(axis=0)])
    return sums, regimes


def _day_chunks(days, first, stop):
    """Split steps [first, stop) into chunks of whole days, each about CHUNK_STEPS steps long."""
    day_starts = first + np.flatnonzero(days[first + 1:stop] != days[first:stop - 1]) + 1
    chunks, begin = [], first
    for start in day_starts:
        if start - begin >= CHUNK_STEPS:
            chunks.append((begin, int(start)))
            begin = int(start)
    chunks.append((begin, stop))
    return chunks


def _open_statics(grid, params, soc, ph, salt, mask, warnings_out):
    sources = {}
    given = {"soc": soc, "ph": ph, "salt": salt}
    if params.r3_active:
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

