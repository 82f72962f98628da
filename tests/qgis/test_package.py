"""The release zip: what the official plugin repository checks, then installed into a fresh profile and run."""
import configparser
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from forcing_files import synthetic_forcing, write_stack

REPOSITORY = Path(__file__).resolve().parents[2]
REQUIRED_METADATA = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                     "repository", "tracker", "homepage", "tags", "category", "icon", "hasProcessingProvider",
                     "changelog")


def build(dist):
    out = subprocess.run([sys.executable, str(REPOSITORY / "scripts" / "build_package.py"), str(dist)],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_zip_passes_the_repository_checks(tmp_path):
    archive = build(tmp_path)
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        metadata = configparser.ConfigParser()
        metadata.read_string(z.read("desert_carbon/metadata.txt").decode("utf-8"))
    assert all(n.startswith("desert_carbon/") for n in names)
    for required in ("desert_carbon/__init__.py", "desert_carbon/metadata.txt", "desert_carbon/LICENSE",
                     "desert_carbon/README.md", "desert_carbon/resources/parameters/default.json"):
        assert required in names
    assert not any(part in n for n in names for part in ("/tests/", "/bench/", "/scripts/", "__pycache__",
                                                         ".venv", ".build", ".ci", "demo-output"))
    assert not any(n.endswith((".pyc", ".so", ".dll", ".exe", ".dylib")) for n in names)
    general = metadata["general"]
    for field in REQUIRED_METADATA:
        assert general.get(field, "").strip(), field
    assert general["hasProcessingProvider"] == "yes"
    assert f"desert_carbon/{general['icon']}" in names
    assert archive.name == f"desert_carbon-{general['version']}.zip"


def test_zip_installs_into_a_fresh_profile_and_runs(tmp_path):
    archive = build(tmp_path / "dist")
    config = tmp_path / "config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(plugins)
    env = {k: v for k, v in os.environ.items() if k != "QGIS_PLUGINPATH"}     # only the unzipped copy
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(config), QT_QPA_PLATFORM="offscreen")

    def qgis_process(*args):
        return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True, timeout=300)
    enabled = qgis_process("plugins", "enable", "desert_carbon")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    times = np.datetime64("2013-01-01", "s").astype(np.int64) + 3600 * np.arange(8760, dtype=np.int64)
    stacks = {n: write_stack(tmp_path / f"{n}.tif", v, times)
              for n, v in zip(("T0", "T10", "VWC10"), synthetic_forcing(times, 2, 3))}
    run = qgis_process("--json", "run", "desertcarbon:fluxscheme", "--", *(f"{k}={v}" for k, v in stacks.items()),
                       f"OUTPUT={tmp_path / 'annual.tif'}")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout[run.stdout.index("{"):])
    assert report["results"]["YEARS"] == "2013"
    assert (tmp_path / "annual.tif").exists()
