"""Station tables: AmeriFlux BASE, FLUXNET2015, COSORE chamber data, or any CSV with a column mapping.

Two entry points end in the same checks and mapping: ``read_station_csv`` reads a file,
``read_station_columns`` takes columns already in memory (a QGIS table layer turned into lists by
the provider). Both give a ``StationSeries``: a regular time axis, the canonical columns of the
scheme in its units, where each column came from (source columns, depths, weights) and a report of
what was found in the table and what was dropped.

Times are the table's own clock, as int64 epoch seconds of the start of each interval: local
standard time for AmeriFlux and FLUXNET (``TIMESTAMP_START``) and for COSORE
(``CSR_TIMESTAMP_BEGIN_LOCAL``). ``utc_offset_hours`` records the offset when it is known and
``times_utc`` applies it, so daily sums follow the local day and ERA5 matching uses UTC.
"""
import calendar
import csv
import difflib
import math
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np

from .errors import InputError
from .timeaxis import iso

CANONICAL_UNITS = {"fc": "umol CO2 m-2 s-1", "t0": "degC", "t10": "degC", "theta10": "m3 m-3",
                   "rn": "W m-2", "p": "mm per step", "h": "W m-2", "ta": "degC"}
QUANTITY = {"fc": "CO2 flux", "t0": "temperature", "t10": "temperature", "ta": "temperature",
            "theta10": "water content", "rn": "energy flux", "h": "energy flux", "p": "precipitation"}
DEFAULT_REQUIRED = ("fc", "t10", "theta10")

MG_CO2_IN_UMOL = 1e3 / 44.0095          # 1 mg CO2 m-2 s-1 = 22.72 umol m-2 s-1
# Declared unit (normalised by _unit_key) -> (scale, offset) into the canonical unit.
UNITS = {
    "CO2 flux": {"umol m-2 s-1": (1.0, 0.0), "mg m-2 s-1": (MG_CO2_IN_UMOL, 0.0),
                 "mg m-2 h-1": (MG_CO2_IN_UMOL / 3600.0, 0.0),
                 "g m-2 d-1": (1e6 / 44.0095 / 86400.0, 0.0),
                 "gc m-2 d-1": (1e6 / 12.011 / 86400.0, 0.0)},
    "temperature": {"degc": (1.0, 0.0), "c": (1.0, 0.0), "k": (1.0, -273.15)},
    "water content": {"m3 m-3": (1.0, 0.0), "m3/m3": (1.0, 0.0), "%": (0.01, 0.0)},
    "energy flux": {"w m-2": (1.0, 0.0)},
    "precipitation": {"mm": (1.0, 0.0), "mm per step": (1.0, 0.0)},
}
PHYSICAL_RANGE = {"CO2 flux": (-100.0, 100.0), "temperature": (-60.0, 80.0),
                  "water content": (0.0, 1.0), "energy flux": (-500.0, 1500.0),
                  "precipitation": (0.0, 500.0)}
# 95th percentile of |Fc| in umol m-2 s-1: quiet desert soils reach a few tenths, crops tens.
TYPICAL_FLUX_MAGNITUDE = (0.1, 100.0)
FORMATS = ("ameriflux_base", "fluxnet2015", "cosore", "generic")
SUPPORTED_STEPS = {1800: "half-hourly", 3600: "hourly", 86400: "daily"}
MIN_SPAN_SECONDS = 2 * 86400            # calibration needs the diel cycle at least twice
TARGET_DEPTH_CM = {"t0": 0.0, "t10": 10.0, "theta10": 10.0}
# A sensor this close may stand in for the target depth: 5 cm for 10 cm, but not 5 cm for the surface.
NEAREST_DEPTH_TOLERANCE_CM = {"t0": 2.0, "t10": 5.0, "theta10": 5.0}
MISSING_WORDS = frozenset({"", "na", "nan", "null", "none", "n/a"})
MISSING_NUMBER = -9999.0
LISTED_ROWS = 10

