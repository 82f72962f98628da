"""The out-of-sample benchmark table of the README: the fitted scheme against the defaults, the null model and
the Q10 x moisture model, on the same held-out folds, for every station sample the repository has.

README.md holds the table this prints between its ``calibration-benchmarks`` markers, and
tests/core/test_readme_calibration_table.py recomputes it, so the README cannot drift from the code.
"""
from pathlib import Path

from bench_common import REPOSITORY, use_plugin_package

use_plugin_package()

COSORE = REPOSITORY / "tests" / "data" / "cosore_ES-Agu_2012" / "data.csv"
MARKER = "calibration-benchmarks"
MODELS = ("fit", "initial", "null", "q10")
HEADER = ("station sample", "held-out folds", "fitted scheme", "defaults", "null (training mean)",
          "Q10 × moisture", "scheme beats both")


def samples():
    """(label, StationSeries) of each sample: the real COSORE chamber file (all ports, each port) and a
    synthetic station made from known coefficients (labelled so)."""
    import sys
    sys.path.insert(0, str(REPOSITORY / "tests"))
    from desert_carbon.core.stations import read_station_csv
    from synthetic_station import synthetic_table
    out = []
    for label, ports in (("COSORE ES-Agu 2012, ports 1-2 averaged", None), ("COSORE ES-Agu 2012, port 1", (1,)),
                         ("COSORE ES-Agu 2012, port 2", (2,))):
        out.append((label, read_station_csv(COSORE, mapping={"t0": "CSR_T5"}, **({"port": ports} if ports else {}))))
    out.append(("synthetic station (known coefficients, 2 years)", synthetic_table()[0]))
    return out


def benchmark_rows(n_bootstrap=0):
    """One row per sample: held-out RMSE (µmol m⁻² s⁻¹) and mean |fold-sum error| (g CO₂ m⁻²) of each model."""
    from desert_carbon.core.calibration import calibrate
    rows = []
    for label, series in samples():
        validation = calibrate(series, n_bootstrap=n_bootstrap).validation
        cells = [f"{validation[m]['rmse']:.3g} / {validation[m]['mean_abs_sum_error']:.3g}" for m in MODELS]
        beats = all(validation["fit"][key] <= validation[m][key] for m in ("null", "q10")
                    for key in ("rmse", "mean_abs_sum_error"))
        rows.append([label, f"{validation['scheme']} ({len(validation['folds'])})", *cells, "yes" if beats else "no"])
    return rows


def markdown(rows):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def readme_table(readme: Path = REPOSITORY / "README.md") -> str:
    text = readme.read_text(encoding="utf-8")
    start, end = f"<!-- {MARKER} -->", f"<!-- /{MARKER} -->"
    return text[text.index(start) + len(start):text.index(end)].strip()


if __name__ == "__main__":
    print(markdown(benchmark_rows()))
