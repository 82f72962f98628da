"""Peak memory of trend and aggregate on a 20,000 × 20,000 raster: the window budget plus a fixed overhead.

    .venv/bin/python bench/bench_memory.py [--size 20000] [--tile 2000] [--years 23] [--budget-mb 128]
        [--gdal-cache-mb 64]

The raster is a VRT mosaic of one SYNTHETIC float32 tile (a linear trend per cell plus a fixed pattern, one band a
year) repeated ``(size / tile)²`` times, so 23 bands of 20,000 × 20,000 cells (37 GB as float32) take no disk. Each
run is a fresh process so that its peak RSS (VmHWM) is its own:

* trend     - core.trend_run.run_trend, OLS and Mann-Kendall bands (Theil-Sen would take hours at this size),
              window budget --budget-mb, output GeoTIFF deflated
* aggregate - core.aggregate.aggregate_totals over a polygon covering nine tenths of the raster, same budget

The fixed overhead is each run's peak on one tile (the same code, imports and GDAL block cache); the goal is
peak(size) ≤ overhead + budget, i.e. memory does not grow with the raster.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import REPOSITORY, peak_rss_mib, use_plugin_package

FIRST_YEAR = 2001
TREND_BANDS = ("ols_slope", "ols_p", "mk_p", "kendall_tau", "significance", "n_valid")


def write_tile(path, tile, years):
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    rows = np.arange(tile, dtype=np.float32)[:, None]
    pattern = np.sin(rows / 97.0) + np.cos(np.arange(tile, dtype=np.float32)[None, :] / 53.0)
    with rasterio.open(path, "w", driver="GTiff", width=tile, height=tile, count=years, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(75.0, 45.0, 0.0005, 0.0005), tiled=True,
                       blockxsize=256, blockysize=256) as target:
        for band in range(years):
            target.write((pattern * (1 + band % 3) + 0.1 * band).astype(np.float32), band + 1)
            target.set_band_description(band + 1, str(FIRST_YEAR + band))
            target.update_tags(band + 1, units="g CO2 m-2 a-1")


def write_mosaic(path, tile_path, tile, size, years):
    """A VRT of ``size`` × ``size`` cells: the tile repeated, band descriptions the years."""
    count = size // tile
    resolution = 0.0005
    bands = []
    for band in range(1, years + 1):
        sources = "".join(
            f"<SimpleSource><SourceFilename relativeToVRT=\"0\">{tile_path}</SourceFilename>"
            f"<SourceBand>{band}</SourceBand><SrcRect xOff=\"0\" yOff=\"0\" xSize=\"{tile}\" ySize=\"{tile}\"/>"
            f"<DstRect xOff=\"{col * tile}\" yOff=\"{row * tile}\" xSize=\"{tile}\" ySize=\"{tile}\"/></SimpleSource>"
            for row in range(count) for col in range(count))
        bands.append(f"<VRTRasterBand dataType=\"Float32\" band=\"{band}\"><Description>{FIRST_YEAR + band - 1}"
                     f"</Description><Metadata><MDI key=\"units\">g CO2 m-2 a-1</MDI></Metadata>{sources}"
                     f"</VRTRasterBand>")
    Path(path).write_text(
        f"<VRTDataset rasterXSize=\"{size}\" rasterYSize=\"{size}\"><SRS>EPSG:4326</SRS>"
        f"<GeoTransform>75.0, {resolution}, 0, 45.0, 0, -{resolution}</GeoTransform>{''.join(bands)}</VRTDataset>")


def child(kind, raster, size, budget_mb, output):
    """One measured run (in its own process): prints JSON with seconds and peak RSS."""
    import time
    use_plugin_package()
    import numpy as np
    start = time.perf_counter()
    if kind == "trend":
        from desert_carbon.core.trend_run import run_trend
        run_trend(raster, output, min_valid_years=3, bands=TREND_BANDS, budget_bytes=budget_mb * 2 ** 20)
    else:
        from desert_carbon.core.aggregate import aggregate_totals
        extent = size * 0.0005
        west, north = 75.0 + 0.05 * extent, 45.0 - 0.05 * extent
        east, south = 75.0 + 0.95 * extent, 45.0 - 0.95 * extent
        ring = np.array([(west, north), (east, north), (east, south), (west, south), (west, north)])
        aggregate_totals(raster, [("box", [[ring]])], budget_bytes=budget_mb * 2 ** 20)
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mib": peak_rss_mib()}))


def measure(kind, raster, size, budget_mb, cache_mb, output):
    environment = dict(os.environ, GDAL_CACHEMAX=str(cache_mb))
    run = subprocess.run([sys.executable, __file__, "--child", kind, raster, str(size), str(budget_mb), output],
                         env=environment, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--tile", type=int, default=2000)
    parser.add_argument("--years", type=int, default=23)
    parser.add_argument("--budget-mb", type=int, default=128)
    parser.add_argument("--gdal-cache-mb", type=int, default=64)
    parser.add_argument("--child", nargs=5)
    args = parser.parse_args()
    if args.child:
        kind, raster, size, budget, output = args.child
        return child(kind, raster, int(size), int(budget), output)
    use_plugin_package()
    with tempfile.TemporaryDirectory(dir=REPOSITORY / ".build") as folder:
        folder = Path(folder)
        tile = folder / "tile.tif"
        write_tile(tile, args.tile, args.years)
        mosaic = folder / "mosaic.vrt"
        write_mosaic(mosaic, tile, args.tile, args.size, args.years)
        print(f"memory: {args.years} float32 bands, window budget {args.budget_mb} MiB, GDAL_CACHEMAX "
              f"{args.gdal_cache_mb} MiB; overhead = the same run on one {args.tile}² tile")
        print(f"{'run':>10} {'size':>7} {'seconds':>8} {'peak MiB':>9} {'overhead':>9} {'peak - overhead':>16} "
              f"{'within budget':>14}")
        for kind in ("trend", "aggregate"):
            small = measure(kind, str(tile), args.tile, args.budget_mb, args.gdal_cache_mb,
                            str(folder / f"{kind}_small.tif"))
            large = measure(kind, str(mosaic), args.size, args.budget_mb, args.gdal_cache_mb,
                            str(folder / f"{kind}_large.tif"))
            growth = large["peak_mib"] - small["peak_mib"]
            print(f"{kind:>10} {args.size:>7} {large['seconds']:>8.1f} {large['peak_mib']:>9.0f} "
                  f"{small['peak_mib']:>9.0f} {growth:>16.0f} {'yes' if growth <= args.budget_mb else 'NO':>14}")


if __name__ == "__main__":
    main()