_TIME_FORMATS = (
    ("YYYYMMDDHHMM", re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})()$")),
    ("YYYYMMDD", re.compile(r"(\d{4})(\d{2})(\d{2})()()()$")),
    ("YYYY-MM-DD HH:MM[:SS]",
     re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?Z?$")),
    ("YYYY-MM-DD", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})()()()$")),
)


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

    def describe(self):
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

    @property
    def units(self):
        return {name: CANONICAL_UNITS[name] for name in self.columns}

    @property
    def times_utc(self):
        if self.utc_offset_hours is None:
            raise InputError(f"{self.source}: the UTC offset of the timestamps is unknown; give "
                             f"utc_offset_hours (local standard time minus UTC, e.g. 8 for Xinjiang).")
        return self.times - int(round(self.utc_offset_hours * 3600))

    def summary(self):
        r = self.report
        offset = "unknown" if self.utc_offset_hours is None else f"{self.utc_offset_hours:+g} h"
        lines = [f"{self.source} ({self.table_format}), station {self.station_id or '?'}",
                 f"{r.rows_read} rows read; {SUPPORTED_STEPS.get(r.step_found, r.step_found)} step found; "
                 f"{r.first_time} to {r.last_time} (table clock, UTC offset {offset}); "
                 f"{len(self.times)} steps of {self.step} s",
                 f"gaps: {len(r.gaps)} ({sum(n for _, n in r.gaps)} missing steps); duplicated "
                 f"timestamps: {r.duplicated.count}; out of order: {r.non_monotonic.count}"]
        lines += [p.describe() for p in self.provenance.values()]
        lines += [f"{name}: {share:.1%} missing" for name, share in r.missing_share.items() if share]
        lines += [f"out of range ({r.out_of_range_action}): {name}: {f.count}"
                  for name, f in r.out_of_range.items()]
        return "\n".join(lines + r.dropped + r.notes)


def read_station_csv(path, **options):
    """Read a station table from a CSV file; the options are those of ``read_station_columns``.

    '#' lines before the header are kept as metadata (AmeriFlux BASE '# Site: US-CRT'); a COSORE
    DESCRIPTION.txt next to the file supplies the site name, coordinates and time zone.
    """
    path = Path(path)
    table = _read_csv_table(path)
    if any(name.startswith("CSR_") for name in table.columns):
        table.metadata.update(_read_cosore_description(path.parent / "DESCRIPTION.txt"))
    return _build_series(table, **options)


def read_station_columns(columns, source_name, **options):
    """Read a station table given as {column name: sequence of values} (text, numbers or None).

    Options (keyword only):
      table_format: 'auto' (from the column names), 'ameriflux_base', 'fluxnet2015', 'cosore', 'generic'
      mapping: {canonical: spec} overriding the format's defaults; spec is a column name, a dict
        {column: weight} (weights sum to 1), a list of (column, depth_cm) pairs from which the
        value at the canonical depth (t0: 0 cm, t10 and theta10: 10 cm) is interpolated, or None
        to leave the column out
      units: {canonical: declared unit of its source columns}, e.g. {'fc': 'mg m-2 s-1'}
      required: canonical columns that must have values (default fc, t10, theta10)
      time_column, time_marks ('start' or 'end' of the interval): where the time is
      utc_offset_hours: local standard time minus UTC, when the table does not say
      port: COSORE chamber port number, or 'mean' to average the ports at each timestamp
      max_qc: values whose <column>_QC flag exceeds this are dropped (None keeps all)
      duplicates: 'first' (keep the first row of a repeated timestamp), 'mean' or 'error'
      out_of_range: 'drop' (set values outside the physical range missing) or 'keep'
      check_flux_magnitude: stop when Fc magnitudes do not fit the declared unit
      station_id, station_name, latitude, longitude, elevation: site metadata
    """
    if not columns:
        raise InputError(f"{source_name}: the table has no columns.")
    names = [str(name).strip() for name in columns]
    _check_header(names, source_name, "the column names")
    lengths = {name: len(values) for name, values in zip(names, columns.values())}
    first_name = names[0]
    for name, length in lengths.items():
        if length != lengths[first_name]:
            raise InputError(f"{source_name}: column {name!r} has {length} values but column "
                             f"{first_name!r} has {lengths[first_name]}.")
    if lengths[first_name] == 0:
        raise InputError(f"{source_name}: the table has no rows.")
    table = _Table(source_name, {name: list(values) for name, values in zip(names, columns.values())})
    return _build_series(table, **options)


def resample(series, step, min_coverage=1.0):
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
        mean, present = _binned_mean(index, count, values)
        keep = present >= min_coverage * per_bin - 1e-9
        columns[name] = np.where(keep, mean * (per_bin if name == "p" else 1), np.nan)
    note = (f"resampled from {series.step} s to {step} s: a step needs {min_coverage:.0%} of its "
            f"{per_bin} native steps; precipitation summed, the rest averaged")
    report = replace(series.report, notes=series.report.notes + [note])
    times = (bins[0] + np.arange(count, dtype=np.int64)) * step
    return replace(series, times=times, step=step, columns=columns, report=report)


