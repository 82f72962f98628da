"""The time axis of a station table: timestamps parsed in the formats stations write, the UTC offset the
table states (or its DESCRIPTION.txt's time zone), and the regular axis laid out from rows that may repeat,
come out of order or leave gaps."""
from __future__ import annotations

import calendar
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..timeaxis import iso
from .series import SUPPORTED_STEPS, Binning, Finding, binned_mean, group_mean

if TYPE_CHECKING:                       # for the annotations only: both modules import this one
    from .reader import _Log
    from .table import Table

MIN_SPAN_SECONDS = 2 * 86400            # calibration needs the diel cycle at least twice
DEFAULT_BIN_STEP = 3600                 # irregular samples are averaged hourly unless a step is asked for
STEP_PARAMETER = "STEP"                 # the Processing parameter that sets the step messages point to
TIME_FORMATS = (
    ("YYYYMMDDHHMM", re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})()$")),
    ("YYYYMMDD", re.compile(r"(\d{4})(\d{2})(\d{2})()()()$")),
    ("YYYY-MM-DD HH:MM[:SS]",
     re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?Z?$")),
    ("YYYY-MM-DD", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})()()()$")),
    # a European spreadsheet's own date format
    ("DD.MM.YYYY HH:MM[:SS]", re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})[ T](?P<H>\d{1,2}):(?P<M>\d{2})"
                                         r"(?::(?P<S>\d{2}))?$")),
)
DAY_FIRST_ORDER = ("y", "m", "d", "H", "M", "S")


def _time_text(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))                   # YYYYMMDDHHMM read as a number by a layer provider
    return "" if value is None else str(value).strip()


def parse_times(table: Table, name: str) -> np.ndarray:
    """Epoch seconds of each row's timestamp in column ``name``; one format per column."""
    values = table.columns[name]
    out = np.empty(len(values), dtype=np.int64)
    first_format = None
    seen = {}                                    # chamber ports repeat each timestamp
    for row, value in enumerate(values):
        text = _time_text(value)
        if text in seen:
            out[row] = seen[text]
            continue
        if not text:
            raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: the timestamp is "
                             f"missing.")
        found = next(((label, match) for label, pattern in TIME_FORMATS if (match := pattern.match(text))), None)
        if found is None:
            raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {text!r} is not a "
                             f"timestamp in a known format ({', '.join(f for f, _ in TIME_FORMATS)}).")
        format_name, match = found
        if first_format is None:
            first_format = (format_name, row, text)
        elif format_name != first_format[0]:
            raise InputError(f"{table.source}: column {name!r} mixes timestamp formats: "
                             f"{table.label(first_format[1])} has {first_format[2]!r} ({first_format[0]}) "
                             f"but {table.label(row)} has {text!r} ({format_name}); use one format.")
        groups = [match.group(key) for key in DAY_FIRST_ORDER] if match.re.groupindex else match.groups()
        parts = [int(g) if g else 0 for g in groups]
        try:
            datetime(*parts)                      # rejects month 13, hour 24 and the like
        except ValueError as error:
            raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {text!r} is not a "
                             f"valid time ({error}).") from None
        out[row] = seen[text] = calendar.timegm((*parts, 0, 0, 0))
    return out


