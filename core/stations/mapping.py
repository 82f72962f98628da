"""Which table columns make each canonical column: the caller's mapping (checked here, whether it comes
from Python, from a Processing MAPPING parameter as JSON or from the dock's column choices), else the
format's defaults, with soil profiles interpolated to the scheme's depths (T0 at 0 cm, T10 and θ10 at 10 cm).

The rules every shell shares live here once: ``parse_mapping`` (MAPPING text → mapping), ``check_mapping``,
``mapping_text`` (mapping → MAPPING text), ``mapping_from_choices`` / ``choices_from_mapping`` (the dock's
per-column choices and back), ``parse_port`` (the PORT text) and ``parse_ports`` (the PORTS text).
"""
from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np

from ..errors import InputError
from .formats import CANONICAL_UNITS, QUANTITY, TableFormat
from .table import Table

TARGET_DEPTH_CM = {"t0": 0.0, "t10": 10.0, "theta10": 10.0}
# A sensor this close may stand in for the target depth: 5 cm for 10 cm, but not 5 cm for the surface.
NEAREST_DEPTH_TOLERANCE_CM = {"t0": 2.0, "t10": 5.0, "theta10": 5.0}
MAPPING_EXAMPLE = '{"fc": "FC", "t0": "TS_1_1_1", "t10": [["TS_1_2_1", 5], ["TS_1_3_1", 15]], "ta": null}'
# The dock's choices for a canonical column that are not a column name.
FORMAT_DEFAULT = "__default__"          # the format's own column (nothing in the mapping)
LEAVE_OUT = "__none__"                  # no column at all (None in the mapping, null in JSON)
MEAN_PORT = "mean"


# ---- the caller's mapping, its text and the dock's choices ---------------------------------------

def check_mapping(mapping: Any, name: str = "mapping") -> dict:
    """``mapping`` as the reader takes it: {canonical: spec}, a spec being a column name, {column: weight},
    [(column, depth_cm), ...] or None (leave the column out). Errors name ``name`` and show an example."""
    hint = f" For example: {MAPPING_EXAMPLE}"
    names = ", ".join(CANONICAL_UNITS)
    if not isinstance(mapping, dict):
        raise InputError(f"{name} must be a JSON object from the plugin's column names ({names}) to the "
                         f"table's columns, not {mapping!r}.{hint}")
    for canonical, spec in mapping.items():
        if canonical not in CANONICAL_UNITS:
            raise InputError(f"{name}: {canonical!r} is not one of the plugin's column names ({names}).{hint}")
        if not _is_spec(spec):
            raise InputError(f"{name}: {canonical} is mapped to {spec!r}, which is neither a column name, "
                             f"{{column: weight}}, [[column, depth_cm], ...] nor null.{hint}")
    return mapping


def parse_mapping(text: str, name: str = "MAPPING") -> dict | None:
    """The mapping written as JSON in a text parameter (``name`` for errors); None when the text is empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name} is not valid JSON ({error}): {text!r}. For example: {MAPPING_EXAMPLE}") from None
    return check_mapping(mapping, name)


def mapping_text(mapping: dict | None) -> str:
    """The MAPPING text of a mapping ('' for none): what ``parse_mapping`` reads back."""
    return json.dumps(mapping) if mapping else ""


def mapping_from_choices(choices: dict) -> dict:
    """The caller's mapping from a choice per canonical column (a column name, FORMAT_DEFAULT or LEAVE_OUT):
    only what differs from the format's default."""
    return {canonical: None if choice == LEAVE_OUT else choice for canonical, choice in choices.items()
            if choice != FORMAT_DEFAULT}


def choices_from_mapping(mapping: dict | None) -> dict:
    """The choice of every canonical column that gives ``mapping`` back through ``mapping_from_choices``."""
    mapping = mapping or {}
    return {canonical: FORMAT_DEFAULT if canonical not in mapping else mapping[canonical] or LEAVE_OUT
            for canonical in CANONICAL_UNITS}


def parse_port(text: str | int | None) -> int | str:
    """A COSORE chamber port as the reader takes it: a number, or 'mean' (also for empty text)."""
    port = str(text if text is not None else "").strip() or MEAN_PORT
    return int(port) if port.isdigit() else port


PORTS_EXAMPLE = "1-4, 1,3 or mean"
ALL_PORTS = ("", MEAN_PORT, "all")


def parse_ports(text: str | int | None, name: str = "PORTS") -> tuple | str:
    """The PORTS text as the reader takes it: 'mean' for all ports averaged (empty, mean or all), else the
    sorted port numbers, from numbers and ranges separated by commas ('1-4', '1,3', '1-2, 4')."""
    raw = str(text if text is not None else "").strip()
    if raw.lower() in ALL_PORTS:
        return MEAN_PORT
    ports = set()
    for part in raw.replace(";", ",").split(","):
        first, dash, last = part.strip().partition("-")
        if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
            raise InputError(f"{name}: {raw!r} is not a list of chamber ports; type port numbers and ranges "
                             f"separated by commas, e.g. {PORTS_EXAMPLE} (all ports averaged).")
        low, high = int(first), int(last) if dash else int(first)
        if high < low:
            raise InputError(f"{name}: the range {part.strip()!r} runs backwards; write it low to high, e.g. "
                             f"{high}-{low}.")
        ports.update(range(low, high + 1))
    return tuple(sorted(ports))


def _is_spec(spec) -> bool:
    if spec is None or isinstance(spec, str):
        return True
    if isinstance(spec, dict):
        return all(isinstance(column, str) and _is_number(weight) for column, weight in spec.items())
    if isinstance(spec, (list, tuple)):
        return all(isinstance(pair, (list, tuple)) and len(pair) == 2 and isinstance(pair[0], str)
                   and _is_number(pair[1]) for pair in spec)
    return False


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


# ---- from the mapping and the format to the columns ----------------------------------------------

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


def plan_columns(table: Table, fmt: TableFormat, mapping: dict, numbers: Callable[[str], np.ndarray]) -> dict:
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
    note = (f"sensor depth unknown (site metadata); to interpolate by depth, give the columns with their depths in "
            f"the column mapping (parameter MAPPING, e.g. {{\"{canonical}\": [[\"TS_1_1_1\", 5], [\"TS_1_2_1\", "
            f"15]]}})")
    return ({c: 1.0 / len(columns) for c in columns}, {c: None for c in columns},
            f"{fmt.name} default, shallowest profile level (mean of {len(columns)} position(s))",
            "; ".join([note] + skipped))

