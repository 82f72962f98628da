"""Parameter sets of the flux scheme: JSON files whose every entry has value, unit, bounds, provenance.

The bundled defaults are ``resources/parameters/default.json``; ``calibrate`` writes files of the same
format. Loading checks every entry so that a typo or an out-of-range value stops the run with a
message naming the file and the key, instead of silently changing the flux.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .text_output import PathLike

FORMAT_NAME = "desert_carbon.parameters"
DEFAULT_PARAMETER_FILE = Path(__file__).resolve().parent.parent / "resources" / "parameters" / "default.json"
PROVENANCE_LABELS = {"R": "stated in the review", "L": "published literature", "P": "provisional",
                     "C": "calibrated"}

# The coefficients the scheme needs, with the unit each must be given in (docs/SCIENCE.md section 2).
REQUIRED_UNITS = {
    "k1": "umol m-2 s-1 K-1",
    "delta_t0": "K",
    "k2": "umol m-2 s-1 (K h-1)-1",
    "theta_c": "m3 m-3",
    "r2_max": "umol m-2 s-1",
    "a2": "umol m-2 s-1",
    "theta_ref": "m3 m-3",
    "p": "1",
    "q10w": "1",
    "a_soc": "umol m-2 s-1 (g kg-1)-1",
    "a_ph": "umol m-2 s-1 (pH unit)-1",
    "a_salt": "umol m-2 s-1 (g kg-1)-1",
    "soc_ref": "g kg-1",
    "ph_ref": "1",
    "salt_ref": "g kg-1",
    "q10c": "1",
    "regime_delta_t": "K",
    "regime_rn": "W m-2",
    "r3_a": "umol m-2 s-1",
    "r3_b": "umol m-2 s-1",
}
# R3's amplitudes at the reference soil (docs/SCIENCE.md section 2, "R3 at one station"): files written
# before they existed lack them and mean 0, so a missing entry takes this one [P].
OPTIONAL_PARAMETERS = {
    "r3_a": {"value": 0.0, "unit": "umol m-2 s-1", "bounds": [0.0, 20.0], "provenance": "P",
             "note": "R3 site amplitude A (temperature-driven release) at SOCref, pHref, Saltref; 0 = off"},
    "r3_b": {"value": 0.0, "unit": "umol m-2 s-1", "bounds": [-20.0, 20.0], "provenance": "P",
             "note": "R3 site amplitude B (solubility-driven uptake) at SOCref, pHref, Saltref; 0 = off"},
}
ENTRY_KEYS = {"value", "unit", "bounds", "provenance"}
# "identified": false marks a calibrated coefficient whose bootstrap interval spans its bounds
OPTIONAL_ENTRY_KEYS = {"note", "uncertainty", "identified"}
TOP_LEVEL_KEYS = {"format", "format_version", "name", "provenance", "description", "time_step",
                  "parameters", "station", "stations", "period", "fit_statistics", "benchmarks", "ensemble"}


@dataclass(frozen=True)
class ParameterSet:
    """Validated coefficients of the scheme, with where they came from."""
    values: dict
    source: str
    name: str = "default"
    time_step_seconds: float = None
    provenance: dict = field(default_factory=dict)
    bounds: dict = field(default_factory=dict)       # key -> (lower, upper)
    not_identified: tuple = ()                       # calibrated, but the bootstrap interval spans the bounds
    warnings: tuple = ()                             # what the file does that the plugin's defaults do not

    def __getattr__(self, key: str) -> float:
        # Read "values" from __dict__, never as self.values: while pickle rebuilds the object (a Dask
        # task carrying it, docs/DESIGN.md) __dict__ is still empty, and self.values would recurse here.
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def needs_soil_maps(self) -> bool:
        """R3 varies with SOC, pH or salt, so their rasters are needed."""
        return any(self.values[k] != 0.0 for k in ("a_soc", "a_ph", "a_salt"))

    @property
    def r3_active(self) -> bool:
        return self.needs_soil_maps or any(self.values.get(k, 0.0) != 0.0 for k in OPTIONAL_PARAMETERS)

    def run_warnings(self) -> list:
        """What a run with these coefficients should say: coefficients the calibration did not identify."""
        if not self.not_identified:
            return []
        return [f"Parameter file {self.source}: {', '.join(self.not_identified)} not identified by its calibration "
                f"(the bootstrap interval spans the bounds); the fluxes depend on values the station data did not "
                f"pin, so treat them as provisional."]

    def describe(self) -> str:
        return ", ".join(f"{k}={v:g} [{self.provenance.get(k, '?')}]" for k, v in self.values.items())


def load_parameters(path: PathLike | None = None) -> ParameterSet:
    """Read and validate a parameter file; ``None`` means the bundled defaults."""
    return _load(path)[0]


def _load(path: PathLike | None) -> tuple:
    """(ParameterSet, the parsed document) of a parameter file, read once."""
    path = Path(path) if path else DEFAULT_PARAMETER_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"Parameter file {path} does not exist.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"Parameter file {path} is not valid JSON: {error}") from None
    except RecursionError:
        raise InputError(f"Parameter file {path} is not a parameter file: its JSON nests too deeply.") from None
    except OSError as error:
        raise InputError(f"Parameter file {path} cannot be read ({error.strerror or error}).") from None
    params = parameters_from_document(document, str(path))
    if path.resolve() != DEFAULT_PARAMETER_FILE:
        params = replace(params, warnings=tuple(bounds_warnings(params, load_parameters(None))))
    return params, document


def bounds_warnings(params: ParameterSet, plugin: ParameterSet) -> list:
    """Where a file's bounds differ from the plugin's (a file may widen its own), and the values that then lie
    outside the plugin's bounds."""
    changed = [key for key in REQUIRED_UNITS if params.bounds[key] != plugin.bounds[key]]
    if not changed:
        return []
    found = [f"Parameter file {params.source}: its bounds differ from the plugin's for "
             + ", ".join(f"{key} ({_interval(params.bounds[key])} instead of {_interval(plugin.bounds[key])})"
                         for key in changed) + "."]
    outside = [f"{key} = {params.values[key]:g} (plugin's bounds {_interval(plugin.bounds[key])})" for key in changed
               if not plugin.bounds[key][0] <= params.values[key] <= plugin.bounds[key][1]]
    if outside:
        found.append(f"Parameter file {params.source}: {', '.join(outside)} lies outside the plugin's bounds, the "
                     f"range it considers plausible: check the value and its unit before trusting the flux.")
    return found


