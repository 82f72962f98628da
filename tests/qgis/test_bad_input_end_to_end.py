"""Bad input as a new user meets it, end to end: the real AmeriFlux sample saved as a spreadsheet's "Unicode text"
and as a European CSV gives the same corrected series through processing.run; qgis_process refuses an output over
its input; SIGTERM and SIGKILL in the middle of a qgis_process run leave no file under the output's name."""
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import processing
import rasterio
from rasterio.transform import from_origin

from desert_carbon.core.output_guard import TEMPORARY_FOLDER

DATA = Path(__file__).resolve().parents[1] / "data"
AMERIFLUX = DATA / "ameriflux_base_US-CRT" / "AMF_US-CRT_BASE_HH_2-5.csv"
PLUGIN_ROOT = Path(__file__).resolve().parents[2] / ".build" / "plugins"
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def corrected_series(path, folder):
    """openpathcorrection's sensible-heat correction with given coefficients (no reference needed)."""
    out = folder / f"{path.stem}_corrected.csv"
    processing.run("desertcarbon:openpathcorrection", {
        "INPUT": str(path), "METHOD": 1, "C0": 0.1, "C1": 0.001, "LATITUDE": 41.63, "LONGITUDE": -83.35,
        "OUTPUT": str(out), "OUTPUT_SUMMARY": str(folder / f"{path.stem}.html")})
    return out.read_text(encoding="utf-8")


def test_a_station_saved_as_unicode_text_or_european_csv_gives_the_same_series(provider, tmp_path):
    text = AMERIFLUX.read_text(encoding="utf-8")
    unicode_text = tmp_path / "station_unicode.txt"      # what a spreadsheet saves as "Unicode text"
    unicode_text.write_bytes(text.replace(",", "\t").replace("\n", "\r\n").encode("utf-16"))
    european = tmp_path / "station_eu.csv"
    european.write_bytes(DECIMAL.sub(",", text.replace(",", ";")).encode("cp1252"))
    assert re.search(r";-?\d+,\d+;", european.read_text(encoding="cp1252"))         # decimal commas written
    expected = corrected_series(AMERIFLUX, tmp_path)
    assert len(expected.splitlines()) > 90
    assert corrected_series(unicode_text, tmp_path) == expected
    assert corrected_series(european, tmp_path) == expected


def qgis_process(profile, *args, wait=True):
    env = {**os.environ, "QGIS_PLUGINPATH": str(PLUGIN_ROOT), "QGIS_CUSTOM_CONFIG_PATH": str(profile),
           "QT_QPA_PLATFORM": "offscreen"}
    if wait:
        return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=600)
    return subprocess.Popen([QGIS_PROCESS, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def annual_raster(path, size, years=12):
    """SYNTHETIC: a trend plus noise, one band a year, large enough that the trend of every cell takes seconds."""
    rng = np.random.default_rng(2)
    values = (rng.normal(0, 1, (years, size, size)) + 0.2 * np.arange(years)[:, None, None]).astype(np.float32)
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=years, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(80, 40, 0.01, 0.01)) as target:
        target.write(values)
        for band in range(years):
            target.set_band_description(band + 1, str(2001 + band))
    return str(path)


def test_qgis_process_refuses_an_output_over_its_input(tmp_path):
    profile = tmp_path / "profile"
    assert qgis_process(profile, "plugins", "enable", "desert_carbon").returncode == 0
    source = annual_raster(tmp_path / "annual.tif", 4)
    before = Path(source).read_bytes()
    run = qgis_process(profile, "run", "desertcarbon:trend", "--", f"INPUT={source}", "MIN_VALID_YEARS=3",
                       f"OUTPUT={source}")
    assert run.returncode != 0
    assert f"OUTPUT ({source}) is the input INPUT" in run.stdout + run.stderr
    assert Path(source).read_bytes() == before


def hidden(folder):
    return [p for p in folder.iterdir() if TEMPORARY_FOLDER.match(p.name)]


def start_trend(tmp_path, out):
    profile = tmp_path / "profile"
    assert qgis_process(profile, "plugins", "enable", "desert_carbon").returncode == 0
    source = annual_raster(tmp_path / "annual.tif", 700)
    process = qgis_process(profile, "run", "desertcarbon:trend", "--", f"INPUT={source}", "MIN_VALID_YEARS=3",
                           f"OUTPUT={out}", wait=False)
    deadline = time.time() + 120
    # until the temporary output is being written, then at once: a fixed wait let a fast release (QGIS 3.44,
    # numpy 2.4) finish the run before the signal came
    while not writing(out.parent) and process.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    assert writing(out.parent) and process.poll() is None, "the run ended before it could be interrupted"
    return process, profile, source


def writing(folder):
    """A file inside the run's hidden temporary folder: the output is being written."""
    return any(any(p.iterdir()) for p in hidden(folder) if p.is_dir())


def test_sigterm_during_a_qgis_process_run_leaves_no_file(tmp_path):
    out = tmp_path / "out" / "trend.tif"
    out.parent.mkdir()
    process, _, _ = start_trend(tmp_path, out)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    assert list(out.parent.iterdir()) == []


def test_sigkill_leftovers_are_cleaned_by_the_next_run(tmp_path):
    out = tmp_path / "out" / "trend.tif"
    out.parent.mkdir()
    process, profile, source = start_trend(tmp_path, out)
    process.kill()
    process.wait(timeout=60)
    assert not out.exists() and len(hidden(out.parent)) == 1          # SIGKILL cannot be caught
    small = annual_raster(tmp_path / "small.tif", 4)
    run = qgis_process(profile, "run", "desertcarbon:trend", "--", f"INPUT={small}", "MIN_VALID_YEARS=3",
                       f"OUTPUT={out.parent / 'next.tif'}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert hidden(out.parent) == [] and not out.exists()
