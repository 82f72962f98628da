"""Benchmark of reading ERA5 forcing in every layout users download (issue #11, "Measured").

SYNTHETIC ERA5-Land-like forcing, GRID rows x cols at 0.1 degree, one year of hourly steps (8760), the
five variables the scheme reads, written as the data store delivers it: NetCDF old layout (int16) and
new layout (float32), twelve monthly files, sixty per-variable monthly files, twelve monthly zips
(instant + accumulated member), Zarr (one chunk a step, as GDAL copies the NetCDF, and 744-step
chunks), GRIB1 and GRIB2 (ERA5-Land style: dataType fc, steps 1..24 from 00 UTC). ecCodes' grib_filter
takes about 100 s an edition to write a year of these GRIB fields, so the GRIB rows hold January only
(744 steps) on the same grid; their rates are per pixel-step like the others'.

For each layout, in a fresh process (peak memory is its own):
- ``Era5Forcing(paths)`` (open: catalog, header scans) and ``read`` of every window and chunk of the
  runner's plan (windows for a BUDGET of working memory, chunks of CHUNK steps with a one-step halo),
  best of REPEATS, as pixel-steps per second;
- the floor: a plain GDAL read of the same files in the same process, best of REPEATS: for NetCDF and
  Zarr ``gdal.OpenEx(path, OF_MULTIDIM_RASTER)`` and ``ReadAsArray`` of each of the five variables;
  for GRIB ``gdal.Open(path).ReadAsArray`` (in blocks of bands, to bound memory);
- the ratio of the two and the peak resident memory (VmHWM).

Then one yearly file against twelve monthly files and sixty per-variable monthly files (the goal of
the issue: many small monthly files cost no more than 10 % over one yearly file).
Run: .venv/bin/python bench/bench_forcing_read.py  (or `make bench`)
"""
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from bench_common import REPOSITORY, fastest, peak_rss_mib, use_plugin_package

use_plugin_package()
sys.path.insert(0, str(REPOSITORY / "tests"))       # the forcing writers the tests use

ROWS, COLS, RES = 40, 50, 0.1
NORTH, WEST = 38.3, 80.0                # centre of the first cell
EDGES = {"lat0": NORTH + RES / 2, "lon0": WEST - RES / 2, "res": RES}
YEAR = 2001
GRIB_STEPS = 744                        # January: a year of GRIB at this grid takes ecCodes minutes to write
BUDGET = 64 * 2**20                     # window budget, as bench_fluxscheme.py
CHUNK = 768                             # steps a chunk (core.fluxscheme_run.CHUNK_STEPS)
BYTES_PER_PIXEL_STEP = 8 * 24           # float64 x working arrays per pixel-step (core.fluxscheme_run)
REPEATS = 5
GOAL = 1.10                             # monthly files may cost at most 10 % over one yearly file
NAMES = ("skt", "stl1", "stl2", "swvl1", "swvl2")
KELVIN = 273.15
LAYOUTS = [  # (key, label)
    ("old", "NetCDF old layout (int16), 1 yearly file"),
    ("new", "NetCDF new layout (float32), 1 yearly file"),
    ("new_monthly", "new layout, 12 monthly files"),
    ("per_variable", "new layout, 60 per-variable monthly files"),
    ("zip", "data-store zips, 12 monthly"),
    ("zarr_step", "Zarr, 1-step chunks (8760 a variable)"),
    ("zarr_month", "Zarr, 744-step chunks"),
    ("grib1", "GRIB1, January only"),
    ("grib2", "GRIB2, January only"),
]


def hourly(first, stop):
    a, b = (np.datetime64(x, "s").astype(np.int64) for x in (first, stop))
    return np.arange(a, b, 3600, dtype=np.int64)


