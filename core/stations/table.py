"""Station tables as read: raw columns (text or numbers) from a CSV file or from memory, with the line of
each row for messages, the '#' metadata lines and a COSORE DESCRIPTION.txt, and cells read as numbers
(empty, NA and -9999 are missing)."""
from __future__ import annotations

import csv
import difflib
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..delimited import sniff_delimiter
from ..errors import InputError
from .times import TIME_FORMATS

MISSING_WORDS = frozenset({"", "na", "nan", "null", "none", "n/a"})
MISSING_NUMBER = -9999.0
LISTED_ROWS = 10                        # rows a message names before it stops listing them


class Table:
    """Raw columns (text or numbers) as read, with the file line of each row when there is a file."""

    def __init__(self, source, columns, line_numbers=None, metadata=None):
        self.source = source
        self.columns = columns
        self.line_numbers = line_numbers
        self.metadata = metadata or {}
        self.column_units = {}                  # column -> unit, where the table's files say (COSORE)
        self.port_kinds = {}                    # port -> (measured variable, treatment) from COSORE PORTS.txt
        self.n_rows = len(next(iter(columns.values())))

    def label(self, row: int) -> str:
        return f"line {self.line_numbers[row]}" if self.line_numbers else f"row {row + 1}"

    def labels(self, rows: np.ndarray) -> tuple[str, ...]:
        return tuple(self.label(int(r)) for r in rows[:LISTED_ROWS])

    def require(self, name: str, purpose: str) -> None:
        if name not in self.columns:
            names = list(self.columns)
            close = difflib.get_close_matches(name, names, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise InputError(f"{self.source}: column {name!r} ({purpose}) is not in the table; its "
                             f"columns are {', '.join(names)}.{hint}")


def check_header(names: list, source: str, where: str) -> None:
    """Stop on a nameless or repeated column name, or a header that holds data."""
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
    if any(pattern.match(text) for _, pattern in TIME_FORMATS):
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_csv_table(path: Path) -> Table:
    """The table of a CSV file: '#' lines before the header as metadata, the delimiter sniffed from the header."""
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
    delimiter = sniff_delimiter(header_line)
    if not header_line.count(delimiter):
        raise InputError(f"{source}: is not a table: line {first + 1} ({header_line[:60]!r}) has no "
                         f"comma, semicolon or tab between column names.")
    reader = csv.reader(lines[first:], delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    check_header(header, source, f"the header (line {first + 1})")
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
    return Table(source, dict(zip(header, values)), line_numbers, metadata)


def read_cosore_description(path: Path) -> dict:
    """'KEY: value' lines of a COSORE DESCRIPTION.txt ({} when there is none)."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, colon, value = line.partition(":")
        if colon and not line.startswith("#") and value.strip():
            out[key.strip()] = value.strip()
    return out


def cell_number(value: Any) -> float:
    """A float, NaN when missing (empty, NA, -9999); ValueError for text that is not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        if value is None or (isinstance(value, str) and value.strip().lower() in MISSING_WORDS):
            return math.nan
        raise
    return math.nan if number == MISSING_NUMBER else number


def is_missing(value: Any) -> bool:
    """Whether a cell is a missing value (text that is not a number is not missing)."""
    try:
        return math.isnan(cell_number(value))
    except (TypeError, ValueError):
        return False


def numeric_column(table: Table, name: str) -> np.ndarray:
    """A column as float64, NaN where missing; a cell that is not a number stops with its row named."""
    values = table.columns[name]
    try:
        return np.fromiter(map(cell_number, values), dtype=np.float64, count=len(values))
    except (TypeError, ValueError):
        for row, value in enumerate(values):
            try:
                cell_number(value)
            except (TypeError, ValueError):
                raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {value!r} is "
                                 f"not a number (missing values may be empty, NA or -9999).") from None
        raise



def read_cosore_units(path: Path) -> dict:
    """{data column: unit} from a COSORE CSR_COLUMN_UNITS.csv ({} when there is none)."""
    if not path.is_file():
        return {}
    out = {}
    lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
             if line.strip() and not line.startswith("#")]
    for row in csv.reader(lines):
        if len(row) >= 5 and row[0].strip() == "data" and row[4].strip():
            out[row[1].strip()] = row[4].strip()
    return out


def read_cosore_ports(path: Path) -> dict:
    """{port: (CSR_MSMT_VAR, CSR_TREATMENT)} from a COSORE PORTS.txt ({} when there is none); port 0 is all ports."""
    if not path.is_file():
        return {}
    lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
             if line.strip() and not line.startswith("#")]
    rows = [[cell.strip() for cell in row] for row in csv.reader(lines)]
    if not rows or "CSR_PORT" not in rows[0] or "CSR_MSMT_VAR" not in rows[0]:
        return {}
    header = rows[0]
    port, variable = header.index("CSR_PORT"), header.index("CSR_MSMT_VAR")
    treatment = header.index("CSR_TREATMENT") if "CSR_TREATMENT" in header else None
    out = {}
    for row in rows[1:]:
        if len(row) > max(port, variable) and row[port].isdigit():
            out[int(row[port])] = (row[variable], row[treatment] if treatment is not None and len(row) > treatment
                                   else "")
    return out