class _Table:
    """Raw columns (text or numbers) as read, with the file line of each row when there is a file."""

    def __init__(self, source, columns, line_numbers=None, metadata=None):
        self.source = source
        self.columns = columns
        self.line_numbers = line_numbers
        self.metadata = metadata or {}
        self.n_rows = len(next(iter(columns.values())))

    def label(self, row):
        return f"line {self.line_numbers[row]}" if self.line_numbers else f"row {row + 1}"

    def labels(self, rows):
        return tuple(self.label(int(r)) for r in rows[:LISTED_ROWS])

    def require(self, name, purpose):
        if name not in self.columns:
            names = list(self.columns)
            close = difflib.get_close_matches(name, names, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise InputError(f"{self.source}: column {name!r} ({purpose}) is not in the table; its "
                             f"columns are {', '.join(names)}.{hint}")


def _check_header(names, source, where):
    for position, name in enumerate(names):
        if not name:
            raise InputError(f"{source}: column {position + 1} in {where} has no name.")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InputError(f"{source}: in {where} the column name(s) {', '.join(repeated)} appear more "
                         f"than once.")
    if all(_looks_like_data(name) for name in names):
        raise InputError(f"{source}: {where} holds numbers or dates, not column names; the table "
                         f"needs a header line.")


def _looks_like_data(text):
    if any(pattern.match(text) for _, pattern in _TIME_FORMATS):
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_csv_table(path):
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{source}: cannot be read ({error.strerror}).") from None
    if b"\x00" in raw[:65536]:
        raise InputError(f"{source}: is not a table (it holds binary data); expected a CSV text "
                         f"file with a header line.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()
    metadata = {}
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        key, colon, value = lines[first].lstrip("#").partition(":")
        if colon:
            metadata[key.strip()] = value.strip().rstrip(",").strip()   # AmeriFlux pads with commas
        first += 1
    if first == len(lines):
        raise InputError(f"{source}: is not a table: it has no header line.")
    header_line = lines[first]
    delimiter = max(",;\t", key=header_line.count)
    if not header_line.count(delimiter):
        raise InputError(f"{source}: is not a table: line {first + 1} ({header_line[:60]!r}) has no "
                         f"comma, semicolon or tab between column names.")
    reader = csv.reader(lines[first:], delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    _check_header(header, source, f"the header (line {first + 1})")
    values = [[] for _ in header]
    line_numbers = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{source}: is not a regular table: line {first + reader.line_num} has "
                             f"{len(row)} fields but the header (line {first + 1}) has {len(header)}.")
        for column, cell in zip(values, row):
            column.append(cell)
        line_numbers.append(first + reader.line_num)
    if not line_numbers:
        raise InputError(f"{source}: has a header (line {first + 1}) but no data rows.")
    return _Table(source, dict(zip(header, values)), line_numbers, metadata)


def _read_cosore_description(path):
    """'KEY: value' lines of a COSORE DESCRIPTION.txt ({} when there is none)."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, colon, value = line.partition(":")
        if colon and not line.startswith("#") and value.strip():
            out[key.strip()] = value.strip()
    return out


# ---- formats -----------------------------------------------------------------------------------

@dataclass
class _Format:
    name: str
    time_column: str = None
    columns: dict = field(default_factory=dict)     # canonical -> default source column
    profiles: dict = field(default_factory=dict)    # quantity -> [(column, depth_cm or None, level)]
    units: dict = field(default_factory=dict)       # canonical -> unit of the source columns
    port_column: str = None
    qc_skipped_because: str = ""


def _detect_format(names):
    if "CSR_FLUX_CO2" in names or any(n.startswith("CSR_TIMESTAMP_BEGIN") for n in names):
        return "cosore"
    if "NEE_VUT_REF" in names or any("_F_MDS" in n for n in names):
        return "fluxnet2015"
    if "TIMESTAMP_START" in names and "TIMESTAMP_END" in names:
        return "ameriflux_base"
    return "generic"


def _format_defaults(name, names):
    present = set(names)

    def first_of(*candidates):
        return next((c for c in candidates if c in present), None)

    def profile(pattern, depth_group, level_groups):
        out = []
        for column in names:
            match = re.fullmatch(pattern, column)
            if match:
                depth = float(match.group(depth_group)) if depth_group else None
                level = next((int(match.group(g)) for g in level_groups if match.group(g)), 1)
                out.append((column, depth, level))
        return out

    if name == "ameriflux_base":
        # TS_<H>_<V>_<R>: V is the profile level (1 = shallowest); TS_<n> is level n; bare TS level 1.
        return _Format(name, "TIMESTAMP_START",
                       columns={"fc": first_of("FC", "NEE_PI", "NEE"), "rn": first_of("NETRAD"),
                                "p": first_of("P"), "h": first_of("H"), "ta": first_of("TA")},
                       profiles={"temperature": profile(r"TS(?:_\d+_(\d+)_\d+|_(\d+))?", None, (1, 2)),
                                 "water content": profile(r"SWC(?:_\d+_(\d+)_\d+|_(\d+))?", None, (1, 2))},
                       units={"theta10": "%"})
    if name == "fluxnet2015":
        daily = "TIMESTAMP_START" not in present and "TIMESTAMP" in present
        return _Format(name, "TIMESTAMP" if daily else "TIMESTAMP_START",
                       columns={"fc": first_of("NEE_VUT_REF"), "rn": first_of("NETRAD"),
                                "p": first_of("P_F"), "h": first_of("H_F_MDS"), "ta": first_of("TA_F")},
                       profiles={"temperature": profile(r"TS_F_MDS_(\d+)", None, (1,)),
                                 "water content": profile(r"SWC_F_MDS_(\d+)", None, (1,))},
                       # FLUXNET daily files give NEE in g C m-2 d-1 and QC as a share of good data.
                       units={"theta10": "%", "fc": "gC m-2 d-1" if daily else "umol m-2 s-1"},
                       qc_skipped_because="daily FLUXNET QC flags are shares of good data; not applied"
                       if daily else "")
    if name == "cosore":
        time_column = first_of("CSR_TIMESTAMP_BEGIN_LOCAL", "CSR_TIMESTAMP_BEGIN")
        return _Format(name, time_column or "CSR_TIMESTAMP_BEGIN_LOCAL",
                       columns={"fc": first_of("CSR_FLUX_CO2"), "ta": first_of("CSR_TAIR")},
                       profiles={"temperature": profile(r"CSR_T(\d+)", 1, ()),
                                 "water content": profile(r"CSR_SM(\d+)", 1, ())},
                       port_column=first_of("CSR_PORT"))
    return _Format(name)


def _unit_key(text):
    key = (str(text).lower().replace("µ", "u").replace("μ", "u").replace("°", "deg")
           .replace("⁻", "-").replace("²", "2").replace("³", "3").replace("¹", "1").replace("co2", ""))
    return " ".join(key.split())


def _conversion(canonical, declared, source):
    quantity = QUANTITY[canonical]
    known = UNITS[quantity]
    key = _unit_key(declared)
    if key not in known:
        raise InputError(f"{source}: unit {declared!r} declared for {canonical} ({quantity}) is not "
                         f"known; use one of {', '.join(known)}.")
    return known[key]


# ---- mapping -----------------------------------------------------------------------------------

def _depth_weights(pairs, canonical):
    """Weights over (column, depth_cm) pairs for the canonical depth, and how they were found.

    Same depth: mean of those columns. Sensors above and below: linear interpolation between the
    nearest of each. Otherwise the nearest depth within NEAREST_DEPTH_TOLERANCE_CM. None if nothing fits.
    """
    target = TARGET_DEPTH_CM[canonical]
    depths = sorted({depth for _, depth in pairs})

    def spread(depth, weight):
        columns = [c for c, d in pairs if d == depth]
        return {c: weight / len(columns) for c in columns}

    if target in depths:
        return spread(target, 1.0), f"measured at {target:g} cm"
    above = [d for d in depths if d < target]
    below = [d for d in depths if d > target]
    if above and below:
        upper, lower = above[-1], below[0]
        share = (target - upper) / (lower - upper)
        return ({**spread(upper, 1.0 - share), **spread(lower, share)},
                f"linear interpolation between {upper:g} and {lower:g} cm")
    nearest = min(depths, key=lambda d: abs(d - target))
    if abs(nearest - target) <= NEAREST_DEPTH_TOLERANCE_CM[canonical]:
        return spread(nearest, 1.0), f"nearest depth: {nearest:g} cm stands for {target:g} cm"
    return None, (f"no sensor within {NEAREST_DEPTH_TOLERANCE_CM[canonical]:g} cm of {target:g} cm "
                  f"(sensors at {', '.join(f'{d:g}' for d in depths)} cm)")


def _plan_columns(table, fmt, mapping, numbers):
    """canonical -> (weights {column: w}, depths {column: cm or None}, method, note).

    Weights are None for a column that is absent; the note then says why.
    """
    plans = {}
    profile_depths = {c: d for entries in fmt.profiles.values() for c, d, _ in entries}
    for canonical in CANONICAL_UNITS:
        if canonical in mapping:
            plans[canonical] = _caller_plan(table, canonical, mapping[canonical], profile_depths)
        elif canonical in TARGET_DEPTH_CM:
            plans[canonical] = _profile_plan(table, fmt, canonical, numbers)
        elif fmt.columns.get(canonical):
            column = fmt.columns[canonical]
            plans[canonical] = ({column: 1.0}, {column: None}, f"{fmt.name} default column", "")
        else:
            plans[canonical] = (None, {}, "absent", f"no {fmt.name} default column in the table")
    return plans


def _caller_plan(table, canonical, spec, profile_depths):
    source = table.source
    if spec is None:
        return None, {}, "absent", "left out by the caller"
    if isinstance(spec, str):
        table.require(spec, f"mapped to {canonical}")
        return {spec: 1.0}, {spec: profile_depths.get(spec)}, "caller mapping", ""
    if isinstance(spec, dict):
        for column in spec:
            table.require(column, f"mapped to {canonical}")
        weights = {column: float(w) for column, w in spec.items()}
        if not weights or abs(sum(weights.values()) - 1.0) > 1e-6:
            raise InputError(f"{source}: the weights mapped to {canonical} ({weights}) must sum to 1.")
        return weights, {c: profile_depths.get(c) for c in weights}, "caller weights", ""
    pairs = [(str(column), float(depth)) for column, depth in spec]
    for column, _ in pairs:
        table.require(column, f"mapped to {canonical} by depth")
    if not pairs:
        raise InputError(f"{source}: the depth list mapped to {canonical} is empty.")
    weights, method = _depth_weights(pairs, canonical)
    if weights is None:
        raise InputError(f"{source}: cannot map {canonical} from the depths given: {method}.")
    return weights, dict(pairs), f"caller depths, {method}", ""


def _profile_plan(table, fmt, canonical, numbers):
    quantity = QUANTITY[canonical]
    entries = fmt.profiles.get(quantity, [])
    empty = [c for c, _, _ in entries if not np.isfinite(numbers(c)).any()]
    usable = [e for e in entries if e[0] not in empty]
    skipped = [f"{', '.join(empty)} skipped (no values)"] if empty else []
    if not usable:
        return None, {}, "absent", "; ".join([f"no {quantity} column in the table"] + skipped)
    if all(depth is not None for _, depth, _ in usable):
        weights, method = _depth_weights([(c, d) for c, d, _ in usable], canonical)
        if weights is None:
            return None, {}, "absent", "; ".join([f"{method}; map {canonical} explicitly"] + skipped)
        depths = {c: d for c, d, _ in usable if c in weights}
        return weights, depths, f"{fmt.name} default, {method}", "; ".join(skipped)
    if canonical == "t0":
        return None, {}, "absent", "; ".join(["sensor depths unknown, so no column stands for the "
                                              "surface; map t0 explicitly"] + skipped)
    level = min(lvl for _, _, lvl in usable)
    columns = [c for c, _, lvl in usable if lvl == level]
    note = (f"sensor depth unknown (site metadata); give mapping={{'{canonical}': [(column, depth_cm), "
            f"...]}} to interpolate by depth")
    return ({c: 1.0 / len(columns) for c in columns}, {c: None for c in columns},
            f"{fmt.name} default, shallowest profile level (mean of {len(columns)} position(s))",
            "; ".join([note] + skipped))


# ---- values ------------------------------------------------------------------------------------

def _number(value):
    """A float, NaN when missing (empty, NA, -9999); ValueError for text that is not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        if value is None or (isinstance(value, str) and value.strip().lower() in MISSING_WORDS):
            return math.nan
        raise
    return math.nan if number == MISSING_NUMBER else number


def _is_missing(value):
    try:
        return math.isnan(_number(value))
    except (TypeError, ValueError):
        return False


def _numeric_column(table, name):
    values = table.columns[name]
    try:
        return np.fromiter(map(_number, values), dtype=np.float64, count=len(values))
    except (TypeError, ValueError):
        for row, value in enumerate(values):
            try:
                _number(value)
            except (TypeError, ValueError):
                raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {value!r} is "
                                 f"not a number (missing values may be empty, NA or -9999).") from None
        raise


def _time_text(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))                   # YYYYMMDDHHMM read as a number by a layer provider
    return "" if value is None else str(value).strip()


