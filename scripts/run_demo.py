"""`make demo`: the flux scheme on the bundled SYNTHETIC Taklimakan demo, through qgis_process.

1. Generates the demo forcing (resources/demo/generate_demo.py; deterministic) unless it is there.
2. Runs desertcarbon:fluxscheme with qgis_process on the 23 yearly ERA5-Land-layout files.
3. Prints, per year, the desert-mean annual flux over the Taklimakan outline: true cell areas on
   the WGS84 ellipsoid times the exact share of each cell inside the outline (core.aggregate).
Everything goes to one folder, printed at the start and at the end.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"
PROFILE = REPOSITORY / ".build" / "qgis-profile"
OUTPUT = Path(os.environ.get("DEMO_OUTPUT", REPOSITORY / "demo-output")).resolve()
OUTLINE = REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"
FIRST_YEAR, LAST_YEAR = 2000, 2022
sys.path.insert(0, str(PLUGIN_ROOT))


def forcing_files():
    folder = OUTPUT / "forcing"
    expected = [folder / f"era5land_taklimakan_{year}.nc" for year in range(FIRST_YEAR, LAST_YEAR + 1)]
    if not all(path.exists() for path in expected):
        print(f"Generating the synthetic demo forcing into {folder} (about 0.4 GB, deterministic) ...", flush=True)
        subprocess.run([sys.executable, str(REPOSITORY / "resources" / "demo" / "generate_demo.py"), str(folder),
                        "--first-year", str(FIRST_YEAR), "--last-year", str(LAST_YEAR), "--quiet"], check=True)
    return expected


def qgis_process(*args):
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "QGIS_CUSTOM_CONFIG_PATH": str(PROFILE),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True)


def outline_polygons():
    import numpy as np
    features = json.loads(OUTLINE.read_text())["features"]
    return [(f["properties"]["name"], [[np.asarray(ring, dtype=np.float64) for ring in f["geometry"]["coordinates"]]])
            for f in features]


def main():
    print(f"Demo outputs go to {OUTPUT}")
    files = forcing_files()
    enabled = qgis_process("plugins", "enable", "desert_carbon")
    if enabled.returncode:
        sys.exit(f"qgis_process could not enable the plugin:\n{enabled.stdout}{enabled.stderr}")
    annual = OUTPUT / "annual_flux.tif"
    command = ["--json", "run", "desertcarbon:fluxscheme", "--", *(f"FORCING={f}" for f in files),
               f"OUTPUT={annual}", f"OUTPUT_COMPONENTS={OUTPUT / 'annual_components.tif'}",
               f"OUTPUT_REGIMES={OUTPUT / 'regimes.tif'}"]
    print("qgis_process.bin " + " ".join(command[:4]) + f" FORCING=<{len(files)} files> OUTPUT=... ", flush=True)
    run = qgis_process(*command)
    if run.returncode:
        sys.exit(f"desertcarbon:fluxscheme failed:\n{run.stdout[-4000:]}{run.stderr[-4000:]}")
    (OUTPUT / "fluxscheme_log.json").write_text(run.stdout[run.stdout.index("{"):])

    from desert_carbon.core.aggregate import aggregate_totals
    totals = aggregate_totals(annual, outline_polygons())
    desert = totals.polygons[0]
    print()
    print("SYNTHETIC demo forcing — the numbers show the plugin working, not the real Taklimakan.")
    print(f"Desert-mean annual CO2 flux over the Taklimakan outline ({desert.area_polygon_m2 / 1e6:,.0f} km²), "
          "positive = release")
    print(f"{'year':>6} {'g CO2 m-2 a-1':>14} {'Pg CO2 a-1':>12}")
    for k, year in enumerate(totals.years):
        print(f"{year:>6} {desert.mean_rate_g_m2[k]:>14.3f} {desert.total_pg_co2[k]:>12.3e}")
    print(f"{'mean':>6} {desert.mean_rate_g_m2.mean():>14.3f} {desert.total_pg_co2.mean():>12.3e}")
    for warning in totals.warnings:
        print("warning:", warning)
    print(f"\nOutputs (open annual_flux.tif in QGIS; it loads styled): {OUTPUT}")


if __name__ == "__main__":
    main()