def make(folder):
    """Write every layout into ``folder``; returns {layout: [paths]}."""
    from forcing_files import (representable, synthetic_forcing, write_cds_zip, write_era5_netcdf,
                               write_new_cds_fields, write_new_cds_netcdf, write_zarr, write_zarr_chunked)
    from grib_files import era5_land_hourly, write_grib_series

    from desert_carbon.core.era5_fields import PARAMETER_IDS

    folder = Path(folder)
    times = hourly(f"{YEAR}-01-01", f"{YEAR + 1}-01-01")
    t0, t10, theta = representable(*synthetic_forcing(times, ROWS, COLS, seed=3))
    fields = {"skt": t0, "stl1": t10, "stl2": t10 - 1.0, "swvl1": theta, "swvl2": theta + 2.0 ** -7}
    del t0, t10, theta

    def new_file(path, steps, only=None):
        return write_new_cds_netcdf(path, times[steps], *(fields[n][steps] for n in NAMES), only=only, **EDGES)

    january = slice(0, GRIB_STEPS)
    messages = era5_land_hourly(times[january], {PARAMETER_IDS[n]: fields[n][january] + (KELVIN if n[:2] != "sw"
                                                                                            else 0.0)
                                                 for n in NAMES}, north=NORTH, west=WEST, resolution=RES)
    out = {}
    with ThreadPoolExecutor(2) as pool:        # grib_filter runs in its own processes
        gribs = {f"grib{e}": pool.submit(write_grib_series, folder / f"era5land_{YEAR}-01.grib{e}", messages, e)
                 for e in (1, 2)}
        whole = slice(None)
        out["old"] = [write_era5_netcdf(folder / "era5_old.nc", times, *(fields[n] for n in NAMES), exact=True,
                                        **EDGES)]
        out["new"] = [new_file(folder / "era5_new.nc", whole)]
        months = times.astype("datetime64[s]").astype("datetime64[M]")
        for key in ("new_monthly", "per_variable", "zip"):
            (folder / key).mkdir()
        out["new_monthly"], out["zip"] = [], []
        for month in np.unique(months):
            index = np.flatnonzero(months == month)
            steps = slice(int(index[0]), int(index[-1]) + 1)
            out["new_monthly"].append(new_file(folder / "new_monthly" / f"era5_{month}.nc", steps))
            for name in NAMES:
                new_file(folder / "per_variable" / f"{name}_{month}.nc", steps, only=[name])
            ramp = ((times[steps] % 86400) / 3600.0).reshape(-1, 1, 1) * np.ones((1, ROWS, COLS))
            accum = write_new_cds_fields(folder / "zip" / f"accum_{month}.nc", times[steps],
                                         {"tp": (1e-4 * ramp, "m"), "ssr": (3e5 * ramp, "J m**-2")}, **EDGES)
            instant = folder / "zip" / f"instant_{month}.nc"
            out["zip"].append(write_cds_zip(folder / "zip" / f"cds_{month}.zip", new_file(instant, steps),
                                            accum))
            Path(accum).unlink()
            instant.unlink()
        out["per_variable"] = [str(folder / "per_variable")]
        out["zarr_step"] = [write_zarr(folder / "era5_step.zarr", out["new"][0])]
        out["zarr_month"] = [write_zarr_chunked(folder / "era5_month.zarr", out["new"][0], 744)]
        for key, job in gribs.items():
            out[key] = [job.result()]
    return out


def floor_read(paths):
    """Plain GDAL: every value of the five variables once, as the files hold them."""
    from osgeo import gdal

    from desert_carbon.core.era5_catalog import expand_forcing_paths

    gdal.UseExceptions()
    total = 0
    for path in expand_forcing_paths(paths):
        if path.lower().endswith((".grib1", ".grib2", ".grib", ".grb")):
            dataset = gdal.Open(path)
            for first in range(1, dataset.RasterCount + 1, GRIB_STEPS):
                bands = list(range(first, min(first + GRIB_STEPS, dataset.RasterCount + 1)))
                total += dataset.ReadAsArray(band_list=bands).size
            continue
        root = gdal.OpenEx(path, gdal.OF_MULTIDIM_RASTER).GetRootGroup()
        for name in root.GetMDArrayNames():
            if name in NAMES:
                total += root.OpenMDArray(name).ReadAsArray().size
    return total