def _parse_times(table, name):
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
        for format_name, pattern in _TIME_FORMATS:
            match = pattern.match(text)
            if match:
                break
        else:
            raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {text!r} is not a "
                             f"timestamp in a known format ({', '.join(f for f, _ in _TIME_FORMATS)}).")
        if first_format is None:
            first_format = (format_name, row, text)
        elif format_name != first_format[0]:
            raise InputError(f"{table.source}: column {name!r} mixes timestamp formats: "
                             f"{table.label(first_format[1])} has {first_format[2]!r} ({first_format[0]}) "
                             f"but {table.label(row)} has {text!r} ({format_name}); use one format.")
        parts = [int(g) if g else 0 for g in match.groups()]
        try:
            datetime(*parts)                      # rejects month 13, hour 24 and the like
        except ValueError as error:
            raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {text!r} is not a "
                             f"valid time ({error}).") from None
        out[row] = seen[text] = calendar.timegm((*parts, 0, 0, 0))
    return out


def _utc_offset(table, time_column, times, rows, given):
    """(hours or None, how it is known); the table's own evidence must agree with a given offset."""
    found = None
    utc_column = time_column[:-len("_LOCAL")] + "_UTC" if time_column.endswith("_LOCAL") else None
    if utc_column in table.columns:
        differences = times - _parse_times(table, utc_column)[rows]
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
            raise InputError(f"{table.source}: utc_offset_hours={given:g} contradicts the table, whose "
                             f"offset is {found[0]:+g} h ({found[1]}).")
        return float(given), "given by the caller"
    return found if found else (None, "unknown")


