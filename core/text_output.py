"""Text outputs (CSV, HTML, JSON) written the same way everywhere: atomically, numbers unrounded."""
from __future__ import annotations

import csv
import html
import io
import os
from pathlib import Path
from typing import Any, Iterable, Union

import numpy as np

from .output_guard import Output, OutputTransaction

# A file path as the functions of core/ take it: text or a pathlib.Path (anything os.fspath accepts as text).
PathLike = Union[str, os.PathLike]


def write_text_atomically(path: PathLike, text: str) -> None:
    """Write in a hidden folder beside ``path`` and move it into place: never a half-written file."""
    with OutputTransaction([Output("OUTPUT", str(path), "text")]) as transaction:
        Path(transaction.temporary(path)).write_text(text, encoding="utf-8")


def format_value(value: Any, digits: int = 12) -> str:
    """A table cell: floats to ``digits`` significant digits, NaN and inf as empty."""
    if isinstance(value, (float, np.floating)):
        return "" if not np.isfinite(value) else f"{value + 0.0:.{digits}g}"     # + 0.0: no "-0"
    return str(value)


def finite_or_none(value: Any) -> bool | int | float | str | None:
    """A number for a table field or JSON: ints and text as they are, NaN and inf as None (an empty field)."""
    if value is None or isinstance(value, (bool, int, str, np.integer)):
        return value.item() if isinstance(value, np.integer) else value
    value = float(value)
    return value if np.isfinite(value) else None


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text (``\\n`` line ends) of a header and rows of cells; numbers through ``format_value``, None empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else format_value(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def write_csv_atomically(path: PathLike, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    """``csv_text`` written under a temporary name and renamed."""
    write_text_atomically(path, csv_text(header, rows))


def html_table(header: Iterable[Any], rows: Iterable[Iterable[Any]], digits: int = 4) -> str:
    """An HTML table; cells escaped, numbers to ``digits`` significant digits, NaN and None as empty."""
    def cell(value):
        return "" if value is None else html.escape(format_value(value, digits))
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def html_list(texts: Iterable[Any], empty: str = "none") -> str:
    """An HTML bullet list of texts (escaped); one item ``empty`` when there are none."""
    return "<ul>" + ("".join(f"<li>{html.escape(str(text))}</li>" for text in texts)
                     or f"<li>{html.escape(empty)}</li>") + "</ul>"


PAGE_STYLE = ("body{font-family:sans-serif;margin:1.5em;max-width:80em}table{border-collapse:collapse;"
              "margin:0.5em 0 1.5em}td,th{border:1px solid #bbb;padding:0.2em 0.5em;text-align:right}"
              "th{background:#eee}")


def html_page(title: str, body: str, extra_style: str = "") -> str:
    """A whole UTF-8 HTML page with the reports' common style around ``body`` (already HTML)."""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{PAGE_STYLE}{extra_style}</style></head><body><h1>{html.escape(title)}</h1>{body}"
            "</body></html>\n")
