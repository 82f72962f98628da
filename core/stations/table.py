"""Station tables as read: raw columns (text or numbers) from a CSV file or from memory, with the line of
each row for messages, the '#' metadata lines and a COSORE DESCRIPTION.txt, and cells read as numbers
(empty, NA and -9999 are missing)."""
from __future__ import annotations

import codecs
import csv
import difflib
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..delimited import DELIMITERS, sniff_delimiter
from ..errors import InputError
from .times import TIME_FORMATS

MISSING_WORDS = frozenset({"", "na", "nan", "null", "none", "n/a"})
MISSING_NUMBER = -9999.0
LISTED_ROWS = 10                        # rows a message names before it stops listing them
# A byte-order mark decides the encoding (a spreadsheet's "Unicode text" is UTF-16 with one); UTF-32 first.
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
DECIMAL_MARKS = ("auto", ".", ",")
COMMA_DECIMAL = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
POINT_DECIMAL = re.compile(r"^\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*$")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class Table:
    """Raw columns (text or numbers) as read, with the file line of each row when there is a file."""

    def __init__(self, source, columns, line_numbers=None, metadata=None):
        self.source = source
        self.columns = columns
        self.line_numbers = line_numbers
        self.metadata = metadata or {}
        self.column_units = {}                  # column -> unit, where the table's files say (COSORE)
        self.port_kinds = {}                    # port -> (measured variable, treatment) from COSORE PORTS.txt
        self.delimiter = None                   # as found in (or set for) a file
        self.decimal = "."
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


def decode_table_text(raw: bytes, source: str) -> str:
    """The text of a table file: a byte-order mark decides the encoding; else UTF-8, else Latin-1.

    UTF-16 without a mark is recognised by its zero bytes; other zero bytes mean a binary file."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"{source}: starts with a {encoding.upper()} byte-order mark but is not "
                                 f"{encoding.upper()} text ({error.reason} at byte {error.start}).") from None
    head = raw[:4096]
    if len(head) >= 4 and b"\x00" in head:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        encoding = "utf-16-le" if odd > 0.4 * len(head) / 2 and not even else \
            "utf-16-be" if even > 0.4 * len(head) / 2 and not odd else None
        if encoding:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                pass
        raise InputError(f"{source}: is not a table (it holds binary data); expected a CSV text "
                         f"file with a header line (UTF-8, Latin-1, or UTF-16 as spreadsheets save "
                         f"\"Unicode text\").")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_csv_table(path: Path, delimiter: str | None = None, decimal: str = "auto") -> Table:
    """The table of a CSV file: '#' lines before the header as metadata, the delimiter sniffed from the header
    (or ``delimiter``: comma, semicolon or tab), decimal commas read when ``decimal`` is ',' or, with 'auto',
    when numbers are written with commas and none with points (a European spreadsheet's CSV)."""
    source = str(path)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise InputError(f"{source}: the delimiter must be a comma, a semicolon or a tab, not {delimiter!r}.")
    if decimal not in DECIMAL_MARKS:
        raise InputError(f"{source}: the decimal mark must be '.', ',' or auto, not {decimal!r}.")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{source}: cannot be read ({error.strerror}).") from None
    lines = decode_table_text(raw, source).splitlines()
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
    delimiter = delimiter or sniff_delimiter(header_line)
    if not header_line.count(delimiter):
        raise InputError(f"{source}: is not a table: line {first + 1} ({header_line[:60]!r}) has no "
                         f"{DELIMITER_NAMES[delimiter]} between column names" +
                         (" (the delimiter set)." if delimiter != sniff_delimiter(header_line) else
                          "; comma, semicolon or tab expected."))
    reader = csv.reader(lines[first:], delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
        check_header(header, source, f"the header (line {first + 1})")
        values = [[] for _ in header]
        line_numbers = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{source}: is not a regular table: line {first + reader.line_num} has "
                                 f"{len(row)} fields but the header (line {first + 1}) has {len(header)}"
                                 f" ({DELIMITER_NAMES[delimiter]}-separated).")
            for column, cell in zip(values, row):
                column.append(cell)
            line_numbers.append(first + reader.line_num)
    except csv.Error as error:
        raise InputError(f"{source}: is not a readable CSV table near line {first + reader.line_num} "
                         f"({error}).") from None
    if not line_numbers:
        raise InputError(f"{source}: has a header (line {first + 1}) but no data rows.")
    table = Table(source, dict(zip(header, values)), line_numbers, metadata)
    table.delimiter = delimiter
    table.decimal = _read_decimal_commas(table, decimal)
    return table


def _read_decimal_commas(table, decimal):
    """Turn '0,5' into '0.5' in every cell when the table writes decimal commas; the mark used."""
    if decimal == "auto":
        cells = [cell for column in table.columns.values() for cell in column[:1000] if isinstance(cell, str)]
        commas = sum(1 for cell in cells if COMMA_DECIMAL.match(cell))
        points = sum(1 for cell in cells if POINT_DECIMAL.match(cell))
        decimal = "," if commas and not points else "."
    if decimal == ",":
        for column in table.columns.values():
            for row, cell in enumerate(column):
                if isinstance(cell, str) and COMMA_DECIMAL.match(cell):
                    column[row] = cell.replace(",", ".")
    return decimal


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
                comma = (" It holds a decimal comma while other cells use points: set the table's decimal "
                         "mark (DECIMAL)." if isinstance(value, str) and COMMA_DECIMAL.match(value) else "")
                raise InputError(f"{table.source}: column {name!r}, {table.label(row)}: {value!r} is "
                                 f"not a number (missing values may be empty, NA or -9999).{comma}") from None
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
