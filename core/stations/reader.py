"""The two entry points, ``read_station_csv`` and ``read_station_columns``, and the one path both take: ports,
columns planned from the mapping and the format, units converted, QC flags and physical ranges applied, the
regular time axis laid out and the ``StationSeries`` with its report built."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..timeaxis import iso
from .formats import (CANONICAL_UNITS, FORMATS, PHYSICAL_RANGE, QUANTITY, check_magnitude, conversion,
                      detect_format, flux_unit_plausibility, format_defaults)
from .mapping import TARGET_DEPTH_CM, check_mapping, plan_columns
from .series import ColumnProvenance, Finding, StationReport, StationSeries
from .table import (DELIMITER_NAMES, Table, check_header, is_missing, numeric_column, read_cosore_description,
                    read_cosore_ports, read_cosore_units, read_csv_table)
from .times import parse_times, regular_axis, utc_offset

DEFAULT_REQUIRED = ("fc", "t10", "theta10")


def read_station_csv(path: str | Path, **options: Any) -> StationSeries:
    """Read a station table from a CSV file; the options are those of ``read_station_columns``.

    '#' lines before the header are kept as metadata (AmeriFlux BASE '# Site: US-CRT'); a COSORE
    DESCRIPTION.txt next to the file supplies the site name, coordinates and time zone, and a COSORE
    CSR_COLUMN_UNITS.csv the unit of the flux (unless ``units`` declares it). A byte-order mark decides the
    encoding (UTF-16 "Unicode text" from a spreadsheet included); ``delimiter`` (',', ';' or tab; default sniffed
    from the header) and ``decimal`` ('.', ',' or 'auto': commas when the numbers use them and none uses a point)
    read a European CSV.
    """
    path = Path(path)
    table = read_csv_table(path, options.pop("delimiter", None), options.pop("decimal", "auto"))
    if any(name.startswith("CSR_") for name in table.columns):
        table.metadata.update(read_cosore_description(path.parent / "DESCRIPTION.txt"))
        table.column_units = read_cosore_units(path.parent / "CSR_COLUMN_UNITS.csv")
        table.port_kinds = read_cosore_ports(path.parent / "PORTS.txt")
    return _build_series(table, **options)


def read_station_columns(columns: dict, source_name: str, **options: Any) -> StationSeries:
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
      port: COSORE chamber port number, a list of port numbers to average at each timestamp (``parse_ports``
        reads the PORTS text), or 'mean' to average every port; ``read_station_ports`` keeps them apart
      max_qc: values whose <column>_QC flag exceeds this are dropped (None keeps all)
      duplicates: 'first' (keep the first row of a repeated timestamp), 'mean' or 'error'
      out_of_range: 'drop' (set values outside the physical range missing) or 'keep'
      check_flux_magnitude: True stops when Fc magnitudes do not fit the declared unit, 'warn' only warns
        (for a unit the user chose), False checks nothing; either way the median |Fc| is checked against
        PLAUSIBLE_MEDIAN_FLUX and a warning (``report.warnings``) names a unit that fits better
      step: None (default) lays out regular half-hourly, hourly or daily tables only and stops on others;
        'auto' does the same for regular tables and averages irregular samples (an automated chamber's own
        cycle, timestamps off the grid) into steps of the spacing found when it is half-hourly, hourly or
        daily, else hourly; 1800, 3600 or 86400 averages the samples into steps of that length unless the
        table is regular at it. A binned step is the mean of its samples (ports averaged too);
        ``samples_per_step`` and ``report.binning`` say how many samples each step has
      step_parameter: the name messages give the step option (default STEP, the Processing parameter)
      station_id, station_name, latitude, longitude, elevation: site metadata
    """
    if not columns:
        raise InputError(f"{source_name}: the table has no columns.")
    names = [str(name).strip() for name in columns]
    check_header(names, source_name, "the column names")
    lengths = {name: len(values) for name, values in zip(names, columns.values())}
    first_name = names[0]
    for name, length in lengths.items():
        if length != lengths[first_name]:
            raise InputError(f"{source_name}: column {name!r} has {length} values but column "
                             f"{first_name!r} has {lengths[first_name]}.")
    if lengths[first_name] == 0:
        raise InputError(f"{source_name}: the table has no rows.")
    table = Table(source_name, {name: list(values) for name, values in zip(names, columns.values())})
    return _build_series(table, **options)


