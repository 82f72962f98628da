"""Benchmark of desertcarbon:scenario (and siting) over the Taklimakan for 30 years.

    .venv/bin/python bench/bench_scenario.py [--resolutions 0.1 0.01] [--years 23] [--horizon 30]
        [--budget-mb 64] [--gdal-cache-mb 64] [--repeats 3]

For each resolution, writes a synthetic lon/lat baseline stack (one band a year, g CO2 m-2 a-1, 1 %
nodata) over the Taklimakan outline's bounding box (resources/geo) and, in a fresh process so that its
peak RSS (VmHWM) is its own, times:

* scenario - core.scenario.run_scenario: five interventions (a shelter-forest belt along the desert
             highway, Haloxylon blocks at the edges, an unplanted control) over the outline as region,
             yearly totals for the horizon, then write_change_raster for the horizon's last year
* siting   - core.siting.run_siting for the shelter forest, one threshold constraint, 10 000 ha target

Peak RSS staying flat from one resolution to the next shows that memory is bounded by the window budget
(plus GDAL's block cache, capped by --gdal-cache-mb as GDAL_CACHEMAX).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import REPOSITORY, fastest, peak_rss_mib, use_plugin_package

OUTLINE = REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"
FIRST_YEAR = 2000
START_YEAR = 2025
NODATA = -9999.0
# (name, practice, planting year, lon/lat ring): a 0.02°-wide belt along the Tarim Desert Highway
# (about 83.7 E) and blocks at the desert's edges
INTERVENTIONS = [
    ("highway_belt", "shelter_forest", 2025, [(83.68, 37.3), (83.70, 37.3), (83.70, 40.4), (83.68, 40.4)]),
    ("hotan_block", "haloxylon_plantation", 2026, [(80.8, 37.8), (81.4, 37.8), (81.4, 38.3), (80.8, 38.3)]),
    ("aksu_block", "haloxylon_plantation", 2028, [(80.6, 39.6), (81.3, 39.6), (81.3, 39.95), (80.6, 39.95)]),
    ("minfeng_belt", "shelter_forest", 2030, [(82.5, 37.4), (83.5, 37.4), (83.5, 37.5), (82.5, 37.5)]),
    ("control", "shifting_sand", 2025, [(85.0, 39.0), (85.5, 39.0), (85.5, 39.5), (85.0, 39.5)]),
]


def outline():
    import numpy as np
    return np.array(json.loads(OUTLINE.read_text())["features"][0]["geometry"]["coordinates"][0], dtype=float)


def write_baseline(path, resolution, years):
    """A float32 stack around -3 g CO2 m-2 a-1 with noise, written in row strips."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window
    ring = outline()
    west, south = np.floor(ring.min(axis=0) * 10) / 10 - resolution
    east, north = np.ceil(ring.max(axis=0) * 10) / 10 + resolution
    width, height = round((east - west) / resolution), round((north - south) / resolution)
    profile = dict(driver="GTiff", width=width, height=height, count=years, dtype="float32", crs="EPSG:4326",
                   transform=from_origin(west, north, resolution, resolution), nodata=NODATA, tiled=True,
                   blockxsize=256, blockysize=256, BIGTIFF="IF_SAFER")
    rng = np.random.default_rng(1)
    with rasterio.open(path, "w", **profile) as dataset:
        for band in range(1, years + 1):
            dataset.set_band_description(band, str(FIRST_YEAR + band - 1))
            dataset.update_tags(band, units="g CO2 m-2 a-1")
        for row in range(0, height, 256):
            window = Window(0, row, width, min(256, height - row))
            values = rng.normal(-3.0, 4.0, (years, window.height, width)).astype(np.float32)
            values[rng.random(values.shape) < 0.01] = NODATA
            dataset.write(values, window=window)
    return width, height


def worker(spec):
    use_plugin_package()
    import numpy as np
    from desert_carbon.core.practices import load_practices
    from desert_carbon.core.scenario import Intervention, run_scenario, write_change_raster
    from desert_carbon.core.siting import parse_rules, run_siting
    practices = load_practices()
    interventions = [Intervention(name, [[np.array(ring)]], practice, year)
                     for name, practice, year, ring in INTERVENTIONS]
    budget = int(spec["budget_mb"] * 2**20)
    folder = Path(spec["folder"])

    def scenario():
        result = run_scenario(interventions, practices, START_YEAR, spec["horizon"], baseline_path=spec["baseline"],
                              region=[[outline()]], budget_bytes=budget)
        write_change_raster(folder / "change.tif", spec["baseline"], interventions, practices,
                            START_YEAR + spec["horizon"] - 1, budget_bytes=budget)
        return result
    seconds, result = fastest(spec["repeats"], scenario)
    siting_seconds, sited = fastest(spec["repeats"], lambda: run_siting(
        spec["baseline"], practices, "shelter_forest", folder / "suitability.tif", 10_000.0,
        constraints={"baseline": spec["baseline"]}, rules=parse_rules("baseline>=-20"), budget_bytes=budget))
    region = result.region
    return dict(seconds=seconds, siting_seconds=siting_seconds, region_baseline_pg=region.baseline_pg_co2,
                last_change_pg=float(region.change_pg_co2[1, -1]),
                sites=len(sited.sites), site_area_ha=sited.selected_m2 / 1e4, peak_rss_mb=peak_rss_mib())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolutions", type=float, nargs="+", default=[0.1, 0.01])
    parser.add_argument("--years", type=int, default=23, help="bands of the baseline stack")
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--budget-mb", type=float, default=64)
    parser.add_argument("--gdal-cache-mb", type=float, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(Path(args.worker).read_text()))))
        return
    print(f"scenario: {len(INTERVENTIONS)} interventions, {args.horizon} years from {START_YEAR}, region = the "
          f"Taklimakan outline, baseline of {args.years} bands; budget {args.budget_mb:g} MB; best of {args.repeats}")
    print(f"{'resolution':>10} {'grid':>12} {'scenario s':>11} {'siting s':>9} {'peak MB':>8} "
          f"{'region baseline Pg/a':>21} {'change ' + str(START_YEAR + args.horizon - 1) + ' Pg/a':>17} {'sites':>6} "
          f"{'site ha':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for resolution in args.resolutions:
            baseline = Path(folder) / f"baseline_{resolution:g}.tif"
            width, height = write_baseline(baseline, resolution, args.years)
            spec_path = Path(folder) / "spec.json"
            spec_path.write_text(json.dumps(dict(baseline=str(baseline), horizon=args.horizon, folder=folder,
                                                 budget_mb=args.budget_mb, repeats=args.repeats)))
            done = subprocess.run([sys.executable, __file__, "--worker", str(spec_path)], capture_output=True,
                                  text=True, env=dict(os.environ, GDAL_CACHEMAX=str(int(args.gdal_cache_mb))))
            if done.returncode != 0:
                print(f"{resolution:>10g} failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{resolution:>9g}° {f'{width}x{height}':>12} {r['seconds']:>11.2f} {r['siting_seconds']:>9.2f} "
                  f"{r['peak_rss_mb']:>8.0f} {r['region_baseline_pg']:>21.4e} {r['last_change_pg']:>17.4e} "
                  f"{r['sites']:>6} {r['site_area_ha']:>8.0f}")


if __name__ == "__main__":
    main()