def _is_finite_number(value) -> bool:
    """A JSON number that is a finite float (not a bool, not an integer beyond float's range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _interval(bounds):
    return f"[{bounds[0]:g}, {bounds[1]:g}]"


def parameters_from_document(document: dict, source: str) -> ParameterSet:
    """A ParameterSet from a parsed parameter file; ``source`` names it in error messages."""
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise InputError(f"Parameter file {source}: expected a JSON object with \"format\": "
                         f"\"{FORMAT_NAME}\".")
    unknown_top = set(document) - TOP_LEVEL_KEYS
    if unknown_top:
        raise InputError(f"Parameter file {source}: unknown top-level key(s) {sorted(unknown_top)}; "
                         f"expected only {sorted(TOP_LEVEL_KEYS)}.")
    entries = document.get("parameters")
    if not isinstance(entries, dict):
        raise InputError(f"Parameter file {source}: \"parameters\" must be an object of entries.")
    unknown = set(entries) - set(REQUIRED_UNITS)
    if unknown:
        raise InputError(f"Parameter file {source}: unknown parameter(s) {sorted(unknown)}; "
                         f"known are {sorted(REQUIRED_UNITS)}.")
    entries = {**OPTIONAL_PARAMETERS, **entries}
    missing = set(REQUIRED_UNITS) - set(entries)
    if missing:
        raise InputError(f"Parameter file {source}: missing parameter(s) {sorted(missing)}.")
    values, provenance, bounds = {}, {}, {}
    for key, expected_unit in REQUIRED_UNITS.items():
        values[key], provenance[key], bounds[key] = _checked_entry(source, key, entries[key], expected_unit)
    not_identified = tuple(key for key in REQUIRED_UNITS if entries[key].get("identified") is False)
    if values["theta_ref"] <= values["theta_c"]:
        raise InputError(f"Parameter file {source}: theta_ref ({values['theta_ref']}) must exceed "
                         f"theta_c ({values['theta_c']}).")
    if values["q10w"] <= 0:
        raise InputError(f"Parameter file {source}: q10w ({values['q10w']}) must be above 0: it is the ratio of R2 at "
                         f"T10 + 10 degC to R2 at T10.")
    step = document.get("time_step")
    time_step_seconds = None
    if step is not None:
        if not isinstance(step, dict) or not _is_finite_number(step.get("seconds")) or step["seconds"] <= 0:
            raise InputError(f"Parameter file {source}: \"time_step\" must be null or an object "
                             f"with \"seconds\" (the step the coefficients were fitted at).")
        time_step_seconds = float(step["seconds"])
    return ParameterSet(values=values, source=source, name=str(document.get("name", "")),
                        time_step_seconds=time_step_seconds, provenance=provenance, bounds=bounds,
                        not_identified=not_identified)


def load_parameter_ensemble(path: PathLike, parameter: str = "PARAMETER_ENSEMBLE") -> list:
    """A parameter ensemble: a calibration's file with its bootstrap sets (``load_ensemble``), or a folder of
    parameter files (each a member, in name order). An InputError when it gives fewer than two members."""
    path = Path(path)
    if path.is_dir():
        members = [load_parameters(file) for file in sorted(path.glob("*.json"))]
        where = f"folder {path} holds {len(members)} parameter file(s) (*.json)"
    else:
        members = load_ensemble(path)
        where = (f"file {path} keeps {len(members)} parameter set(s) in its \"ensemble\" (calibrate writes one "
                 f"per bootstrap replicate: BOOTSTRAP above 1)")
    if len(members) < 2:
        raise InputError(f"Parameter ensemble ({parameter}): the {where}; a spread needs at least two.")
    return members


def load_ensemble(path: PathLike) -> list:
    """The bootstrap parameter sets a calibration kept in its file (``"ensemble"``), as ParameterSets.

    Each member is the central set with the fitted coefficients of one bootstrap replicate; a file
    without an ensemble gives an empty list.
    """
    central, document = _load(path)
    ensemble = document.get("ensemble")
    if ensemble is None:
        return []
    names, rows = ensemble.get("coefficients"), ensemble.get("members")
    if (not isinstance(names, list) or not set(names) <= set(REQUIRED_UNITS) or not isinstance(rows, list)
            or not all(isinstance(row, list) and len(row) == len(names) for row in rows)):
        raise InputError(f"Parameter file {path}: \"ensemble\" must hold \"coefficients\" (names of "
                         f"parameters) and \"members\" (one list of as many numbers per member).")
    members = []
    for number, row in enumerate(rows, start=1):
        values = {**central.values, **dict(zip(names, (float(v) for v in row)))}
        members.append(ParameterSet(values=values, source=f"{path} (ensemble member {number})",
                                    name=f"{central.name} member {number}",
                                    time_step_seconds=central.time_step_seconds,
                                    provenance=central.provenance, bounds=central.bounds))
    return members


def _checked_entry(source, key, entry, expected_unit):
    where = f"Parameter file {source}, parameter \"{key}\""
    if not isinstance(entry, dict):
        raise InputError(f"{where}: expected an object with {sorted(ENTRY_KEYS)}.")
    missing = ENTRY_KEYS - set(entry)
    unknown = set(entry) - ENTRY_KEYS - OPTIONAL_ENTRY_KEYS
    if missing or unknown:
        raise InputError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}; "
                         f"expected {sorted(ENTRY_KEYS)} and optionally {sorted(OPTIONAL_ENTRY_KEYS)}.")
    value = entry["value"]
    if not _is_finite_number(value):
        raise InputError(f"{where}: value must be a finite number, got {_shown(value)}.")
    if entry["unit"] != expected_unit:
        raise InputError(f"{where}: unit must be \"{expected_unit}\", got {_shown(entry['unit'])}.")
    bounds = entry["bounds"]
    if (not isinstance(bounds, list) or len(bounds) != 2
            or not all(_is_finite_number(b) for b in bounds) or bounds[0] > bounds[1]):
        raise InputError(f"{where}: bounds must be [lower, upper] (finite numbers), got {_shown(bounds)}.")
    if not bounds[0] <= value <= bounds[1]:
        raise InputError(f"{where}: value {value} is outside its bounds [{bounds[0]}, {bounds[1]}].")
    if "identified" in entry and not isinstance(entry["identified"], bool):
        raise InputError(f"{where}: \"identified\" must be true or false, got {entry['identified']!r}.")
    if not isinstance(entry["provenance"], str) or entry["provenance"] not in PROVENANCE_LABELS:
        raise InputError(f"{where}: provenance must be one of {sorted(PROVENANCE_LABELS)} "
                         f"({', '.join(f'{k} = {v}' for k, v in PROVENANCE_LABELS.items())}), "
                         f"got {entry['provenance']!r}.")
    return float(value), entry["provenance"], (float(bounds[0]), float(bounds[1]))