def _standard_offset_hours(zone_name):
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    moment = datetime(2001, 1, 1)
    return (zone.utcoffset(moment) - zone.dst(moment)).total_seconds() / 3600.0


def _check_magnitude(values, canonical, where, check_flux_magnitude):
    """Stop when magnitudes (already in the canonical unit) contradict the declared unit."""
    finite = values[np.isfinite(values)]
    quantity = QUANTITY[canonical]
    if quantity == "CO2 flux" and check_flux_magnitude:
        typical = float(np.percentile(np.abs(finite), 95))
        low, high = TYPICAL_FLUX_MAGNITUDE
        if typical < low:
            raise InputError(
                f"{where}: its typical magnitude (95th percentile of |Fc|) is {typical:.3g} umol m-2 "
                f"s-1, about {low / max(typical, 1e-12):.0f}x too small for a CO2 flux ({low:g}-{high:g} "
                f"expected). If it is in mg CO2 m-2 s-1, declare units={{'fc': 'mg m-2 s-1'}} (1 mg "
                f"CO2 m-2 s-1 = 22.72 umol m-2 s-1); if the values are right, pass "
                f"check_flux_magnitude=False.")
        if typical > high:
            raise InputError(
                f"{where}: its typical magnitude (95th percentile of |Fc|) is {typical:.3g} umol m-2 "
                f"s-1, about {typical / high:.0f}x too large for a CO2 flux ({low:g}-{high:g} "
                f"expected). If it is in mg CO2 m-2 h-1 declare units={{'fc': 'mg m-2 h-1'}}; if the "
                f"values are right, pass check_flux_magnitude=False.")
    median = float(np.median(finite))
    if quantity == "temperature" and median > 150.0:
        raise InputError(f"{where}: median {median:.1f} degC looks like kelvin; declare "
                         f"units={{'{canonical}': 'K'}}.")
    if quantity == "temperature" and median < -100.0:
        raise InputError(f"{where}: median {median:.1f} degC after conversion looks like the values "
                         f"were degC already; declare units={{'{canonical}': 'degC'}}.")
    if quantity == "water content" and median > 1.0:
        raise InputError(f"{where}: median {median:.3g} m3 m-3 looks like percent; declare "
                         f"units={{'{canonical}': '%'}}.")