@dataclass
class _Log:
    notes: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _select_port(table, fmt, port, log):
    """Rows to use and the port of each (0 where the table has no ports).

    ``port``: 'mean' (every port, averaged at each timestamp), one port number, or a list of port
    numbers averaged at each timestamp.
    """
    rows = np.arange(table.n_rows)
    if not fmt.port_column:
        return rows, np.zeros(table.n_rows, dtype=np.int64)
    numbers = numeric_column(table, fmt.port_column)
    available = sorted(int(p) for p in np.unique(numbers[np.isfinite(numbers)]))
    if port == "mean":
        log.notes.append(f"ports {available} ({fmt.port_column}) averaged at each timestamp")
        _check_port_kinds(table, available, available, log)
        return rows, np.nan_to_num(numbers, nan=-1).astype(np.int64)
    chosen = [port] if isinstance(port, (int, np.integer)) else list(port) if isinstance(port, (list, tuple)) else None
    absent = [p for p in chosen or [port] if p not in available]
    if chosen is None or not chosen or absent:
        raise InputError(f"{table.source}: port(s) {', '.join(map(str, absent or [port]))} not in column "
                         f"{fmt.port_column!r}; ports found: {', '.join(map(str, available))}. Set PORTS to some "
                         f"of them (e.g. {_ports_example(available)}) or to mean (all ports averaged).")
    rows = np.flatnonzero(np.isin(numbers, chosen))
    label = str(chosen[0]) if len(chosen) == 1 else f"{', '.join(map(str, chosen[:-1]))} and {chosen[-1]}"
    log.dropped.append(f"{table.n_rows - rows.size} rows of ports other than {label} not used "
                       f"({fmt.port_column})")
    if len(chosen) > 1:
        log.notes.append(f"ports {chosen} ({fmt.port_column}) averaged at each timestamp")
        _check_port_kinds(table, chosen, available, log)
    return rows, numbers[rows].astype(np.int64)


def _check_port_kinds(table, chosen, available, log):
    """Warn when ports averaged together measure different things (PORTS.txt: trenched ports measure
    heterotrophic respiration Rh only, the others soil respiration Rs)."""
    kinds = table.port_kinds
    if not kinds or 0 in kinds:                 # port 0: one description for all ports
        return
    by_variable = {}
    for port in chosen:
        variable, treatment = kinds.get(port, ("unknown", ""))
        by_variable.setdefault(variable, []).append((port, treatment))
    if len(by_variable) < 2:
        return
    parts = [f"{variable} at port(s) {', '.join(str(p) for p, _ in ports)}"
             + "".join(f" ({t})" for t in sorted({t for _, t in ports if t and t.lower() != 'none'}))
             for variable, ports in sorted(by_variable.items())]
    keep = by_variable.get("Rs") or max(by_variable.values(), key=len)
    log.warnings.append(f"{table.source}: the chamber ports averaged measure different things (PORTS.txt): "
                        f"{'; '.join(parts)}. Trenched ports measure heterotrophic respiration (Rh) only; set "
                        f"PORTS to the ports of one kind, e.g. {','.join(str(p) for p, _ in keep)}.")


def _ports_example(available):
    if len(available) > 2 and available == list(range(available[0], available[-1] + 1)):
        return f"{available[0]}-{available[-1]}"
    return ",".join(map(str, available[:2]))


