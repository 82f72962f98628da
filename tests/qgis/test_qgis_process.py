"""desertcarbon:fluxscheme from the command line, as a Processing model or a shell script calls it."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import rasterio

from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import Era5Forcing
from desert_carbon.core.parameters import load_parameters
from forcing_files import synthetic_forcing, write_era5_netcdf

PLUGIN_ROOT = Path(__file__).resolve().parents[2] / ".build" / "plugins"
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


def qgis_process(profile, *args):
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "QGIS_CUSTOM_CONFIG_PATH": str(profile),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=600)


def test_fluxscheme_runs_from_qgis_process_on_two_era5_files(tmp_path):
    times = np.arange(np.datetime64("2019-01-01", "s").astype(np.int64),
                      np.datetime64("2021-01-01", "s").astype(np.int64), 3600)      # 2020 is a leap year
    t0, t10, theta = synthetic_forcing(times, 3, 4, seed=3)
    files = [write_era5_netcdf(tmp_path / f"era5_{i}.nc", times[s], t0[s], t10[s], t10[s] - 1.5, theta[s], theta[s])
             for i, s in enumerate((slice(0, 8760), slice(8760, None)))]
    profile = tmp_path / "profile"
    enabled = qgis_process(profile, "plugins", "enable", "desert_carbon")
    assert enabled.returncode == 0, enabled.stderr
    out = tmp_path / "annual.tif"
    run = qgis_process(profile, "--json", "run", "desertcarbon:fluxscheme", "--",
                       f"FORCING={files[0]}", f"FORCING={files[1]}", f"OUTPUT={out}")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout[run.stdout.index("{"):])
    assert report["results"]["YEARS"] == "2019,2020"
    reference = tmp_path / "reference.tif"
    run_flux_scheme(Era5Forcing(files), load_parameters(), reference)
    with rasterio.open(out) as got, rasterio.open(reference) as expected:
        np.testing.assert_array_equal(got.read(), expected.read())
    assert out.with_suffix(".qml").exists()


def test_qgis_process_reports_bad_input_without_output(tmp_path):
    profile = tmp_path / "profile"
    assert qgis_process(profile, "plugins", "enable", "desert_carbon").returncode == 0
    not_netcdf = tmp_path / "notes.nc"
    not_netcdf.write_text("this is not a NetCDF file")
    run = qgis_process(profile, "run", "desertcarbon:fluxscheme", "--", f"FORCING={not_netcdf}",
                       f"OUTPUT={tmp_path / 'out.tif'}")
    assert run.returncode != 0
    assert "notes.nc" in run.stdout + run.stderr and "cannot be opened" in run.stdout + run.stderr
    assert not (tmp_path / "out.tif").exists()


def test_qgis_process_shows_the_help(tmp_path):
    profile = tmp_path / "profile"
    assert qgis_process(profile, "plugins", "enable", "desert_carbon").returncode == 0
    shown = qgis_process(profile, "help", "desertcarbon:fluxscheme")
    assert shown.returncode == 0
    assert "R1" in shown.stdout and "g CO<sub>2</sub> m⁻² a⁻¹" in shown.stdout and "FORCING" in shown.stdout


def test_qgis_process_prints_warnings_as_warnings_not_errors(tmp_path):
    """The core's warnings (here: one soil temperature mapped to T0 and T10) go through report_warnings."""
    profile = tmp_path / "profile"
    assert qgis_process(profile, "plugins", "enable", "desert_carbon").returncode == 0
    cosore = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"
    run = qgis_process(profile, "run", "desertcarbon:calibrate", "--", f"STATION={cosore}",
                       'MAPPING={"t0": "CSR_T5"}', "BOOTSTRAP=0", f"OUTPUT={tmp_path / 'out.json'}",
                       f"OUTPUT_REPORT={tmp_path / 'out.html'}")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = (run.stdout + run.stderr).splitlines()
    k1_kept = [line for line in lines if "k1 = 0, the dT terms of R1 dropped" in line]
    assert k1_kept and all("ERROR" not in line for line in k1_kept)
    assert all(line.startswith(("WARNING", "Warning")) for line in k1_kept)
    assert not any(line.startswith("ERROR") for line in lines)