def forcing_read(paths):
    """Era5Forcing over the files, then every window and chunk the runner would read."""
    from desert_carbon.core.forcing import Era5Forcing
    from desert_carbon.core.grid import plan_windows

    start = time.perf_counter()
    forcing = Era5Forcing(paths)
    opened = time.perf_counter() - start
    steps = len(forcing.times)
    windows = plan_windows(forcing.grid, (CHUNK + 2) * BYTES_PER_PIXEL_STEP, BUDGET)
    values = 0
    for window in windows:
        for first in range(0, steps, CHUNK):
            lo, hi = max(first - 1, 0), min(first + CHUNK + 1, steps)
            t0, t10, theta = forcing.read(lo, hi, window)
            values += t0.size
    return opened, time.perf_counter() - start - opened, steps, len(windows), values


def measure(paths):
    """Runs in a fresh process so that its peak memory is its own."""
    floor_s, floor_values = fastest(REPEATS, lambda: floor_read(paths))
    runs = [forcing_read(paths) for _ in range(REPEATS)]
    opened, read, steps, windows, _ = min(runs, key=lambda r: r[0] + r[1])
    return {"open_s": opened, "read_s": read, "floor_s": floor_s, "steps": steps, "windows": windows,
            "pixel_steps": steps * ROWS * COLS, "floor_values": floor_values, "peak_mb": peak_rss_mib()}


def run_child(*args):
    """A fresh process for each part: Linux carries a parent's memory high-water mark into a forked child."""
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout


def main():
    if sys.argv[1:2] == ["--make"]:
        print(json.dumps(make(sys.argv[2])))
        return
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(json.loads(sys.argv[2]))))
        return
    print(f"forcing read benchmark: SYNTHETIC ERA5-Land-like forcing, {ROWS}x{COLS} cells at {RES} deg, one year "
          f"hourly (GRIB: January, {GRIB_STEPS} steps), 5 variables; window budget {BUDGET / 2**20:.0f} MiB, "
          f"chunks of {CHUNK} steps; best of {REPEATS}")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        layouts = json.loads(run_child("--make", folder))
        print(f"(files written in {time.perf_counter() - start:.0f} s)")
        print(f"{'layout':<44} {'open s':>7} {'read s':>7} {'Mpx-steps/s':>11} {'floor Mpx/s':>11} "
              f"{'vs floor':>8} {'peak RSS':>9}")
        results = {}
        for key, label in LAYOUTS:
            m = results[key] = json.loads(run_child("--measure", json.dumps(layouts[key])))
            total = m["open_s"] + m["read_s"]
            print(f"{label:<44} {m['open_s']:>7.3f} {m['read_s']:>7.3f} {m['pixel_steps'] / total / 1e6:>11.2f} "
                  f"{m['pixel_steps'] / m['floor_s'] / 1e6:>11.2f} {total / m['floor_s']:>7.1f}x "
                  f"{m['peak_mb']:>5.0f} MiB")
    print("(Mpx-steps/s: pixel-steps through Era5Forcing, open + read, per second; floor: plain GDAL read of the "
          "same files; vs floor: time over the floor's)")
    yearly = results["new"]["open_s"] + results["new"]["read_s"]
    for key, label in (("new_monthly", "12 monthly files"), ("per_variable", "60 per-variable monthly files")):
        cost = results[key]["open_s"] + results[key]["read_s"]
        ratio = cost / yearly
        verdict = "met" if ratio <= GOAL else "NOT met"
        print(f"{label} vs one yearly file (new layout, open + read): {ratio:.2f}x "
              f"(read only {results[key]['read_s'] / results['new']['read_s']:.2f}x) -> goal "
              f"<= {GOAL:.2f}x {verdict}")


if __name__ == "__main__":
    main()
