"""`make demo`: the whole chain on the bundled SYNTHETIC Taklimakan demo, through qgis_process.

1. Generates the demo forcing (resources/demo/generate_demo.py; deterministic) unless it is there.
2. desertcarbon:fluxscheme on the 23 yearly ERA5-Land-layout files → annual flux 2000–2022.
3. desertcarbon:trend on the annual flux → trend bands and significance codes.
4. desertcarbon:aggregate over the Taklimakan outline → totals per year in Pg CO2 a-1.
5. desertcarbon:scenario: a hypothetical 72 m shelter-forest belt along the desert highway, planted
   in 2023, over 30 years.
6. The uncertainty of the total (docs/SCIENCE.md section 7): desertcarbon:calibrate on the bundled real COSORE
   station sample (a semi-arid steppe in Spain, not shifting sand: it shows the mechanics, not the Taklimakan)
   with DEMO_BOOTSTRAP replicates, fluxscheme with its bootstrap sets as a parameter ensemble, and aggregate over
   the outline with the ensemble folder: the total with its parameter and interannual parts.
Prints the desert total per year with the interannual spread, the share of the desert's area with a
significant trend and the scenario's gain after 30 years, and draws map.png and plots.png. Everything goes
to one folder, printed at the start and at the end.
"""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import rasterio

REPOSITORY = Path(__file__).resolve().parent.parent
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"
PROFILE = REPOSITORY / ".build" / "qgis-profile"
OUTPUT = Path(os.environ.get("DEMO_OUTPUT", REPOSITORY / "demo-output")).resolve()
OUTLINE = REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"
SHELTER_BELT = REPOSITORY / "resources" / "demo" / "demo_shelter_belt.geojson"
SCENARIO_START, SCENARIO_YEARS = 2023, 30
COSORE = REPOSITORY / "tests" / "data" / "cosore_ES-Agu_2012" / "data.csv"      # real, CC BY 4.0 (LICENCES.md)
DEMO_BOOTSTRAP = 50          # a quick ensemble for the demo; a parameter file for real work wants 200 or more
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


def run_algorithm(algorithm, **parameters):
    arguments = [f"{key}={value}" for key, values in parameters.items()
                 for value in (values if isinstance(values, list) else [values])]
    shown = " ".join(a if len(a) < 70 else a[:67] + "..." for a in arguments[:3])
    print(f"qgis_process.bin run {algorithm} -- {shown}{' ...' if len(arguments) > 3 else ''}", flush=True)
    run = qgis_process("--json", "run", algorithm, "--", *arguments)
    if run.returncode:
        sys.exit(f"{algorithm} failed:\n{run.stdout[-4000:]}{run.stderr[-4000:]}")
    report = json.loads(run.stdout[run.stdout.index("{"):])
    (OUTPUT / f"{algorithm.split(':')[1]}_log.json").write_text(json.dumps(report, indent=1))
    return report["results"]


def significant_share(trend_path):
    """Share of the outline's true area whose trend is significant at 95 % (|code| >= 2)."""
    from desert_carbon.core.coverage import PolygonCoverage
    from desert_carbon.core.geodesy import cell_areas
    outline = json.loads(OUTLINE.read_text())["features"][0]["geometry"]["coordinates"]
    rings = [np.asarray(r, dtype=np.float64) for r in outline]
    with rasterio.open(trend_path) as src:
        coverage = PolygonCoverage([rings], src.transform, src.width, src.height)
        window = coverage.window
        weights = coverage.fraction(window) * cell_areas(src.crs, src.transform, window)
        code = src.read(src.descriptions.index("significance") + 1, window=window, masked=True)
    valid = ~np.ma.getmaskarray(code)
    return float((weights * (np.abs(code.filled(0)) >= 2) * valid).sum() / (weights * valid).sum())


