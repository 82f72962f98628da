"""Benchmark of desertcarbon:fluxscheme's core: throughput, I/O share, peak memory, bandwidth floor.

Writes ERA5-style NetCDF forcing (one year, hourly) for two grid sizes, each several times larger
in float64 than the working-memory budget, then reports, per size:
- pixel-steps per second of the whole run (I/O included) and of the compute alone (I/O excluded);
- the ratio of the compute to a plain numpy read-and-sum of the same in-memory arrays (the
  memory-bandwidth floor: no scheme can touch its inputs faster);
- peak resident memory of a fresh process running the whole thing, which must not grow with the grid.
Run: .venv/bin/python bench/bench_fluxscheme.py  (or `make bench`)
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_common import REPOSITORY, peak_rss_mib, use_plugin_package

use_plugin_package()
sys.path.insert(0, str(REPOSITORY / "tests"))       # the forcing writers the tests use

BUDGET = 64 * 2**20
SIZES = [(40, 50), (80, 100)]          # rows x cols; one year of hourly steps each


def make_forcing(folder, rows, cols):
    from forcing_files import synthetic_forcing, write_era5_netcdf
    times = np.datetime64("2001-01-01", "s").astype(np.int64) + 3600 * np.arange(8760, dtype=np.int64)
    paths = []
    for part, block in enumerate(np.array_split(np.arange(rows), 4)):    # written in strips to bound memory
        t0, t10, theta = synthetic_forcing(times, len(block), cols, seed=part)
        paths.append((block, t0, t10, theta))
    t0 = np.concatenate([p[1] for p in paths], axis=1)
    t10 = np.concatenate([p[2] for p in paths], axis=1)
    theta = np.concatenate([p[3] for p in paths], axis=1)
    return write_era5_netcdf(Path(folder) / "forcing.nc", times, t0, t10, t10 - 1.0, theta, theta * 1.1)


def measure(path):
    """Runs in a fresh process so that its peak memory is its own."""
    from desert_carbon.core.fluxscheme_run import (NEIGHBOUR_ONLY, WORKING_ARRAYS_PER_STEP, counted_spans,
                                                   read_chunk, run_flux_scheme, window_sums)
    from desert_carbon.core.forcing import Era5Forcing
    from desert_carbon.core.grid import plan_windows
    from desert_carbon.core.parameters import load_parameters
    from desert_carbon.core.timeaxis import day_index

    params = load_parameters()
    forcing = Era5Forcing([path])
    start = time.perf_counter()
    result = run_flux_scheme(forcing, params, Path(path).with_name("annual.tif"), budget_bytes=BUDGET)
    total = time.perf_counter() - start
    peak_mb = peak_rss_mib()

    days = day_index(forcing.times)
    hours = (forcing.times - forcing.times[0]) / 3600.0
    chunks = counted_spans(np.zeros(len(forcing.times), dtype=int), days)
    windows = plan_windows(forcing.grid, (max(b - a for _, a, b in chunks) + 2) * 8 * WORKING_ARRAYS_PER_STEP,
                           BUDGET)
    read_s = compute_s = floor_s = 0.0
    for window in windows[:2]:            # two windows are enough to time the parts
        for _, first, stop in chunks:
            tick = time.perf_counter()
            t0, t10, theta, before, after, lo = read_chunk(forcing, window, first, stop)
            tock = time.perf_counter()
            span = slice(lo, lo + len(t0))
            counted = np.full(len(t0), NEIGHBOUR_ONLY)
            counted[before:len(t0) - after] = 0
            window_sums(t0, t10, theta, hours[span], days[span], counted, 1, forcing.step, params)
            tack = time.perf_counter()
            _ = t0.sum(axis=0) + t10.sum(axis=0) + theta.sum(axis=0)
            floor_s += time.perf_counter() - tack
            read_s += tock - tick
            compute_s += tack - tock
    sampled = sum(w.width * w.height for w in windows[:2]) * len(forcing.times)
    return {"pixel_steps": result.pixel_steps, "total_s": total, "peak_mb": peak_mb,
            "throughput_total": result.pixel_steps / total, "throughput_compute": sampled / compute_s,
            "throughput_read": sampled / read_s, "compute_over_floor": compute_s / floor_s,
            "windows": len(windows)}


def run_child(*args):
    """A fresh process for each part: Linux carries a parent's memory high-water mark into a forked
    child, so the forcing is written in one child and measured in another."""
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout


def main():
    if sys.argv[1:2] == ["--make"]:
        print(make_forcing(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
        return
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        return
    print(f"fluxscheme benchmark: one year hourly (8760 steps), window budget {BUDGET / 2**20:.0f} MiB")
    print(f"{'grid':>9} {'forcing f64':>11} {'windows':>7} {'Mpx-steps/s':>11} {'compute only':>12} "
          f"{'read only':>10} {'compute/floor':>13} {'peak RSS':>9}")
    for rows, cols in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            path = run_child("--make", folder, str(rows), str(cols)).strip()
            m = json.loads(run_child(path))
        size_mb = 3 * rows * cols * 8760 * 8 / 2**20
        print(f"{rows:>4}x{cols:<4} {size_mb:>8.0f} MiB {m['windows']:>7} {m['throughput_total'] / 1e6:>11.2f} "
              f"{m['throughput_compute'] / 1e6:>12.2f} {m['throughput_read'] / 1e6:>10.2f} "
              f"{m['compute_over_floor']:>12.1f}x {m['peak_mb']:>6.0f} MiB")


if __name__ == "__main__":
    main()