@dataclass
class _Log:
    notes: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


def _select_port(table, fmt, port, log):
    """Rows to use and the port of each (0 where the table has no ports)."""
    rows = np.arange(table.n_rows)
    if not fmt.port_column:
        return rows, np.zeros(table.n_rows, dtype=np.int64)
    numbers = _numeric_column(table, fmt.port_column)
    available = sorted(int(p) for p in np.unique(numbers[np.isfinite(numbers)]))
    if port == "mean":
        log.notes.append(f"ports {available} ({fmt.port_column}) averaged at each timestamp")
        return rows, np.nan_to_num(numbers, nan=-1).astype(np.int64)
    if port not in available:
        raise InputError(f"{table.source}: port {port!r} is not in column {fmt.port_column!r}; ports "
                         f"found: {available}; or pass port='mean'.")
    rows = np.flatnonzero(numbers == port)
    log.dropped.append(f"{table.n_rows - rows.size} rows of ports other than {port} not used "
                       f"({fmt.port_column})")
    return rows, np.full(rows.size, port, dtype=np.int64)


def _convert_columns(table, fmt, plans, rows, numbers, declared_units, explicit, *, max_qc, out_of_range,
                     check_flux_magnitude, log):
    """Source column -> kept rows in the canonical unit, after QC flags and the range check.

    ``explicit`` are canonicals the caller mapped or requires: an empty source column stops the
    run there, while an empty default column is only left out (and said so).
    """
    converted, outside_found = {}, {}
    for canonical, plan in plans.items():
        weights = plan[0] or {}
        for column in weights:
            if column in converted:
                continue
            values = numbers(column)
            if not np.isfinite(values).any():
                if canonical in explicit:
                    raise InputError(f"{table.source}: column {column!r} (for {canonical}) has no values: "
                                     f"all {rows.size} rows are missing.")
                plans[canonical] = (None, {}, "absent", f"default column {column} has no values")
                break
            declared = declared_units[canonical]
            scale, offset = _conversion(canonical, declared, table.source)
            values = values * scale + offset
            _check_magnitude(values, canonical, f"{table.source}: column {column!r} ({canonical}, "
                             f"declared {declared})", check_flux_magnitude)
            qc_column = f"{column}_QC"
            if max_qc is not None and qc_column in table.columns and not fmt.qc_skipped_because:
                flagged = (numbers(qc_column) > max_qc) & np.isfinite(values)
                values = np.where(flagged, np.nan, values)
                log.dropped.append(f"{column}: {int(flagged.sum())} values with {qc_column} > {max_qc} "
                                   f"set missing")
            low, high = PHYSICAL_RANGE[QUANTITY[canonical]]
            with np.errstate(invalid="ignore"):
                outside = np.flatnonzero((values < low) | (values > high))
            if outside.size:
                outside_found[column] = Finding(int(outside.size), table.labels(rows[outside]))
                if out_of_range == "drop":
                    values[outside] = np.nan
                log.dropped.append(
                    f"{column}: {outside.size} values outside {low:g}..{high:g} "
                    f"{CANONICAL_UNITS[canonical]} " + ("set missing" if out_of_range == "drop" else "kept")
                    + f" ({', '.join(table.labels(rows[outside]))})")
            converted[column] = values
    if fmt.qc_skipped_because:
        log.notes.append(fmt.qc_skipped_because)
    return converted, outside_found