def utc_offset(table: Table, time_column: str, times: np.ndarray, rows: np.ndarray, given: float | None) -> tuple:
    """(hours or None, how it is known); the table's own evidence must agree with a given offset."""
    found = None
    utc_column = time_column[:-len("_LOCAL")] + "_UTC" if time_column.endswith("_LOCAL") else None
    if utc_column in table.columns:
        differences = times - parse_times(table, utc_column)[rows]
        changed = np.flatnonzero(differences != differences[0])
        if changed.size:
            raise InputError(f"{table.source}: {time_column} and {utc_column} differ by "
                             f"{differences[0]} s at {table.label(rows[0])} but by "
                             f"{differences[changed[0]]} s at {table.label(rows[changed[0]])}; local "
                             f"standard time keeps one offset.")
        found = (float(differences[0]) / 3600.0, f"{time_column} minus {utc_column}")
    elif time_column.endswith("_UTC"):
        found = (0.0, f"{time_column} is UTC")
    else:
        for key, value in table.metadata.items():
            normalized = key.lower().replace("_", "").replace(" ", "")
            if normalized in ("utcoffset", "timezoneoffset"):
                number = re.search(r"[-+]?\d+(?:\.\d+)?", value)
                if number:
                    found = (float(number.group()), f"header line '{key}: {value}'")
            elif normalized == "csrtimezone":
                hours = _standard_offset_hours(value)
                if hours is not None:
                    found = (hours, f"standard time of {value} (DESCRIPTION.txt)")
    if given is not None:
        if found is not None and abs(found[0] - given) > 1e-9:
            raise InputError(f"{table.source}: the UTC offset given (parameter UTC_OFFSET_HOURS, {given:+g} h) "
                             f"contradicts the table, whose offset is {found[0]:+g} h ({found[1]}); leave "
                             f"UTC_OFFSET_HOURS empty to take the table's.")
        return float(given), "given by the caller"
    return found if found else (None, "unknown")


def _standard_offset_hours(zone_name):
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    moment = datetime(2001, 1, 1)
    return (zone.utcoffset(moment) - zone.dst(moment)).total_seconds() / 3600.0



@dataclass
class Axis:
    """The regular axis of a table and where its distinct timestamps sit on it."""
    times: np.ndarray           # the regular axis
    step: int
    position: np.ndarray        # index on the axis of each distinct timestamp found (each step when binned)
    values: dict                # source column -> value at each distinct timestamp (each step when binned)
    gaps: list
    duplicated: Finding
    non_monotonic: Finding
    spacing: int = None         # the most common spacing of the timestamps as read
    binning: Binning = None     # how irregular samples were averaged into steps (None: not binned)
    samples: np.ndarray = None  # samples ((port, time) rows) in each step when binned


def _bin_target(step_option, spacing, regular, source, time_column, step_name):
    """The step to average samples into, or None to lay the table out as it is (regular, not binned)."""
    if step_option is None:
        return None
    if step_option == "auto":
        if regular:
            return None
        return spacing if spacing in SUPPORTED_STEPS else DEFAULT_BIN_STEP
    if step_option not in SUPPORTED_STEPS:
        raise InputError(f"the step to average samples into must be one of "
                         f"{', '.join(f'{s} s ({n})' for s, n in SUPPORTED_STEPS.items())}, not {step_option!r}.")
    if regular and spacing == step_option:
        return None
    if regular and spacing > step_option:
        raise InputError(f"{source}: column {time_column!r}: the table's step is {spacing} s, coarser than the "
                         f"{step_option} s asked for in {step_name}; choose {SUPPORTED_STEPS[spacing]} or "
                         f"auto.")
    return step_option


def _irregular_hint(step_name):
    return (f" To average the samples in each step, set {step_name} to hourly, half-hourly or daily (auto: the "
            f"table's own step when it is one of these, else hourly).")


