"""Benchmark of desertcarbon:aggregate against exactextract and QGIS's native:zonalstatisticsfb.

    .venv/bin/python bench/bench_aggregate.py [--sizes 1000 2000] [--years 23] [--vertices 5000]
        [--budget-mb 64] [--gdal-cache-mb 64] [--repeats 3]
        [--exactextract-python .build/bench-venv/bin/python] [--no-qgis]

For each size, writes a float32 lon/lat stack (one band a year, 1 % nodata) covering the Taklimakan
outline (resources/geo), made detailed: resampled to ``--vertices`` points with small wiggles. Then,
each in a fresh process so that its peak RSS (VmHWM) is its own:

* aggregate       - core.aggregate.aggregate_totals: Σ flux · true cell area · coverage, all bands
* exactextract    - weighted_sum with a weights raster of the same cell areas (same coverage
                    semantics: must agree to 1e-6); run only where ``import exactextract`` works,
                    by default in .build/bench-venv (a throwaway venv, never the project's)
* qgis zonalstats - native:zonalstatisticsfb SUM, one run per band, over a raster of flux · cell
                    area; QGIS selects cells by centre-in-polygon, so it differs at the outline

The extra rasters the others need (cell areas, flux · area) are written beforehand and not timed.
Peak RSS staying flat from one size to the next shows that memory is bounded by the window budget.
Every process gets the same GDAL_CACHEMAX: GDAL's block cache keeps the blocks read up to that cap
(5 % of RAM by default), in all three methods alike; inside QGIS the cap is QGIS's setting.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import REPOSITORY, fastest, peak_rss_mib, use_plugin_package

OUTLINE = REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"
FIRST_YEAR = 2000
NODATA = -9999.0


def _import_core():
    use_plugin_package()
    from desert_carbon.core import aggregate, geodesy
    return aggregate, geodesy


def detailed_outline(vertices):
    """The Taklimakan exterior resampled evenly to ``vertices`` points, each moved along the normal by a
    few hundredths of a degree, so that the outline wiggles like a digitised desert edge."""
    import numpy as np
    ring = np.array(json.loads(OUTLINE.read_text())["features"][0]["geometry"]["coordinates"][0], dtype=float)
    ring = ring[:-1] if np.array_equal(ring[0], ring[-1]) else ring
    closed = np.vstack([ring, ring[:1]])
    run = np.r_[0, np.cumsum(np.hypot(*np.diff(closed, axis=0).T))]
    s = np.linspace(0, run[-1], vertices, endpoint=False)
    points = np.column_stack([np.interp(s, run, closed[:, 0]), np.interp(s, run, closed[:, 1])])
    tangent = np.roll(points, -1, axis=0) - np.roll(points, 1, axis=0)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]]) / np.hypot(*tangent.T)[:, None]
    phase = 2 * np.pi * s / run[-1]
    offset = 0.01 * np.sin(vertices / 8 * phase) * (1 + 0.5 * np.sin(37 * phase))
    return points + offset[:, None] * normal


def write_inputs(folder, size, years, ring, geodesy):
    """The flux stack, a cell-area raster (exactextract's weights) and flux · area (for QGIS)."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window
    west, south = ring.min(axis=0) - 0.05
    east, north = ring.max(axis=0) + 0.05
    transform = from_origin(west, north, (east - west) / size, (north - south) / size)
    profile = dict(driver="GTiff", width=size, height=size, crs="EPSG:4326", transform=transform,
                   nodata=NODATA, tiled=True, blockxsize=256, blockysize=256, BIGTIFF="IF_SAFER")
    paths = {name: folder / f"{name}_{size}.tif" for name in ("flux", "area", "product")}
    rng = np.random.default_rng(size)
    with rasterio.open(paths["flux"], "w", count=years, dtype="float32", **profile) as flux, \
            rasterio.open(paths["area"], "w", count=1, dtype="float64", **profile) as area, \
            rasterio.open(paths["product"], "w", count=years, dtype="float32", **profile) as product:
        for band in range(1, years + 1):
            flux.set_band_description(band, str(FIRST_YEAR + band - 1))
            flux.update_tags(band, units="g CO2 m-2 a-1")
        for row in range(0, size, 256):
            window = Window(0, row, size, min(256, size - row))
            cells = np.broadcast_to(geodesy.cell_areas(flux.crs, transform, window), (window.height, size))
            values = rng.normal(3.0, 2.0, (years, window.height, size)).astype(np.float32)
            values[rng.random(values.shape) < 0.01] = NODATA
            flux.write(values, window=window)
            area.write(cells[None], window=window)
            product.write(np.where(values == NODATA, NODATA, values * cells).astype(np.float32), window=window)
    return paths


def worker_aggregate(spec):
    aggregate, _ = _import_core()
    import numpy as np
    from desert_carbon.core.units import GRAMS_PER_PG
    ring = np.array(spec["ring"])
    seconds, result = fastest(spec["repeats"], lambda: aggregate.aggregate_totals(
        spec["flux"], [(1, [[ring]])], budget_bytes=spec["budget"]))
    grams = (result.polygons[0].total_pg_co2 * GRAMS_PER_PG).tolist()
    return dict(seconds=seconds, grams=grams, area_m2=float(result.polygons[0].area_summed_m2[0]))


def worker_exactextract(spec):
    from exactextract import exact_extract
    feature = dict(type="Feature", properties=dict(id=1),
                   geometry=dict(type="Polygon", coordinates=[spec["ring"] + spec["ring"][:1]]))
    seconds, out = fastest(spec["repeats"], lambda: exact_extract(
        spec["flux"], [feature], ["weighted_sum"], weights=spec["area"]))
    values = out[0]["properties"]
    keys = sorted((k for k in values if k.endswith("weighted_sum")),
                  key=lambda k: int("".join(filter(str.isdigit, k)) or 0))
    return dict(seconds=seconds, grams=[values[k] for k in keys])


def worker_qgis(spec):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    import processing
    Processing.initialize()
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "outline", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in spec["ring"]]]))
    layer.dataProvider().addFeatures([feature])

    def every_band():
        return [next(processing.run("native:zonalstatisticsfb", {
            "INPUT": layer, "INPUT_RASTER": spec["product"], "RASTER_BAND": band, "COLUMN_PREFIX": "z_",
            "STATISTICS": [1], "OUTPUT": "memory:"})["OUTPUT"].getFeatures())["z_sum"]
            for band in range(1, spec["years"] + 1)]
    seconds, grams = fastest(1, every_band)     # minutes a run: once is enough to compare
    return dict(seconds=seconds, grams=grams, valid=bool(feature.geometry().isGeosValid()))


