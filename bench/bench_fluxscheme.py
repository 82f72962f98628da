"""Benchmark of desertcarbon:fluxscheme's core against the floor of reading its forcing.

Writes SYNTHETIC ERA5-style NetCDF forcing (one year, hourly, int16 packed as the old data-store layout)
for two grid sizes, each several times larger in float64 than the working-memory budget, then reports,
per size, in a fresh process (peak memory is its own):
- pixel-steps per second of the whole run, end to end: open the files, read, compute, write the GeoTIFF;
- the floor: a plain GDAL read of the same files, every variable the scheme reads, as packed on disk
  (``gdal.OpenEx(path, OF_MULTIDIM_RASTER)``, ``ReadAsArray`` of each whole variable), best of REPEATS;
- the ratio of the two (goal of issue 14: at most GOAL) and the peak resident memory (VmHWM), which
  must not grow with the grid.
Run: .venv/bin/python bench/bench_fluxscheme.py  (or `make bench`)
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench_common import REPOSITORY, fastest, peak_rss_mib, use_plugin_package

use_plugin_package()
sys.path.insert(0, str(REPOSITORY / "tests"))       # the forcing writers the tests use

BUDGET = 64 * 2**20
# rows x cols (one year of hourly steps each) and whether theta10 is above theta_c at every step: the synthetic
# forcing's soil is wet a quarter of the time in spells (as sand is after rain), when R2 is computed; an
# always-wet soil (as reanalysis often has over dunes) makes R2 cost its exp and log at every step
SIZES = [(40, 50, False), (80, 100, False), (80, 100, True)]
REPEATS = 5
GOAL = 3.0
VARIABLES = ("skt", "stl1", "stl2", "swvl1", "swvl2")


def make_forcing(folder, rows, cols, wet=False, steps=8760):
    """SYNTHETIC forcing (tests/forcing_files.py), written in strips to bound memory; ``wet``: theta10 raised
    above theta_c (0.05) at every step."""
    from forcing_files import synthetic_forcing, write_era5_netcdf
    times = np.datetime64("2001-01-01", "s").astype(np.int64) + 3600 * np.arange(steps, dtype=np.int64)
    parts = [synthetic_forcing(times, len(block), cols, seed=part)
             for part, block in enumerate(np.array_split(np.arange(rows), 4))]
    t0, t10, theta = (np.concatenate([p[k] for p in parts], axis=1) for k in range(3))
    if wet:
        theta += 0.05
    return write_era5_netcdf(Path(folder) / "forcing.nc", times, t0, t10, t10 - 1.0, theta, theta * 1.1)


def read_floor(path):
    """Every variable the scheme reads, whole, as packed on disk."""
    from osgeo import gdal
    root = gdal.OpenEx(str(path), gdal.OF_MULTIDIM_RASTER).GetRootGroup()
    return sum(root.OpenMDArray(name).ReadAsArray().nbytes for name in VARIABLES)


def measure(path):
    """Runs in a fresh process so that its peak memory is its own."""
    from desert_carbon.core.fluxscheme_run import run_flux_scheme
    from desert_carbon.core.forcing import Era5Forcing
    from desert_carbon.core.parameters import load_parameters

    params = load_parameters()
    output = Path(path).with_name("annual.tif")

    def run():
        forcing = Era5Forcing([path])
        try:
            return run_flux_scheme(forcing, params, output, budget_bytes=BUDGET)
        finally:
            forcing.close()

    total_s, result = fastest(REPEATS, run)
    peak_mb = peak_rss_mib()                  # before the floor, which holds a whole variable at once
    floor_s, packed_bytes = fastest(REPEATS, lambda: read_floor(path))
    return {"pixel_steps": result.pixel_steps, "total_s": total_s, "floor_s": floor_s, "peak_mb": peak_mb,
            "packed_mb": packed_bytes / 2**20}


def run_child(*args):
    """A fresh process for each part: Linux carries a parent's memory high-water mark into a forked
    child, so the forcing is written in one child and measured in another."""
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout


def main():
    if sys.argv[1:2] == ["--make"]:
        print(make_forcing(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:6] == ["wet"]))
        return
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        return
    print(f"fluxscheme benchmark: one year hourly (8760 steps), SYNTHETIC int16 NetCDF, window budget "
          f"{BUDGET / 2**20:.0f} MiB, best of {REPEATS}")
    print(f"{'grid':>13} {'forcing f64':>11} {'packed':>8} {'run s':>7} {'Mpx-steps/s':>11} {'read floor s':>12} "
          f"{'run/floor':>9} {'peak RSS':>9}")
    for rows, cols, wet in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            path = run_child("--make", folder, str(rows), str(cols), *(["wet"] if wet else [])).strip()
            os.sync()           # the file just written is flushed now, not while the run and the floor are timed
            m = json.loads(run_child(path))
        size_mb = 3 * rows * cols * 8760 * 8 / 2**20
        ratio = m["total_s"] / m["floor_s"]
        grid = f"{rows}x{cols}" + (" wet" if wet else "")
        print(f"{grid:>13} {size_mb:>7.0f} MiB {m['packed_mb']:>4.0f} MiB {m['total_s']:>7.2f} "
              f"{m['pixel_steps'] / m['total_s'] / 1e6:>11.2f} {m['floor_s']:>12.3f} {ratio:>8.1f}x "
              f"{m['peak_mb']:>5.0f} MiB{'' if ratio <= GOAL else f'   (goal: {GOAL:g}x)'}")
    print(f"run: open, read, compute and write the annual GeoTIFF; floor: GDAL reads the {len(VARIABLES)} variables "
          f"whole, as packed; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
