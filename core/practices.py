"""The practices table: desertification-control practices with their rates, growth, water and sources.

A CSV a planner edits in a spreadsheet (resources/practices/README.md documents every column): row 1
names the columns, row 2 gives each column's unit, every further row is one practice. Units are checked
on load and converted to the units the scenario computes in; a rate's unit is given per row in
``rate_unit`` (the review states the shelter forest in g CO2 and Haloxylon in g C). Every number carries
its provenance, [R] review, [L] literature or [P] provisional, in the ``provenance`` column. An error
names the file, the row (as the spreadsheet numbers it) and the column.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
from numpy.typing import ArrayLike

from .delimited import sniff_delimiter
from .errors import InputError
from .text_output import PathLike
from .units import CO2_PER_C  # noqa: F401 (the scenario and the dock take it from here)

DEFAULT_PRACTICES = Path(__file__).resolve().parent.parent / "resources" / "practices" / "practices.csv"
BASELINE = "baseline"            # a rate that is the baseline itself: the practice changes nothing
PROVENANCE_TAGS = {"R": "stated in the review", "L": "published literature", "P": "provisional"}
GROWTH_CURVES = ("linear", "logistic")
PER_ROW_RATE_UNIT = "rate_unit"  # the units-row entry of the rate columns: their unit is given per row

# Units accepted per row in rate_unit, with the factor to g CO2 m-2 a-1.
RATE_UNITS = {"g CO2 m-2 a-1": 1.0, "g C m-2 a-1": CO2_PER_C}
# Per column: the units accepted in the units row and the factor to the unit computed in (the first).
TEXT = {"-": 1.0, "": 1.0}
COLUMN_UNITS = {
    "practice": TEXT, "name": TEXT, "rate_unit": TEXT,
    "mature_rate": {PER_ROW_RATE_UNIT: 1.0}, "rate_min": {PER_ROW_RATE_UNIT: 1.0},
    "rate_max": {PER_ROW_RATE_UNIT: 1.0},
    "years_to_maturity": {"a": 1.0, "yr": 1.0, "years": 1.0},
    "growth_curve": TEXT, "growth_shape": {"1": 1.0, "-": 1.0},
    "water_need": {"m3 ha-1 a-1": 1.0, "mm a-1": 10.0},      # 1 mm over a hectare = 10 m³
    "rain_no_effect_below": {"mm": 1.0}, "rain_uptake_near": {"mm": 1.0}, "rain_release_above": {"mm": 1.0},
    "rain_soil_moisture_5cm": {"m3 m-3": 1.0},
    "provenance": TEXT, "sources": TEXT,
}
RATE_COLUMNS = ("mature_rate", "rate_min", "rate_max")
OPTIONAL_NUMBERS = ("rain_no_effect_below", "rain_uptake_near", "rain_release_above", "rain_soil_moisture_5cm")
NUMBER_COLUMNS = RATE_COLUMNS + ("years_to_maturity", "growth_shape", "water_need") + OPTIONAL_NUMBERS
# Typed forms of units that a spreadsheet user may enter, reduced to the plain forms above.
_UNIT_SPELLINGS = str.maketrans({"³": "3", "²": "2", "⁻": "-", "¹": "1", "₂": "2", "·": " ", "−": "-"})
_TAG = re.compile(r"([A-Za-z_0-9]+)\s*\[\s*([A-Za-z])\s*\]")


@dataclass(frozen=True)
class Practice:
    """One practice; rates in g CO2 m-2 a-1 (negative = uptake), None where the rate is the baseline."""
    practice: str
    name: str
    mature_rate: float
    rate_min: float
    rate_max: float
    years_to_maturity: float          # a
    growth_curve: str
    growth_shape: float               # dimensionless steepness of the logistic curve
    water_need: float                 # m³ ha-1 a-1
    rain_no_effect_below: float = None     # mm per event
    rain_uptake_near: float = None         # mm per event
    rain_release_above: float = None       # mm per event
    rain_soil_moisture_5cm: float = None   # m³ m-3
    provenance: dict = field(default_factory=dict)   # column -> R / L / P
    sources: str = ""

    @property
    def is_baseline(self) -> bool:
        return self.mature_rate is None

    def growth(self, age: ArrayLike) -> np.ndarray | float:
        """Share of the mature rate reached ``age`` years after planting (0 in the planting year).

        linear: age / T up to 1. logistic: a logistic of steepness s centred at T/2, rescaled so that it
        runs from exactly 0 at planting to exactly 1 at T (s -> 0 gives the linear ramp).
        """
        age = np.asarray(age, dtype=np.float64)
        if self.years_to_maturity == 0:
            return np.where(age > 0, 1.0, 0.0)
        x = np.clip(age / self.years_to_maturity, 0.0, 1.0)
        if self.growth_curve == "linear":
            return x
        s = self.growth_shape
        low, high = _sigmoid(-s / 2), _sigmoid(s / 2)
        return (_sigmoid(s * (x - 0.5)) - low) / (high - low)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def load_practices(path: PathLike | None = None) -> dict[str, Practice]:
    """The practices of a table (``None`` = the bundled one) as {practice id: Practice}, validated."""
    path = Path(path) if path else DEFAULT_PRACTICES
    try:
        text = path.read_text(encoding="utf-8-sig")      # -sig: the byte-order mark spreadsheets write
    except FileNotFoundError:
        raise InputError(f"Practices table {path} does not exist.") from None
    except UnicodeDecodeError as error:
        raise InputError(f"Practices table {path} is not UTF-8 text ({error}); save it as CSV UTF-8.") from None
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
            if any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#")]
    if len(rows) < 3:
        raise InputError(f"Practices table {path}: needs a row of column names, a row of units and at least "
                         f"one practice.")
    (_, header), (units_row_number, units) = rows[0], rows[1]
    header = [name.strip() for name in header]
    missing = [name for name in COLUMN_UNITS if name not in header]
    if missing:
        raise InputError(f"Practices table {path}, row 1: missing columns {missing} (see "
                         f"resources/practices/README.md).")
    factors = {name: _unit_factor(path, units_row_number, name, _cell(units, header.index(name)))
               for name in COLUMN_UNITS}
    practices = {}
    for number, row in rows[2:]:
        values = {name: _cell(row, header.index(name)) for name in COLUMN_UNITS}
        practice = _practice(_Where(path, number, values["practice"]), values, factors)
        if practice.practice.lower() in {key.lower() for key in practices}:
            raise InputError(f"Practices table {path}, row {number}, column practice: "
                             f"'{practice.practice}' is listed twice.")
        practices[practice.practice] = practice
    return practices


def find_practice(practices: Mapping[str, Practice], name: str) -> Practice | None:
    """The practice called ``name`` (ids compare without case and surrounding blanks), else None."""
    wanted = str(name).strip().lower()
    return next((p for key, p in practices.items() if key.lower() == wanted), None)


@dataclass(frozen=True)
class _Where:
    path: Path
    row: int
    practice: str

    def error(self, column, message):
        who = f" ({self.practice})" if self.practice else ""
        return InputError(f"Practices table {self.path}, row {self.row}{who}, column {column}: {message}")


def _cell(row, index):
    return row[index].strip() if index < len(row) else ""


def _normal_unit(unit):
    return " ".join(unit.translate(_UNIT_SPELLINGS).replace("CO₂", "CO2").split())


def _unit_factor(path, row, column, unit):
    accepted = COLUMN_UNITS[column]
    factor = accepted.get(_normal_unit(unit))
    if factor is None:
        raise InputError(f"Practices table {path}, row {row} (units), column {column}: unit '{unit}' is not "
                         f"one of {[u for u in accepted if u]}.")
    return factor


def _practice(where, values, factors):
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", values["practice"]):
        raise where.error("practice", f"'{values['practice']}' is not an id (letters, digits and _, starting "
                                      f"with a letter).")
    provenance = _provenance(where, values["provenance"])
    numbers = {}
    baseline = values["mature_rate"].lower() == BASELINE
    rate_factor = None
    if not baseline:
        rate_factor = RATE_UNITS.get(_normal_unit(values["rate_unit"]))
        if rate_factor is None:
            raise where.error("rate_unit", f"'{values['rate_unit']}' is not one of {list(RATE_UNITS)}.")
    for column in NUMBER_COLUMNS:
        text = values[column]
        if baseline and column in RATE_COLUMNS:
            if text.lower() not in (BASELINE, ""):
                raise where.error(column, f"must be '{BASELINE}' or empty when mature_rate is '{BASELINE}'.")
            numbers[column] = None
            continue
        if not text:
            if column in OPTIONAL_NUMBERS or baseline or (column == "growth_shape"
                                                          and values["growth_curve"] != "logistic"):
                numbers[column] = None
                continue
            raise where.error(column, "is empty; a number is required.")
        try:
            value = float(text)
        except ValueError:
            raise where.error(column, f"'{text}' is not a number.") from None
        if not math.isfinite(value):
            raise where.error(column, f"'{text}' is not a finite number.")
        if column not in provenance:
            raise where.error("provenance", f"gives no [R], [L] or [P] for {column} = {text}.")
        numbers[column] = value * (rate_factor if column in RATE_COLUMNS else factors[column])
    if not baseline:
        _check_numbers(where, values, numbers)
    return Practice(
        practice=values["practice"], name=values["name"] or values["practice"],
        mature_rate=numbers["mature_rate"], rate_min=numbers["rate_min"], rate_max=numbers["rate_max"],
        years_to_maturity=numbers["years_to_maturity"] or 0.0,
        growth_curve=values["growth_curve"] or "linear", growth_shape=numbers["growth_shape"],
        water_need=numbers["water_need"] or 0.0,
        **{column: numbers[column] for column in OPTIONAL_NUMBERS},
        provenance=provenance, sources=values["sources"])


def _check_numbers(where, values, numbers):
    if not numbers["rate_min"] <= numbers["mature_rate"] <= numbers["rate_max"]:
        raise where.error("rate_min", f"the range {values['rate_min']} .. {values['rate_max']} must hold "
                                      f"mature_rate {values['mature_rate']} (rates are signed: negative = "
                                      f"uptake, so rate_min is the most uptake).")
    if numbers["years_to_maturity"] < 0:
        raise where.error("years_to_maturity", "must not be negative.")
    if values["growth_curve"] not in GROWTH_CURVES:
        raise where.error("growth_curve", f"'{values['growth_curve']}' is not one of {list(GROWTH_CURVES)}.")
    if values["growth_curve"] == "logistic" and not numbers["growth_shape"] > 0:
        raise where.error("growth_shape", "the logistic curve needs a steepness > 0 (e.g. 6).")
    if values["growth_curve"] == "linear" and numbers["growth_shape"] is not None:
        raise where.error("growth_shape", "must be empty for the linear curve.")
    if numbers["water_need"] < 0:
        raise where.error("water_need", "must not be negative.")
    rain = [(c, numbers[c]) for c in ("rain_no_effect_below", "rain_uptake_near", "rain_release_above")
            if numbers[c] is not None]
    for (low_column, low), (high_column, high) in zip(rain, rain[1:]):
        if not 0 <= low < high:
            raise where.error(high_column, f"rain thresholds must increase: {low_column} {low:g} mm, "
                                           f"{high_column} {high:g} mm.")
    moisture = numbers["rain_soil_moisture_5cm"]
    if moisture is not None and not 0 < moisture < 1:
        raise where.error("rain_soil_moisture_5cm", f"{moisture:g} m³ m⁻³ is not a volumetric water content.")


def _provenance(where, text):
    tags = {}
    for piece in filter(None, (p.strip() for p in text.split(";"))):
        match = _TAG.fullmatch(piece)
        if not match or match.group(2).upper() not in PROVENANCE_TAGS:
            raise where.error("provenance", f"'{piece}' is not 'column [R]', 'column [L]' or 'column [P]'.")
        column = match.group(1)
        if column not in COLUMN_UNITS:
            raise where.error("provenance", f"'{piece}' names no column of the table.")
        tags[column] = match.group(2).upper()
    return tags