def _binned_mean(index, size, values):
    """Mean of the present values in each bin (NaN for an empty bin) and how many were present."""
    present = np.isfinite(values)
    n = np.bincount(index, weights=present, minlength=size)
    total = np.bincount(index, weights=np.where(present, values, 0.0), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / n, np.nan), n


def _group_mean(keys, arrays):
    """Unique keys, the index of each key's first row, and the NaN-ignoring mean of each array."""
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    means = {name: _binned_mean(inverse, unique.size, values)[0] for name, values in arrays.items()}
    return unique, first, means


@dataclass
class _Axis:
    times: np.ndarray           # the regular axis
    step: int
    position: np.ndarray        # index on the axis of each distinct timestamp found
    values: dict                # source column -> value at each distinct timestamp
    gaps: list
    duplicated: Finding
    non_monotonic: Finding


def _regular_axis(table, time_column, rows, ports, times, converted, duplicates, time_marks, log):
    """Sort, resolve repeated timestamps, average ports, find the step and lay out a regular axis."""
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
    keep = order if duplicates == "mean" else order[~repeat]
    # (port, time) as one integer key: ports in the high bits, times from the earliest upward.
    earliest = times.min()
    slot_keys = ports[keep] * (1 << 40) + (times[keep] - earliest)
    slots, slot_first, slot_values = _group_mean(slot_keys, {c: v[keep] for c, v in converted.items()})
    distinct, time_first, values = _group_mean(slots % (1 << 40) + earliest, slot_values)
    first_row = rows[keep[slot_first[time_first]]]

    if distinct.size < 2:
        raise InputError(f"{source}: column {time_column!r} holds a single timestamp "
                         f"({iso(distinct[0])}); at least {MIN_SPAN_SECONDS // 86400} days are needed.")
    spacings, counts = np.unique(np.diff(distinct), return_counts=True)
    step = int(spacings[np.argmax(counts)])
    if step not in SUPPORTED_STEPS:
        raise InputError(f"{source}: column {time_column!r}: the most common spacing of timestamps is "
                         f"{step} s; supported steps are half-hourly (1800 s), hourly (3600 s) and "
                         f"daily (86400 s).")
    misaligned = np.flatnonzero((distinct - distinct[0]) % step)
    if misaligned.size:
        i = misaligned[0]
        raise InputError(f"{source}: column {time_column!r}, {table.label(first_row[i])}: "
                         f"{iso(distinct[i])} is off the {step} s grid that starts at {iso(distinct[0])}.")
    if time_marks == "end":
        distinct = distinct - step
        log.notes.append(f"{time_column} marks the end of each interval; times moved to the start")
    steps = int((distinct[-1] - distinct[0]) // step) + 1
    if steps * step < MIN_SPAN_SECONDS:
        raise InputError(f"{source}: column {time_column!r} covers only {steps * step / 86400:g} day(s) "
                         f"({iso(distinct[0])} to {iso(distinct[-1])}, {step} s steps); at least "
                         f"{MIN_SPAN_SECONDS // 86400} days of data are needed.")
    grid = distinct[0] + np.arange(steps, dtype=np.int64) * step
    position = (distinct - distinct[0]) // step
    absent = np.ones(steps, dtype=bool)
    absent[position] = False
    missing = np.flatnonzero(absent)
    runs = np.split(missing, np.flatnonzero(np.diff(missing) > 1) + 1) if missing.size else []
    return _Axis(grid, step, position, values, [(iso(grid[run[0]]), int(run.size)) for run in runs],
                 Finding(int(repeated.size), table.labels(rows[repeated])),
                 Finding(int(backwards.size), table.labels(rows[backwards])))


def _canonical_columns(source, plans, axis, declared_units):
    columns, provenance = {}, {}
    for canonical, (weights, depths, method, note) in plans.items():
        unit, target = CANONICAL_UNITS[canonical], TARGET_DEPTH_CM.get(canonical)
        if weights is None:
            provenance[canonical] = ColumnProvenance(canonical, unit, target_depth_cm=target,
                                                     method=method, note=note)
            continue
        # Missing where any of its columns is missing: no silent renormalisation of the weights.
        combined = sum(weight * axis.values[column] for column, weight in weights.items())
        if not np.isfinite(combined).any():
            raise InputError(f"{source}: {canonical} has no values left from {', '.join(weights)} "
                             f"after dropping flagged and out-of-range values.")
        columns[canonical] = np.full(axis.times.size, np.nan)
        columns[canonical][axis.position] = combined
        provenance[canonical] = ColumnProvenance(
            canonical, unit, tuple(weights), tuple(weights.values()), declared_units[canonical],
            tuple(depths.get(c) for c in weights), target, method, note)
    return columns, provenance


def _check_choice(name, value, allowed):
    if value not in allowed:
        raise InputError(f"{name} must be one of {', '.join(map(repr, allowed))}, not {value!r}.")


def _build_series(table, *, table_format="auto", mapping=None, units=None, required=DEFAULT_REQUIRED,
                  time_column=None, time_marks="start", utc_offset_hours=None, port="mean", max_qc=1,
                  duplicates="first", out_of_range="drop", check_flux_magnitude=True, station_id=None,
                  station_name=None, latitude=None, longitude=None, elevation=None):
    source = table.source
    mapping = dict(mapping or {})
    _check_choice("table_format", table_format, ("auto",) + FORMATS)
    _check_choice("time_marks", time_marks, ("start", "end"))
    _check_choice("duplicates", duplicates, ("first", "mean", "error"))
    _check_choice("out_of_range", out_of_range, ("drop", "keep"))
    for name in sorted(set(mapping) | set(units or {}) | set(required)):
        _check_choice("a mapped, declared or required column", name, tuple(CANONICAL_UNITS))
    names = list(table.columns)
    fmt = _format_defaults(_detect_format(names) if table_format == "auto" else table_format, names)
    fmt.time_column = time_column or fmt.time_column
    if fmt.time_column is None:
        raise InputError(f"{source}: the columns are not those of an AmeriFlux BASE, FLUXNET2015 or "
                         f"COSORE table; give time_column and a mapping such as {{'fc': ..., 't10': "
                         f"..., 'theta10': ...}}. Columns: {', '.join(names)}.")
    table.require(fmt.time_column, "time")
    declared_units = {name: fmt.units.get(name, CANONICAL_UNITS[name]) for name in CANONICAL_UNITS}
    declared_units.update(units or {})
    log = _Log()

    rows, ports = _select_port(table, fmt, port, log)
    times = _parse_times(table, fmt.time_column)[rows]
    cache = {}

    def numbers(column):
        if column not in cache:
            cache[column] = _numeric_column(table, column)[rows]
        return cache[column]

    plans = _plan_columns(table, fmt, mapping, numbers)
    for canonical in required:
        if plans[canonical][0] is None:
            raise InputError(f"{source}: no column for {canonical} ({QUANTITY[canonical]}, "
                             f"{CANONICAL_UNITS[canonical]}): {plans[canonical][3]}. Give "
                             f"mapping={{'{canonical}': column}} or leave it out of required.")
    converted, outside = _convert_columns(
        table, fmt, plans, rows, numbers, declared_units, set(mapping) | set(required), max_qc=max_qc,
        out_of_range=out_of_range, check_flux_magnitude=check_flux_magnitude, log=log)
    axis = _regular_axis(table, fmt.time_column, rows, ports, times, converted, duplicates, time_marks, log)
    columns, provenance = _canonical_columns(source, plans, axis, declared_units)
    offset, origin = _utc_offset(table, fmt.time_column, times, rows, utc_offset_hours)
    log.notes.append(f"times are {fmt.time_column} as written; UTC offset "
                     + ("unknown" if offset is None else f"{offset:+g} h, {origin}"))
    missing_share = {name: sum(map(_is_missing, values)) / table.n_rows
                     for name, values in table.columns.items() if name != fmt.time_column}
    report = StationReport(
        rows_read=table.n_rows, step_found=axis.step, first_time=iso(axis.times[0]),
        last_time=iso(axis.times[-1]), steps=axis.times.size, gaps=axis.gaps,
        duplicated=axis.duplicated, non_monotonic=axis.non_monotonic, missing_share=missing_share,
        out_of_range=outside, out_of_range_action=out_of_range, dropped=log.dropped, notes=log.notes)
    meta = table.metadata
    return StationSeries(
        source=source, table_format=fmt.name, times=axis.times, step=axis.step, columns=columns,
        provenance=provenance, report=report, utc_offset_hours=offset,
        station_id=station_id or meta.get("CSR_SITE_ID") or meta.get("Site"),
        station_name=station_name or meta.get("CSR_SITE_NAME"),
        latitude=latitude if latitude is not None else _float_or_none(meta.get("CSR_LATITUDE")),
        longitude=longitude if longitude is not None else _float_or_none(meta.get("CSR_LONGITUDE")),
        elevation=elevation if elevation is not None else _float_or_none(meta.get("CSR_ELEVATION")))


def _float_or_none(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None
