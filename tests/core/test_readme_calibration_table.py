"""The README's out-of-sample benchmark table is what the code gives today (recomputed, no bootstrap: the
held-out folds do not depend on it): labels and verdicts exactly, numbers to 1 % (the README prints three
digits, and a bounded nonlinear fit stops a little differently with another scipy release)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from calibration_table import benchmark_rows, markdown, readme_table  # noqa: E402


def cells(table):
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


def numbers(cell):
    return [float(part) for part in cell.split(" / ")]


def test_readme_benchmark_table_matches_the_code():
    shown, computed = cells(readme_table()), cells(markdown(benchmark_rows()))
    assert len(shown) == len(computed) and shown[:2] == computed[:2]
    for shown_row, computed_row in zip(shown[2:], computed[2:]):
        assert shown_row[:2] == computed_row[:2] and shown_row[-1] == computed_row[-1], shown_row
        for shown_cell, computed_cell in zip(shown_row[2:-1], computed_row[2:-1]):
            assert numbers(shown_cell) == pytest.approx(numbers(computed_cell), rel=0.01), (shown_row[0], shown_cell)
