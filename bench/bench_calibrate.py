"""Benchmark of desertcarbon:calibrate's core: 200 bootstrap replicates (the default) on the real COSORE sample
and on a two-year synthetic station, against the peer measured in the same run: one fit of the same data
(stages 1-3 with theta_c free) times the number of fits the run makes (main fit profile, folds, replicates).

Prints, per sample: steps, wall time of the whole calibration, seconds per replicate, and the ratio of the whole to
(fits made x one fit, started where the replicates start: at the main fit). A ratio near 1 means the run costs what
its fits cost, nothing more; above 1, the replicates need more iterations than a fit of the whole record.
Run: .venv/bin/python bench/bench_calibrate.py  (or `make bench`)
"""
import time

from bench_common import peak_rss_mib
from calibration_table import benchmark_rows, markdown, samples

REPLICATES = 200


def main():
    from desert_carbon.core.calibration import (DEFAULT_ANNUAL_PENALTY_WEIGHT, FitOptions, _fit, calibrate,
                                                calibration_data, load_initial)
    import numpy as np
    initial, bounds = load_initial()
    print(f"calibrate, {REPLICATES} bootstrap replicates")
    print(f"{'sample':>52} {'steps':>6} {'total s':>8} {'s/replicate':>12} {'one fit s':>10} {'total/fits':>11}")
    for label, series in samples()[:1] + samples()[-1:]:
        started = time.perf_counter()
        result = calibrate(series, n_bootstrap=REPLICATES)
        total = time.perf_counter() - started
        data = calibration_data(series if series.step != 1800 else __import__(
            "desert_carbon.core.stations", fromlist=["resample"]).resample(series, 3600))
        observed = data.take(np.flatnonzero(np.isfinite(data.fc)))
        start = result.parameters
        started = time.perf_counter()
        for _ in range(3):
            _fit(observed, start, bounds, DEFAULT_ANNUAL_PENALTY_WEIGHT, FitOptions())
        one_fit = (time.perf_counter() - started) / 3
        fits = len(result.validation["folds"]) + REPLICATES + 11          # profile: up to 11 theta_c candidates
        print(f"{label:>52} {observed.fc.size:>6} {total:>8.1f} {total / REPLICATES:>12.3f} {one_fit:>10.3f} "
              f"{total / (fits * one_fit):>10.2f}x")
    print(f"peak RSS {peak_rss_mib():.0f} MiB")
    print("\nOut-of-sample benchmarks (held-out RMSE µmol m⁻² s⁻¹ / mean |fold-sum error| g CO₂ m⁻²):")
    print(markdown(benchmark_rows()))


if __name__ == "__main__":
    main()
