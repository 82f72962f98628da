"""Compare two `make demo` outputs' tables (the CSV files run_demo.py writes: totals.csv, scenario.csv).

    python3 compare_demo.py [--tolerance 1e-9] [--json RESULT] REFERENCE_DIR OTHER_DIR

Every numeric cell is compared by relative difference |a - b| / max(|a|, |b|) (0 when both are 0, and
when both are NaN); other cells must be equal. Prints the largest difference per file and the worst
cells; exits 1 when a table is missing, has another shape, or differs by more than the tolerance.
Standard library only: it runs on the host against any chroot's demo-output/.
"""
import argparse
import csv
import json
import math
import sys
from pathlib import Path


# Tables from calibrated coefficients: a bounded nonlinear fit stops where scipy's least_squares of the release
# stops (1.10 in bookworm, 1.17 in sid), as good a fit but not the same last digits, and the steppe sample's
# coefficients that are not identified (q10c) move the ensemble's total by about 1 %: compared to this instead.
FITTED_TABLE_TOLERANCE = {"totals_calibrated.csv": 0.05}


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def relative_difference(a, b):
    if math.isnan(a) and math.isnan(b):
        return 0.0
    if a == b:   # also both zero, or the same infinity
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def compare_table(reference, other):
    """(largest relative difference, worst cells, problems) for one CSV file."""
    with open(reference, newline="") as f:
        ref_rows = list(csv.reader(f))
    with open(other, newline="") as f:
        other_rows = list(csv.reader(f))
    if not ref_rows or not other_rows or ref_rows[0] != other_rows[0]:
        return math.inf, [], [f"header differs: {ref_rows[:1]} vs {other_rows[:1]}"]
    if len(ref_rows) != len(other_rows):
        return math.inf, [], [f"{len(ref_rows) - 1} rows vs {len(other_rows) - 1}"]
    header, worst, cells, problems = ref_rows[0], 0.0, [], []
    for row_number, (ref_row, other_row) in enumerate(zip(ref_rows[1:], other_rows[1:]), start=2):
        if len(ref_row) != len(other_row):
            problems.append(f"line {row_number}: {len(ref_row)} cells vs {len(other_row)}")
            continue
        for column, a_text, b_text in zip(header, ref_row, other_row):
            a, b = number(a_text), number(b_text)
            if a is None or b is None:
                if a_text != b_text:
                    problems.append(f"line {row_number} {column}: {a_text!r} vs {b_text!r}")
                continue
            difference = relative_difference(a, b)
            worst = max(worst, difference)
            if difference > 0:
                cells.append((difference, row_number, column, a_text, b_text))
    return worst, sorted(cells, reverse=True)[:5], problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("other", type=Path)
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--json", type=Path, help="write the result here as JSON")
    args = parser.parse_args()

    tables = sorted(p.name for p in args.reference.glob("*.csv"))
    result = {"reference": str(args.reference), "other": str(args.other), "tolerance": args.tolerance,
              "tables": {}, "max_relative_difference": None, "ok": bool(tables)}
    if not tables:
        print(f"no CSV tables in {args.reference}")
    overall = 0.0
    for name in tables:
        if not (args.other / name).exists():
            result["tables"][name] = {"problems": ["missing"], "max_relative_difference": None}
            result["ok"] = False
            print(f"{name}: missing in {args.other}")
            continue
        worst, cells, problems = compare_table(args.reference / name, args.other / name)
        tolerance = max(args.tolerance, FITTED_TABLE_TOLERANCE.get(name, 0.0))
        if name not in FITTED_TABLE_TOLERANCE:
            overall = max(overall, worst)
        ok = not problems and worst <= tolerance
        result["ok"] &= ok
        result["tables"][name] = {"max_relative_difference": worst, "problems": problems, "tolerance": tolerance,
                                  "worst_cells": [list(c) for c in cells]}
        print(f"{name}: max relative difference {worst:.3g} {'ok' if ok else 'FAIL'} (tolerance {tolerance:g})")
        for problem in problems[:20]:
            print(f"  {problem}")
        for difference, line, column, a, b in cells:
            print(f"  line {line} {column}: {a} vs {b} (relative {difference:.3g})")
    result["max_relative_difference"] = overall   # inf when a table could not be compared
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
