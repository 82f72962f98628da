"""Time axes: CF time units, ISO 8601 band descriptions, regularity and calendar years.

Times are int64 seconds since 1970-01-01T00:00 UTC throughout the core.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .errors import InputError

UNIT_SECONDS = {"second": 1, "seconds": 1, "s": 1, "minute": 60, "minutes": 60, "hour": 3600,
                "hours": 3600, "h": 3600, "day": 86400, "days": 86400}
CF_UNITS = re.compile(r"^\s*(\w+)\s+since\s+(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?))?")
SUPPORTED_CALENDARS = {"", "standard", "gregorian", "proleptic_gregorian"}


def seconds_from_cf(values: ArrayLike, units: str, calendar: str, source: str) -> np.ndarray:
    """Convert CF time values (e.g. 'hours since 1900-01-01 00:00:00.0') to epoch seconds."""
    match = CF_UNITS.match(units or "")
    if not match or match.group(1).lower() not in UNIT_SECONDS:
        raise InputError(f"{source}: time units {units!r} are not of the form '<unit> since <date>' "
                         f"with a unit in seconds, minutes, hours or days.")
    if (calendar or "").lower() not in SUPPORTED_CALENDARS:
        raise InputError(f"{source}: calendar {calendar!r} is not supported; expected a Gregorian "
                         f"calendar ({sorted(SUPPORTED_CALENDARS - {''})}).")
    year, month, day = (int(x) for x in match.group(2).split("-"))
    origin = np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "s")
    if match.group(3):
        parts = [float(x) for x in match.group(3).split(":")]
        origin += np.timedelta64(int(round(parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0))), "s")
    scaled = np.asarray(values, dtype=np.float64) * UNIT_SECONDS[match.group(1).lower()]
    return np.round(scaled).astype(np.int64) + origin.astype(np.int64)


def seconds_from_iso(texts: Sequence[str | None], source: str) -> np.ndarray:
    """Parse ISO 8601 timestamps ('2017-07-01T13:00'), one per band description."""
    out = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        try:
            stamp = np.datetime64((text or "").strip().rstrip("Z") or "invalid", "s")
            if np.isnat(stamp):
                raise ValueError(text)
            out[i] = stamp.astype(np.int64)
        except ValueError:
            raise InputError(f"{source}: band {i + 1} description {text!r} is not an ISO 8601 "
                             f"timestamp such as 2017-07-01T13:00; give the time of each band or a "
                             f"start and step.") from None
    return out


def regular_step(times: np.ndarray, source: str) -> int:
    """The constant step of an increasing time axis in seconds; an error names the first fault."""
    if len(times) < 2:
        raise InputError(f"{source}: the time axis has {len(times)} step(s); at least two are needed.")
    steps = np.diff(times)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        i = bad[0]
        raise InputError(f"{source}: the time axis is not increasing at step {i + 2} "
                         f"({iso(times[i])} is followed by {iso(times[i + 1])}).")
    step = int(steps[0])
    irregular = np.flatnonzero(steps != step)
    if irregular.size:
        i = irregular[0]
        raise InputError(f"{source}: the time axis has a gap or an irregular step after {iso(times[i])} "
                         f"(next step at {iso(times[i + 1])}, expected {iso(times[i] + step)}; "
                         f"step {step} s). Fill the gap or give a regular series.")
    if 86400 % step and step % 86400:
        raise InputError(f"{source}: a step of {step} s neither divides a day nor is a whole number "
                         f"of days.")
    return step


def iso(seconds: int | np.integer) -> str:
    """Epoch seconds as ISO 8601 text to the second ('2017-07-01T13:00:00')."""
    return str(np.datetime64(int(seconds), "s"))


def years_of(times: np.ndarray) -> np.ndarray:
    """The calendar year of each time."""
    return times.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970


def day_index(times: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of each time (on the times' own clock)."""
    return np.floor_divide(times, 86400)


def day_runs(day_index: ArrayLike) -> tuple:
    """(first step, number of steps) of each day in a non-decreasing day number per step."""
    day_index = np.asarray(day_index)
    starts = np.flatnonzero(np.r_[True, day_index[1:] != day_index[:-1]])
    return starts, np.diff(np.r_[starts, day_index.size])


def year_ranges(times: np.ndarray, step: int) -> list:
    """[(year, first index, stop index, complete?)] for each calendar year the axis touches.

    A year is complete when it has every step from 1 January 00:00 to the last step of 31 December.
    """
    years = years_of(times)
    out = []
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    stops = np.r_[starts[1:], len(times)]
    for start, stop in zip(starts, stops):
        year = int(years[start])
        first = np.datetime64(f"{year:04d}-01-01", "s").astype(np.int64)
        last = np.datetime64(f"{year + 1:04d}-01-01", "s").astype(np.int64)
        expected = (last - first) // step if step <= 86400 else None
        complete = expected is not None and stop - start == expected and times[start] - first < step
        out.append((year, int(start), int(stop), bool(complete)))
    return out