WORKERS = {"aggregate": worker_aggregate, "exactextract": worker_exactextract, "qgis": worker_qgis}


def run_worker(python, name, spec, folder, cache_mb):
    spec_path = folder / f"spec_{name}.json"
    spec_path.write_text(json.dumps(spec))
    environment = dict(os.environ, GDAL_CACHEMAX=str(int(cache_mb)))
    done = subprocess.run([python, __file__, "--worker", name, str(spec_path)], capture_output=True, text=True,
                          env=environment)
    if done.returncode != 0:
        return dict(error=(done.stderr.strip().splitlines() or ["failed"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def exactextract_python(requested):
    for python in ([requested] if requested else []) + [sys.executable, ".build/bench-venv/bin/python"]:
        if Path(python).exists() and subprocess.run([python, "-c", "import exactextract"],
                                                    capture_output=True).returncode == 0:
            return python
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--years", type=int, default=23)
    parser.add_argument("--vertices", type=int, default=5000)
    parser.add_argument("--budget-mb", type=float, default=64)
    parser.add_argument("--gdal-cache-mb", type=float, default=64)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs each (best kept); QGIS runs once")
    parser.add_argument("--exactextract-python")
    parser.add_argument("--no-qgis", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("spec", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = WORKERS[args.worker](json.loads(Path(args.spec).read_text()))
        print(json.dumps(dict(result, peak_rss_mb=peak_rss_mib())))
        return

    _, geodesy = _import_core()
    ring = detailed_outline(args.vertices)
    others = {"exactextract": exactextract_python(args.exactextract_python)}
    if not args.no_qgis:
        others["qgis"] = "/usr/bin/python3"
    print(f"polygon: {len(ring)} vertices; stack: {args.years} float32 bands; budget {args.budget_mb:g} MB; "
          f"GDAL_CACHEMAX {args.gdal_cache_mb:g} MB; "
          f"exactextract: {others['exactextract'] or 'not importable, skipped'}")
    header = f"{'size':>6} {'method':<16} {'seconds':>8} {'peak MB':>8} {'max |rel diff|':>15}  note"
    print(header + "\n" + "-" * len(header))
    with tempfile.TemporaryDirectory(prefix="bench_aggregate_") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            paths = write_inputs(folder, size, args.years, ring, geodesy)
            spec = dict(ring=ring.tolist(), years=args.years, budget=int(args.budget_mb * 2**20),
                        repeats=args.repeats,
                        **{k: str(v) for k, v in paths.items()})
            ours = run_worker(sys.executable, "aggregate", spec, folder, args.gdal_cache_mb)
            rows = [("aggregate", ours, f"area summed {ours.get('area_m2', math.nan) / 1e6:,.0f} km²")]
            for name, python in others.items():
                if python:
                    result = run_worker(python, name, spec, folder, args.gdal_cache_mb)
                    note = ("centre-in-polygon cells, polygon GEOS-valid: " + str(result.get("valid"))
                            if name == "qgis" else "same coverage semantics")
                    rows.append(("qgis zonalstats" if name == "qgis" else name, result, note))
            for label, result, note in rows:
                if "error" in result:
                    print(f"{size:>6} {label:<16} {'-':>8} {'-':>8} {'-':>15}  error: {result['error']}")
                    continue
                diff = max(abs(a / b - 1) for a, b in zip(result["grams"], ours["grams"]))
                print(f"{size:>6} {label:<16} {result['seconds']:>8.2f} {result['peak_rss_mb']:>8.0f} "
                      f"{diff:>15.2e}  {note}")
            for path in paths.values():
                path.unlink()


if __name__ == "__main__":
    main()