def read_station_ports(path: str | Path, ports: Any = "mean", **options: Any) -> dict:
    """Each chamber port of a COSORE file as its own series: {port number: StationSeries}; ``ports`` is
    'mean' (every port in the file) or a list of port numbers; the options are those of
    ``read_station_csv``."""
    path = Path(path)
    table = read_csv_table(path, options.get("delimiter"), options.get("decimal", "auto"))
    names = list(table.columns)
    fmt = format_defaults(detect_format(names) if options.get("table_format", "auto") == "auto"
                          else options["table_format"], names)
    if not fmt.port_column:
        raise InputError(f"{path}: has no chamber port column (COSORE CSR_PORT); read it as one series.")
    numbers = numeric_column(table, fmt.port_column)
    chosen = (sorted(int(p) for p in np.unique(numbers[np.isfinite(numbers)])) if ports == "mean"
              else list(ports))
    return {number: read_station_csv(path, **{**options, "port": number}) for number in chosen}


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
            scale, offset = conversion(canonical, declared, table.source)
            values = values * scale + offset
            where = f"{table.source}: column {column!r} ({canonical}, declared {declared})"
            magnitude = check_magnitude(values, canonical, where, check_flux_magnitude)
            log.warnings += magnitude
            if QUANTITY[canonical] == "CO2 flux" and check_flux_magnitude and not magnitude:
                warning = flux_unit_plausibility(values, declared, where)
                if warning:
                    log.warnings.append(warning)
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
                  duplicates="first", out_of_range="drop", check_flux_magnitude=True, step=None, step_parameter="STEP",
                  station_id=None, station_name=None, latitude=None, longitude=None, elevation=None):
    source = table.source
    mapping = dict(check_mapping(mapping or {}))
    _check_choice("table_format", table_format, ("auto",) + FORMATS)
    _check_choice("time_marks", time_marks, ("start", "end"))
    _check_choice("duplicates", duplicates, ("first", "mean", "error"))
    _check_choice("out_of_range", out_of_range, ("drop", "keep"))
    for name in sorted(set(units or {}) | set(required)):
        _check_choice("a declared or required column", name, tuple(CANONICAL_UNITS))
    names = list(table.columns)
    fmt = format_defaults(detect_format(names) if table_format == "auto" else table_format, names)
    fmt.time_column = time_column or fmt.time_column
    if fmt.time_column is None:
        raise InputError(f"{source}: the columns are not those of an AmeriFlux BASE, FLUXNET2015 or "
                         f"COSORE table; give time_column and a mapping such as {{'fc': ..., 't10': "
                         f"..., 'theta10': ...}}. Columns: {', '.join(names)}.")
    table.require(fmt.time_column, "time")
    declared_units = {name: fmt.units.get(name, CANONICAL_UNITS[name]) for name in CANONICAL_UNITS}
    log = _Log()
    if getattr(table, "decimal", ".") == ",":
        log.notes.append(f"numbers read with decimal commas ({DELIMITER_NAMES.get(table.delimiter, 'comma')}-"
                         f"separated table)")
    flux_column = fmt.columns.get("fc")
    file_unit = table.column_units.get(flux_column) if "fc" not in mapping else None
    if file_unit and "fc" not in (units or {}):
        declared_units["fc"] = file_unit
        log.notes.append(f"fc unit {file_unit!r} from CSR_COLUMN_UNITS.csv")
    declared_units.update(units or {})

    rows, ports = _select_port(table, fmt, port, log)
    times = parse_times(table, fmt.time_column)[rows]
    cache = {}

    def numbers(column):
        if column not in cache:
            cache[column] = numeric_column(table, column)[rows]
        return cache[column]

    plans = plan_columns(table, fmt, mapping, numbers)
    for canonical in required:
        if plans[canonical][0] is None:
            raise InputError(f"{source}: no column for {canonical} ({QUANTITY[canonical]}, "
                             f"{CANONICAL_UNITS[canonical]}): {plans[canonical][3]}. Name its column in the "
                             f"column mapping (parameter MAPPING, e.g. {{\"{canonical}\": \"column\"}}).")
    converted, outside = _convert_columns(
        table, fmt, plans, rows, numbers, declared_units, set(mapping) | set(required), max_qc=max_qc,
        out_of_range=out_of_range, check_flux_magnitude=check_flux_magnitude, log=log)
    axis = regular_axis(table, fmt.time_column, rows, ports, times, converted, duplicates, time_marks, log, step,
                        step_parameter, frozenset(plans["p"][0] or ()))
    columns, provenance = _canonical_columns(source, plans, axis, declared_units)
    offset, origin = utc_offset(table, fmt.time_column, times, rows, utc_offset_hours)
    log.notes.append(f"times are {fmt.time_column} as written; UTC offset "
                     + ("unknown" if offset is None else f"{offset:+g} h, {origin}"))
    missing_share = {name: sum(map(is_missing, values)) / table.n_rows
                     for name, values in table.columns.items() if name != fmt.time_column}
    report = StationReport(
        rows_read=table.n_rows, step_found=axis.spacing, first_time=iso(axis.times[0]),
        last_time=iso(axis.times[-1]), steps=axis.times.size, gaps=axis.gaps,
        duplicated=axis.duplicated, non_monotonic=axis.non_monotonic, missing_share=missing_share,
        out_of_range=outside, out_of_range_action=out_of_range, dropped=log.dropped, notes=log.notes,
        binning=axis.binning, warnings=log.warnings)
    meta = table.metadata
    return StationSeries(
        source=source, table_format=fmt.name, times=axis.times, step=axis.step, columns=columns,
        provenance=provenance, report=report, utc_offset_hours=offset,
        station_id=station_id or meta.get("CSR_SITE_ID") or meta.get("Site"),
        station_name=station_name or meta.get("CSR_SITE_NAME"),
        latitude=latitude if latitude is not None else _float_or_none(meta.get("CSR_LATITUDE")),
        longitude=longitude if longitude is not None else _float_or_none(meta.get("CSR_LONGITUDE")),
        elevation=elevation if elevation is not None else _float_or_none(meta.get("CSR_ELEVATION")),
        samples_per_step=axis.samples)


def _float_or_none(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None
