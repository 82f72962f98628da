"""Benchmark of desertcarbon:trend against the memory-bandwidth floor and a per-pixel loop.

    .venv/bin/python bench/bench_trend.py [--sizes 1000 2000] [--years 23] [--budget-mb 128]

Writes a float32 stack per size to a temporary GeoTIFF (one band a year; 2 % of the pixels miss
years at random; a nodata strip), then times, each in a fresh process so that its peak RSS
(VmHWM, or ru_maxrss off Linux) is its own:

* floor    - read every window of the stack with rasterio and sum it (plain numpy)
* no write - the same reads, nodata to NaN, and trend_statistics for the OLS and Mann-Kendall bands
* ols+mk   - run_trend with the OLS and Mann-Kendall bands only (GeoTIFF written, deflate)
* all      - run_trend with every band (adds the Theil-Sen slope)

and, in this process, a per-pixel loop of pymannkendall.original_test + scipy.stats.linregress on
a sample of pixels, extrapolated to the whole stack. Peak RSS staying flat from one size to the
next shows that memory is bounded by the window budget, not by the raster. The children run with
GDAL_CACHEMAX=64 (MiB): GDAL's block cache (by default 5 % of RAM) would otherwise hold the whole
stack and grow with it, which says nothing about this code.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin
from rasterio.windows import Window

from bench_common import peak_rss_mib, use_plugin_package

FIRST_YEAR = 2000
OLS_MK_BANDS = ("ols_slope", "ols_p", "mk_p", "kendall_tau", "significance", "n_valid")


def _import_core():
    use_plugin_package()
    from desert_carbon.core import trend, trend_run
    return trend, trend_run


def write_stack(path, size, years, compress):
    rng = np.random.default_rng(size)
    profile = dict(driver="GTiff", width=size, height=size, count=years, dtype="float32", nodata=-9999.0,
                   crs="EPSG:4326", transform=from_origin(75.0, 42.0, 0.01, 0.01), tiled=True,
                   blockxsize=256, blockysize=256, **({"compress": compress} if compress else {}))
    trend = np.arange(years, dtype=np.float32)[:, None, None]
    with rasterio.open(path, "w", **profile) as dataset:
        for band in range(1, years + 1):
            dataset.set_band_description(band, str(FIRST_YEAR + band - 1))
            dataset.update_tags(band, units="g CO2 m-2 a-1")
        for row in range(0, size, 256):
            rows = min(256, size - row)
            slope = rng.normal(0.0, 1.0, (1, rows, size)).astype(np.float32)
            values = rng.normal(100.0, 30.0, (years, rows, size)).astype(np.float32) + trend * slope
            patchy = rng.random((rows, size)) < 0.02
            values[(rng.random(values.shape) < 0.15) & patchy] = -9999.0
            if row == 0:
                values[:, :16] = -9999.0
            dataset.write(values, window=Window(0, row, size, rows))


def child(mode, path, budget_bytes):
    """One measurement in this (fresh) process: seconds and peak RSS in MiB."""
    trend, trend_run = _import_core()
    start = time.perf_counter()
    if mode in ("floor", "no write"):
        with rasterio.open(path) as source:
            years = FIRST_YEAR + np.arange(source.count)
            for window in trend_run.trend_windows(source, len(OLS_MK_BANDS), budget_bytes):   # as run_trend
                values = source.read(window=window)
                if mode == "floor":
                    values.sum(dtype=np.float64)
                else:
                    np.putmask(values, values == source.nodata, np.nan)
                    trend.trend_statistics(values, years, OLS_MK_BANDS, min_valid_years=10)
    else:
        bands = OLS_MK_BANDS if mode == "ols+mk" else trend.BAND_NAMES
        with tempfile.TemporaryDirectory() as folder:
            trend_run.run_trend(path, Path(folder) / "trend.tif", bands=bands, min_valid_years=10,
                                budget_bytes=budget_bytes)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mib": peak_rss_mib()}))


def measure(mode, path, budget_bytes, repeats):
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, __file__, "--child", mode, str(path), str(budget_bytes)],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "GDAL_CACHEMAX": "64"})
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(r["seconds"] for r in runs), max(r["peak_mib"] for r in runs)


def per_pixel_loop(path, size, sample):
    """Seconds for pymannkendall.original_test + scipy linregress over the whole stack, extrapolated."""
    import pymannkendall
    from scipy.stats import linregress
    side = int(np.ceil(np.sqrt(sample)))
    with rasterio.open(path) as source:
        values = source.read(window=Window(size // 2, size // 2, side, side)).astype(np.float64)
        values[values == source.nodata] = np.nan
        years = FIRST_YEAR + np.arange(source.count, dtype=np.float64)
    series = values.reshape(values.shape[0], -1)
    start = time.perf_counter()
    for column in series.T:
        valid = ~np.isnan(column)
        pymannkendall.original_test(column)
        linregress(years[valid], column[valid])
    return (time.perf_counter() - start) * size * size / series.shape[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000], help="raster side lengths")
    parser.add_argument("--years", type=int, default=23)
    parser.add_argument("--budget-mb", type=float, default=128.0, help="run_trend budget_bytes in MiB")
    parser.add_argument("--compress", default=None, help="input compression, e.g. deflate (default none)")
    parser.add_argument("--repeats", type=int, default=2, help="fresh-process runs per figure (best kept)")
    parser.add_argument("--sample", type=int, default=1000, help="pixels in the per-pixel loop")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path, budget = args.child
        child(mode, path, int(budget))
        return
    budget_bytes = int(args.budget_mb * 2**20)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"stack_{size}.tif"
            write_stack(path, size, args.years, args.compress)
            floor, peak = measure("floor", path, budget_bytes, args.repeats)
            rows.append((size, "floor", floor, 1.0, peak))
            for mode in ("no write", "ols+mk", "all"):
                seconds, peak = measure(mode, path, budget_bytes, args.repeats)
                rows.append((size, mode, seconds, seconds / floor, peak))
            loop = per_pixel_loop(path, size, args.sample)
            rows.append((size, "per-pixel loop (extrapolated)", loop, loop / floor, float("nan")))
            path.unlink()
    print(f"\n{args.years} years, float32 input ({args.compress or 'uncompressed'}), "
          f"window budget {args.budget_mb:g} MiB, best of {args.repeats}")
    print(f"{'size':>11}  {'run':<30} {'seconds':>9} {'x floor':>8} {'peak RSS MiB':>13}")
    for size, mode, seconds, ratio, peak in rows:
        print(f"{size:>5}x{size:<5}  {mode:<30} {seconds:9.2f} {ratio:8.2f} {peak:13.0f}")


if __name__ == "__main__":
    main()
