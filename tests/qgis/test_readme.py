"""Every `qgis_process.bin` command README.md shows runs as written, through qgis_process, on inputs named as the
README names them (SYNTHETIC forcing and fluxes, the real COSORE sample), each in a folder of its own."""
import os
import re
import shlex
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from rasterio.transform import from_origin

from forcing_files import synthetic_forcing, write_annual, write_era5_netcdf

REPOSITORY = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
COSORE = REPOSITORY / "tests" / "data" / "cosore_ES-Agu_2012"


def readme_commands():
    """The README's `qgis_process.bin run …` code lines, continuation lines joined."""
    commands, current = [], None
    for line in (REPOSITORY / "README.md").read_text(encoding="utf-8").splitlines():
        if current is None and line.startswith("    qgis_process.bin run "):
            current = ""
        if current is not None:
            current += line.strip().rstrip("\\").strip() + " "
            if not line.rstrip().endswith("\\"):
                commands.append(current.strip())
                current = None
    return commands


def write_ameriflux(path, stamps, columns):
    """An AmeriFlux-BASE-style half-hourly-free hourly table (SYNTHETIC values)."""
    rows = ["TIMESTAMP_START,TIMESTAMP_END," + ",".join(columns)]
    for k, stamp in enumerate(stamps):
        values = ",".join(f"{values[k]:.5f}" for values in columns.values())
        rows.append(f"{stamp:%Y%m%d%H%M},{stamp + timedelta(hours=1):%Y%m%d%H%M},{values}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The files the README's commands name, made once."""
    folder = tmp_path_factory.mktemp("readme_inputs")
    for year in range(2019, 2023):                       # SYNTHETIC ERA5-Land-like forcing over the Taklimakan
        times = np.arange(np.datetime64(f"{year}-01-01", "s").astype(np.int64),
                          np.datetime64(f"{year + 1}-01-01", "s").astype(np.int64), 3600)
        t0, t10, theta = synthetic_forcing(times, 3, 4, seed=year)
        write_era5_netcdf(folder / f"era5land_{year}.nc", times, t0 + 0.1 * (year - 2019), t10, t10 - 1.0, theta,
                          theta, lat0=40.0, lon0=82.0, res=0.5)
    rng = np.random.default_rng(16)                      # SYNTHETIC annual fluxes, 12 years, 0.5° over the desert
    trend = np.linspace(0.0, -1.2, 12).reshape(-1, 1, 1)
    write_annual(folder / "annual_flux.tif", rng.normal(-5.0, 1.0, (12, 12, 24)) + trend,
                 from_origin(77.0, 42.0, 0.5, 0.5), first_year=2011)
    for name in ("data.csv", "CSR_COLUMN_UNITS.csv", "PORTS.txt", "DESCRIPTION.txt", "ANCILLARY.csv",
                 "COLUMNS.txt", "CONTRIBUTORS.txt"):
        shutil.copy(COSORE / name, folder / name)        # the real COSORE sample, as calibrate's example reads it
    stamps = [datetime(2021, 5, 1) + timedelta(hours=k) for k in range(40 * 24)]     # SYNTHETIC open-path tables
    hour = np.arange(len(stamps)) % 24
    h = np.maximum(0.0, 300 * np.sin(np.pi * (hour - 7) / 14)) - 15
    true = 0.25 * np.sin(2 * np.pi * (hour - 10) / 24) + rng.normal(0, 0.15, hour.size)
    write_ameriflux(folder / "open_path.csv", stamps, {"FC": true + 0.03 - 0.0012 * h + rng.normal(0, 0.05, h.size),
                                                       "H": h, "NETRAD": h + 40, "TA": 20 + 8 * np.sin(hour / 4)})
    write_ameriflux(folder / "chamber.csv", stamps[5 * 24:33 * 24], {"FC": (true + rng.normal(0, 0.05, h.size))[
        5 * 24:33 * 24]})
    (folder / "resources").symlink_to(REPOSITORY / "resources")
    return folder


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A QGIS profile with the plugin enabled by the README's own command."""
    path = tmp_path_factory.mktemp("readme_profile")
    enabled = run(path, "qgis_process.bin plugins enable desert_carbon", REPOSITORY)
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    return path


def run(profile, command, cwd):
    arguments = shlex.split(command)
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "QGIS_CUSTOM_CONFIG_PATH": str(profile),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([QGIS_PROCESS, *arguments[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)


def test_the_readme_shows_every_algorithm_and_the_model():
    shown = {shlex.split(command)[2] for command in readme_commands()}
    assert shown == {f"desertcarbon:{name}" for name in ("fluxscheme", "calibrate", "openpathcorrection", "trend",
                                                         "aggregate", "scenario", "siting", "desert_carbon_chain")}


@pytest.mark.parametrize("command", readme_commands(), ids=lambda command: shlex.split(command)[2])
def test_readme_command_runs_as_written(command, inputs, profile, tmp_path):
    for item in inputs.iterdir():
        (tmp_path / item.name).symlink_to(item)
    done = run(profile, command, tmp_path)
    assert done.returncode == 0, command + "\n" + done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    outputs = [value for key, value in (argument.split("=", 1) for argument in shlex.split(command)[4:])
               if re.match(r"(OUTPUT\w*|\w+:\w+)$", key)]
    assert outputs and all((tmp_path / output).exists() for output in outputs), outputs