def main():
    print(f"Demo outputs go to {OUTPUT}")
    files = forcing_files()
    enabled = qgis_process("plugins", "enable", "desert_carbon")
    if enabled.returncode and "already enabled" not in enabled.stdout + enabled.stderr:
        sys.exit(f"qgis_process could not enable the plugin:\n{enabled.stdout}{enabled.stderr}")
    annual = OUTPUT / "annual_flux.tif"
    run_algorithm("desertcarbon:fluxscheme", FORCING=[str(f) for f in files], OUTPUT=annual,
                  OUTPUT_COMPONENTS=OUTPUT / "annual_components.tif", OUTPUT_REGIMES=OUTPUT / "regimes.tif")
    trend = OUTPUT / "trend.tif"
    run_algorithm("desertcarbon:trend", INPUT=annual, MIN_VALID_YEARS=10, OUTPUT=trend)
    totals = run_algorithm("desertcarbon:aggregate", INPUT=annual, POLYGONS=OUTLINE, ID_FIELD="name",
                           OUTPUT=OUTPUT / "totals.gpkg", OUTPUT_CSV=OUTPUT / "totals.csv",
                           OUTPUT_HTML=OUTPUT / "totals.html")
    with open(totals["OUTPUT_CSV"], newline="") as f:
        rows = list(csv.DictReader(f))
    scenario = run_algorithm("desertcarbon:scenario", BASELINE=annual, INTERVENTIONS=SHELTER_BELT, ID_FIELD="name",
                             REGION=OUTLINE, START_YEAR=SCENARIO_START, HORIZON=SCENARIO_YEARS,
                             OUTPUT=OUTPUT / "scenario.gpkg", OUTPUT_CSV=OUTPUT / "scenario.csv",
                             OUTPUT_CHANGE=OUTPUT / "scenario_change.tif")
    with open(scenario["OUTPUT_CSV"], newline="") as f:
        belt = [row for row in csv.DictReader(f) if row["feature_id"] == "demo shelter belt"]

    print()
    print("SYNTHETIC demo forcing — the numbers show the plugin working, not the real Taklimakan.")
    area_km2 = float(rows[0]["area_polygon_m2"]) / 1e6
    print(f"Taklimakan outline (Natural Earth, {area_km2:,.0f} km²); positive = release, negative = uptake")
    print(f"{'year':>6} {'Pg CO2 a-1':>12} {'g CO2 m-2 a-1':>14}")
    for row in rows:
        if row["year"] != "mean":
            print(f"{row['year']:>6} {float(row['total_PgCO2_a']):>12.3e} {float(row['mean_rate_gCO2_m2_a']):>14.3f}")
    mean = next(row for row in rows if row["year"] == "mean")
    print(f"{'mean':>6} {float(mean['total_PgCO2_a']):>12.3e} ± {float(mean['interannual_sd_PgCO2_a']):.2e} "
          f"(interannual standard deviation)")
    print(f"Share of the desert's area with a significant trend (Mann–Kendall, p < 0.05): "
          f"{significant_share(trend):.1%}")
    last = belt[-1]
    print(f"Shelter-forest scenario (hypothetical {float(last['area_m2']) / 1e4:,.0f} ha belt, planted "
          f"{SCENARIO_START}): after {SCENARIO_YEARS} years, in {last['year']}, the belt takes up "
          f"{-float(last['change_PgCO2_a']):.2e} Pg CO2 a-1 more than the sand it replaced; cumulative gain "
          f"{float(last['cumulative_uptake_gain_PgCO2']):.2e} Pg CO2 (range "
          f"{float(last['cumulative_uptake_gain_min_PgCO2']):.2e} to "
          f"{float(last['cumulative_uptake_gain_max_PgCO2']):.2e}).")
    uncertainty(files)
    subprocess.run([sys.executable, str(REPOSITORY / "scripts" / "render_demo.py"), str(OUTPUT)], check=True,
                   capture_output=True)
    print(f"\nOutputs (rasters load styled in QGIS; `make qgis` opens them; map.png and plots.png): {OUTPUT}")


def uncertainty(files):
    """Step 6: calibrate on the station sample, run its bootstrap sets as an ensemble, total them with each part."""
    print()
    print("Uncertainty of the total (docs/SCIENCE.md §7): the scheme calibrated on the bundled COSORE sample, "
          "ES-Agu 2012.")
    print("ES-Agu is a semi-arid Stipa steppe in Spain, not shifting sand: its fit says how a calibration's "
          "uncertainty reaches the Pg, not what the Taklimakan does.")
    calibrated = OUTPUT / "calibrated_ES-Agu.json"
    calibration = run_algorithm("desertcarbon:calibrate", STATION=COSORE, MAPPING='{"t0": "CSR_T5"}',
                                BOOTSTRAP=DEMO_BOOTSTRAP, OUTPUT=calibrated,
                                OUTPUT_REPORT=OUTPUT / "calibration_ES-Agu.html")
    print(f"Held-out RMSE (µmol m-2 s-1): fit {calibration['HELD_OUT_RMSE']:.3g}, defaults "
          f"{calibration['HELD_OUT_RMSE_INITIAL']:.3g}, null model {calibration['HELD_OUT_RMSE_NULL']:.3g}, "
          f"Q10 x moisture model {calibration['HELD_OUT_RMSE_Q10']:.3g}")
    annual = OUTPUT / "annual_flux_calibrated.tif"
    run_algorithm("desertcarbon:fluxscheme", FORCING=[str(f) for f in files], PARAMETERS=calibrated,
                  PARAMETER_ENSEMBLE=calibrated, OUTPUT=annual, OUTPUT_ENSEMBLE=OUTPUT / "ensemble")
    totals = run_algorithm("desertcarbon:aggregate", INPUT=annual, POLYGONS=OUTLINE, ID_FIELD="name",
                           ENSEMBLE_FOLDER=OUTPUT / "ensemble", OUTPUT=OUTPUT / "totals_calibrated.gpkg",
                           OUTPUT_CSV=OUTPUT / "totals_calibrated.csv", OUTPUT_HTML=OUTPUT / "totals_calibrated.html")
    with open(totals["OUTPUT_CSV"], newline="") as f:
        mean = next(row for row in csv.DictReader(f) if row["year"] == "mean")
    value = {key: float(mean[key]) for key in ("total_PgCO2_a", "ensemble_sd_PgCO2_a", "ensemble_p05_PgCO2_a",
                                               "ensemble_p95_PgCO2_a", "interannual_sd_PgCO2_a",
                                               "combined_uncertainty_PgCO2_a")}
    print(f"Taklimakan outline, {FIRST_YEAR}–{LAST_YEAR} mean with the ES-Agu coefficients "
          f"({int(float(mean['ensemble_members']))} bootstrap parameter sets), Pg CO2 a-1:")
    print(f"  central total             {value['total_PgCO2_a']:>11.3e}")
    print(f"  parameter sd              {value['ensemble_sd_PgCO2_a']:>11.2e}   (5–95 %: "
          f"{value['ensemble_p05_PgCO2_a']:.3e} to {value['ensemble_p95_PgCO2_a']:.3e})")
    print(f"  interannual sd            {value['interannual_sd_PgCO2_a']:>11.2e}")
    print(f"  combined √(sd² + sd²)     {value['combined_uncertainty_PgCO2_a']:>11.2e}")
    print(f"  to copy: {value['total_PgCO2_a']:.3g} ± {value['combined_uncertainty_PgCO2_a']:.2g} Pg CO2 a-1 "
          f"(mean ± parameters and weather; forcing spread not included: one forcing)")


if __name__ == "__main__":
    main()