def regular_axis(table: Table, time_column: str, rows: np.ndarray, ports: np.ndarray, times: np.ndarray,
                 converted: dict, duplicates: str, time_marks: str, log: _Log, step_option=None,
                 step_name: str = STEP_PARAMETER, summed: frozenset = frozenset()) -> Axis:
    """Sort, resolve repeated timestamps, average ports, find the step and lay out a regular axis.

    ``step_option``: None lays out regular tables only (today's rule: the most common spacing must be
    half-hourly, hourly or daily and every timestamp on its grid); 'auto' does the same for regular tables
    and averages irregular samples into steps of the spacing found when it is a supported one, else hourly;
    1800, 3600 or 86400 averages samples into steps of that length unless the table is regular at it.
    ``step_name`` is the parameter messages tell the user to set; ``summed`` are source columns (precipitation)
    whose binned value is the sum of the samples, not their mean.
    """
    source = table.source
    backwards = [members[1:][np.diff(times[members]) < 0]
                 for members in (np.flatnonzero(ports == p) for p in np.unique(ports))]
    backwards = np.sort(np.concatenate(backwards))
    if backwards.size:
        log.notes.append(f"{backwards.size} rows are earlier than the row before them; rows sorted by time")
    order = np.lexsort((np.arange(rows.size), times, ports))
    repeat = np.r_[False, (np.diff(times[order]) == 0) & (np.diff(ports[order]) == 0)]
    repeated = np.sort(order[repeat])
    if repeated.size:
        if duplicates == "error":
            at = np.flatnonzero(repeat)[0]
            raise InputError(f"{source}: column {time_column!r}: {table.label(rows[order[at]])} repeats "
                             f"the timestamp {iso(times[order[at]])} of {table.label(rows[order[at - 1]])}.")
        log.dropped.append(f"{repeated.size} rows repeat an earlier timestamp"
                           + (", averaged with it" if duplicates == "mean" else "; the first row was kept")
                           + f" ({', '.join(table.labels(rows[repeated]))})")
        _warn_differing_repeats(table, time_column, rows, order, repeat, times, converted, duplicates, log)
    keep = order if duplicates == "mean" else order[~repeat]
    # (port, time) as one integer key: ports in the high bits, times from the earliest upward.
    earliest = times.min()
    slot_keys = ports[keep] * (1 << 40) + (times[keep] - earliest)
    slots, slot_first, slot_values = group_mean(slot_keys, {c: v[keep] for c, v in converted.items()})
    distinct, time_first, values = group_mean(slots % (1 << 40) + earliest, slot_values)
    first_row = rows[keep[slot_first[time_first]]]
    duplicated = Finding(int(repeated.size), table.labels(rows[repeated]))
    non_monotonic = Finding(int(backwards.size), table.labels(rows[backwards]))

    if distinct.size < 2:
        raise InputError(f"{source}: column {time_column!r} holds a single timestamp "
                         f"({iso(distinct[0])}); at least {MIN_SPAN_SECONDS // 86400} days are needed.")
    # The step is the most common spacing within each port: ports averaged at their own times (a
    # multiplexed chamber, port 1 at :00 and port 3 at :30) are hourly, not half-hourly.
    slot_times, slot_ports = slots % (1 << 40) + earliest, slots // (1 << 40)
    within = np.diff(slot_times)[np.diff(slot_ports) == 0]
    spacings, counts = np.unique(within if within.size else np.diff(distinct), return_counts=True)
    step = int(spacings[np.argmax(counts)])
    misaligned = np.flatnonzero((distinct - distinct[0]) % step)
    regular = step in SUPPORTED_STEPS and not misaligned.size
    target = _bin_target(step_option, step, regular, source, time_column, step_name)
    if target is not None:
        return _binned_axis(source, time_column, distinct, values, slot_times, step, target,
                            time_marks, log, duplicated, non_monotonic, summed)
    if step not in SUPPORTED_STEPS:
        raise InputError(f"{source}: column {time_column!r}: the most common spacing of timestamps is "
                         f"{step} s; supported steps are half-hourly (1800 s), hourly (3600 s) and "
                         f"daily (86400 s)." + _irregular_hint(step_name))
    if misaligned.size:
        i = misaligned[0]
        raise InputError(f"{source}: column {time_column!r}, {table.label(first_row[i])}: "
                         f"{iso(distinct[i])} is off the {step} s grid that starts at {iso(distinct[0])}."
                         + _irregular_hint(step_name))
    if time_marks == "end":
        distinct = distinct - step
        log.notes.append(f"{time_column} marks the end of each interval; times moved to the start")
    steps = int((distinct[-1] - distinct[0]) // step) + 1
    _check_span(source, time_column, steps, step, distinct)
    grid = distinct[0] + np.arange(steps, dtype=np.int64) * step
    position = (distinct - distinct[0]) // step
    absent = np.ones(steps, dtype=bool)
    absent[position] = False
    return Axis(grid, step, position, values, _gap_runs(grid, absent), duplicated, non_monotonic, spacing=step)


def _warn_differing_repeats(table, time_column, rows, order, repeat, times, converted, duplicates, log):
    """A warning when rows that repeat a timestamp hold other values than the row they repeat: how many, where
    the first is and what was kept (``duplicates`` 'first' keeps the first row, 'mean' averages them)."""
    positions = np.arange(order.size)
    kept = np.maximum.accumulate(np.where(repeat, 0, positions))      # the first row of each timestamp
    differing = np.zeros(order.size, dtype=bool)
    for values in converted.values():
        a, b = values[order], values[order[kept]]
        differing |= repeat & ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if not differing.any():
        return
    at = int(np.flatnonzero(differing)[0])
    first, repeating = rows[order[kept[at]]], rows[order[at]]
    columns = [name for name, values in converted.items()
               if not (values[order[at]] == values[order[kept[at]]]
                       or (np.isnan(values[order[at]]) and np.isnan(values[order[kept[at]]])))]
    what = ("their values were averaged" if duplicates == "mean" else
            f"the first row of each timestamp was kept (here {table.label(first)})")
    log.warnings.append(
        f"{table.source}: {int(differing.sum())} rows repeat an earlier timestamp with different values; the first "
        f"is {table.label(repeating)}, which repeats {iso(times[order[at]])} of {table.label(first)} with other "
        f"values in {', '.join(columns[:5])}: {what}. Remove the repeats, or choose how they are resolved "
        f"(DUPLICATES: first, mean, or error to stop).")


def _check_span(source, time_column, steps, step, distinct):
    if steps * step < MIN_SPAN_SECONDS:
        raise InputError(f"{source}: column {time_column!r} covers only {steps * step / 86400:g} day(s) "
                         f"({iso(distinct[0])} to {iso(distinct[-1])}, {step} s steps); at least "
                         f"{MIN_SPAN_SECONDS // 86400} days of data are needed.")


def _gap_runs(grid, absent):
    missing = np.flatnonzero(absent)
    runs = np.split(missing, np.flatnonzero(np.diff(missing) > 1) + 1) if missing.size else []
    return [(iso(grid[run[0]]), int(run.size)) for run in runs]


def _binned_axis(source, time_column, distinct, values, sample_times, spacing, target, time_marks, log,
                 duplicated, non_monotonic, summed=frozenset()):
    """Average the samples into steps of ``target`` s on the table's clock (hours on the hour, days from
    midnight): the mean of the samples in each step, and how many samples each step has."""
    if time_marks == "end":
        distinct, sample_times = distinct - spacing, sample_times - spacing
        log.notes.append(f"{time_column} marks the end of each sample; times moved back by the most common "
                         f"spacing ({spacing} s) before averaging")
    origin = distinct[0] // target * target
    steps = int((distinct[-1] - origin) // target) + 1
    _check_span(source, time_column, steps, target, distinct)
    index = (distinct - origin) // target
    binned = {}
    for column, v in values.items():
        mean, present = binned_mean(index, steps, v)
        binned[column] = mean * present if column in summed else mean       # precipitation: the sum
    if summed:
        log.notes.append(f"{', '.join(sorted(summed))} summed over the samples of each step (precipitation)")
    samples = np.bincount((sample_times - origin) // target, minlength=steps).astype(np.int64)
    grid = origin + np.arange(steps, dtype=np.int64) * target
    binning = Binning.of(spacing, target, samples)
    log.notes.append(binning.describe())
    return Axis(grid, target, np.arange(steps), binned, _gap_runs(grid, samples == 0), duplicated, non_monotonic,
                spacing=spacing, binning=binning, samples=samples)
