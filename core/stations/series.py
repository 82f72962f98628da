"""A station series: the canonical columns on a regular time axis, where each came from, what the reader
found and dropped; averaging it to a coarser step, and the binned means that averaging shares with the
reader's handling of repeated timestamps and chamber ports."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import InputError
from .formats import CANONICAL_UNITS

SUPPORTED_STEPS = {1800: "half-hourly", 3600: "hourly", 86400: "daily"}


@dataclass(frozen=True)
class ColumnProvenance:
    """Where one canonical column came from; ``sources`` is empty when the column is absent."""
    canonical: str
    unit: str
    sources: tuple = ()
    weights: tuple = ()
    source_unit: str = ""
    source_depths_cm: tuple = ()        # None where the table does not say
    target_depth_cm: float = None
    method: str = "absent"
    note: str = ""

    def describe(self) -> str:
        """One line: the weighted source columns with their depths, the method and any note."""
        if not self.sources:
            return f"{self.canonical}: absent ({self.note})"
        parts = []
        for name, weight, depth in zip(self.sources, self.weights, self.source_depths_cm):
            at = f" @ {depth:g} cm" if depth is not None else ""
            parts.append(f"{weight:.4g} x {name}{at}")
        text = (f"{self.canonical} [{self.unit}] = {' + '.join(parts)} ({self.method}; source unit "
                f"{self.source_unit})")
        return text + (f"; {self.note}" if self.note else "")


@dataclass(frozen=True)
class Finding:
    count: int
    rows: tuple = ()                    # the first few: 'line 57' in a file, 'row 3' in memory


@dataclass(frozen=True)
class Binning:
    """Irregular samples averaged into steps: the spacing found, the step, and the samples per step
    (minimum, median and maximum over the steps that have samples; steps with none)."""
    spacing: int                        # most common spacing of the timestamps as read, s
    step: int                           # the step the samples were averaged into, s
    samples: int                        # (port, time) samples averaged
    min: int
    median: float
    max: int
    empty: int                          # steps without a sample (missing in the series)

    @classmethod
    def of(cls, spacing: int, step: int, counts: np.ndarray) -> Binning:
        filled = counts[counts > 0]
        return cls(int(spacing), int(step), int(counts.sum()), int(filled.min()), float(np.median(filled)),
                   int(filled.max()), int((counts == 0).sum()))

    def describe(self) -> str:
        return (f"irregular samples (most common spacing {self.spacing} s) averaged into "
                f"{SUPPORTED_STEPS.get(self.step, f'{self.step} s')} steps of {self.step} s: {self.samples} "
                f"samples; per step min {self.min}, median {self.median:g}, max {self.max}; {self.empty} steps "
                f"without a sample")


@dataclass
class StationReport:
    rows_read: int
    step_found: int                     # seconds, of the table as read
    first_time: str
    last_time: str
    steps: int                          # length of the regular axis, gaps included
    gaps: list                          # (first missing step as ISO text, number of missing steps)
    duplicated: Finding                 # rows whose (port, time) repeats an earlier row
    non_monotonic: Finding              # rows earlier than the row before them (same port)
    missing_share: dict                 # every column but the time column, over all rows read
    out_of_range: dict                  # source column -> Finding of values outside PHYSICAL_RANGE
    out_of_range_action: str            # 'drop' (set missing) or 'keep'
    dropped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    binning: Binning = None             # how irregular samples were averaged into steps (None: not binned)
    warnings: list = field(default_factory=list)    # doubts the user should see (a flux unit that fits badly)


@dataclass
class StationSeries:
    source: str
    table_format: str                   # 'ameriflux_base', 'fluxnet2015', 'cosore' or 'generic'
    times: np.ndarray                   # int64 s, table clock, start of each interval, regular
    step: int
    columns: dict                       # canonical name -> float64 array, NaN where missing
    provenance: dict                    # canonical name -> ColumnProvenance (absent ones too)
    report: StationReport
    utc_offset_hours: float = None
    station_id: str = None
    station_name: str = None
    latitude: float = None
    longitude: float = None
    elevation: float = None
    samples_per_step: np.ndarray = None     # samples averaged into each step when binned (None: not binned)

    @property
    def units(self) -> dict[str, str]:
        return {name: CANONICAL_UNITS[name] for name in self.columns}

    @property
    def times_utc(self) -> np.ndarray:
        if self.utc_offset_hours is None:
            raise InputError(f"{self.source}: the UTC offset of the timestamps is unknown; give "
                             f"utc_offset_hours (local standard time minus UTC, e.g. 8 for Xinjiang).")
        return self.times - int(round(self.utc_offset_hours * 3600))

    def summary(self) -> str:
        """What was read, found and dropped, a line each, for a log or a tooltip."""
        r = self.report
        offset = "unknown" if self.utc_offset_hours is None else f"{self.utc_offset_hours:+g} h"
        lines = [f"{self.source} ({self.table_format}), station {self.station_id or '?'}",
                 f"{r.rows_read} rows read; {SUPPORTED_STEPS.get(r.step_found, f'{r.step_found} s')} step found; "
                 f"{r.first_time} to {r.last_time} (table clock, UTC offset {offset}); "
                 f"{len(self.times)} steps of {self.step} s",
                 f"gaps: {len(r.gaps)} ({sum(n for _, n in r.gaps)} missing steps); duplicated "
                 f"timestamps: {r.duplicated.count}; out of order: {r.non_monotonic.count}"]
        lines += [p.describe() for p in self.provenance.values()]
        lines += [f"{name}: {share:.1%} missing" for name, share in r.missing_share.items() if share]
        lines += [f"out of range ({r.out_of_range_action}): {name}: {f.count}"
                  for name, f in r.out_of_range.items()]
        return "\n".join(lines + r.dropped + r.notes + [f"warning: {w}" for w in r.warnings])



def resample(series: StationSeries, step: int, min_coverage: float = 1.0) -> StationSeries:
    """Average a series to a coarser step: half-hourly to hourly, or any of them to daily.

    A target step keeps its value when at least ``min_coverage`` of its native steps have one:
    with the default 1.0 an hour with one missing half-hour is missing; 0.5 keeps it as the other
    half. Precipitation is summed, as the mean of the present steps times the steps per target
    step. Bins follow the series' clock, so a day is a local standard day.
    """
    if step not in (3600, 86400) or step % series.step or step < series.step:
        raise InputError(f"{series.source}: cannot resample a {series.step} s series to {step} s; "
                         f"the target must be 3600 or 86400 s and a multiple of the series step.")
    if not 0.0 < min_coverage <= 1.0:
        raise InputError(f"min_coverage must lie in (0, 1], not {min_coverage}.")
    per_bin = step // series.step
    bins = series.times // step
    index = bins - bins[0]
    count = int(index[-1]) + 1
    columns = {}
    for name, values in series.columns.items():
        mean, present = binned_mean(index, count, values)
        keep = present >= min_coverage * per_bin - 1e-9
        columns[name] = np.where(keep, mean * (per_bin if name == "p" else 1), np.nan)
    note = (f"resampled from {series.step} s to {step} s: a step needs {min_coverage:.0%} of its "
            f"{per_bin} native steps; precipitation summed, the rest averaged")
    report = replace(series.report, notes=series.report.notes + [note])
    times = (bins[0] + np.arange(count, dtype=np.int64)) * step
    samples = (None if series.samples_per_step is None
               else np.bincount(index, weights=series.samples_per_step, minlength=count).astype(np.int64))
    return replace(series, times=times, step=step, columns=columns, report=report, samples_per_step=samples)


def binned_mean(index: np.ndarray, size: int, values: np.ndarray) -> tuple:
    """Mean of the present values in each bin (NaN for an empty bin) and how many were present."""
    present = np.isfinite(values)
    n = np.bincount(index, weights=present, minlength=size)
    total = np.bincount(index, weights=np.where(present, values, 0.0), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / n, np.nan), n


def group_mean(keys: np.ndarray, arrays: dict) -> tuple:
    """Unique keys, the index of each key's first row, and the NaN-ignoring mean of each array."""
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    means = {name: binned_mean(inverse, unique.size, values)[0] for name, values in arrays.items()}
    return unique, first, means

