"""CLUSTER on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1.

fluxscheme, trend and aggregate run through processing.run against the scheduler's address and must give
what the same run gives in this process. The workers are started without the plugin on their Python path,
so the runs also prove that ``core`` is shipped to them. One run loses a worker mid-run, one is cancelled,
one points at a port where nothing listens. SYNTHETIC forcing (tests/forcing_files.py).
"""
import csv
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import distributed
import numpy as np
import processing
import pytest
import rasterio
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer
from rasterio.transform import from_origin

from ensemble_files_for_tests import MEMBER_K1, parameter_folder
from forcing_files import synthetic_forcing, write_annual, write_era5_netcdf

START_TIMEOUT_S = 60
ROWS, COLS = 24, 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalDask:
    """A scheduler and worker processes started as a user starts them, torn down by their process ids."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.scheduler_file = self.folder / "scheduler.json"
        self.log = open(self.folder / "dask.log", "ab")
        self.environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}   # no plugin for the workers
        self.scheduler = subprocess.Popen(
            ["dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.scheduler_file)], stdout=self.log, stderr=self.log, cwd=self.folder,
            env=self.environment)
        self.workers = []
        self.client = None

    def start_worker(self):
        process = subprocess.Popen(
            ["dask", "worker", "--scheduler-file", str(self.scheduler_file), "--name", f"worker-{len(self.workers)}",
             "--nthreads", "1", "--no-nanny",
             "--no-dashboard", "--local-directory", str(self.folder), "--death-timeout", str(START_TIMEOUT_S)],
            stdout=self.log, stderr=self.log, cwd=self.folder, env=self.environment)
        self.workers.append(process)
        return process

    def wait(self, workers):
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.scheduler_file.exists():
            assert time.monotonic() < deadline, (self.folder / "dask.log").read_text()
            time.sleep(0.1)
        if self.client is None:
            self.client = distributed.Client(scheduler_file=str(self.scheduler_file), timeout=START_TIMEOUT_S,
                                             set_as_default=False)
        self.client.wait_for_workers(workers, timeout=START_TIMEOUT_S)

    @property
    def address(self):
        return self.client.scheduler.address

    def worker_address(self, process):
        name = f"worker-{self.workers.index(process)}"
        return next(address for address, info in self.client.scheduler_info()["workers"].items()
                    if info["name"] == name)

    def stop(self):
        if self.client is not None:
            self.client.close()
        for process in self.workers + [self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in self.workers + [self.scheduler]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


@contextmanager
def two_workers(folder):
    """A LocalDask with two workers, in ``folder``; stopped after."""
    folder.mkdir(exist_ok=True)
    cluster = LocalDask(folder)
    try:
        cluster.start_worker()
        cluster.start_worker()
        cluster.wait(2)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    with two_workers(tmp_path_factory.mktemp("dask")) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def forcing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forcing")
    start = np.datetime64("2003-01-01", "s").astype(np.int64)
    times = start + 3600 * np.arange(2 * 8760, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, ROWS, COLS, seed=11)
    parameter_folder(folder / "parameters", MEMBER_K1[:3])        # a parameter ensemble of three (SYNTHETIC)
    return write_era5_netcdf(folder / "era5.nc", times, t0, t10, t10 - 1.0, theta, theta * 1.1)


def flux_parameters(forcing, folder, **more):
    # two years (2004 partial, flagged): on the cluster, tasks are windows x groups of years; with a parameter
    # ensemble of three, each task sums every member from its reads
    return {"FORCING": [forcing], "MEMORY_MB": 16, "INCLUDE_PARTIAL_YEARS": True, "OUTPUT": str(folder / "annual.tif"),
            "OUTPUT_COMPONENTS": str(folder / "components.tif"), "OUTPUT_REGIMES": str(folder / "regimes.tif"),
            "PARAMETER_ENSEMBLE_FOLDER": str(Path(forcing).parent / "parameters"),
            "OUTPUT_ENSEMBLE": str(folder / "members"), **more}


@pytest.fixture(scope="module")
def in_process_flux(forcing, tmp_path_factory, qgis_processing):
    import desert_carbon
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    try:
        folder = tmp_path_factory.mktemp("in_process")
        processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, folder))
    finally:
        plugin.unload()
    return folder


def read_bands(path):
    with rasterio.open(path) as source:
        return source.read(), source.descriptions


def assert_same_rasters(folder, reference):
    for name in ("annual.tif", "components.tif", "regimes.tif", "members/member_001.tif", "members/member_003.tif"):
        got, got_names = read_bands(folder / name)
        expected, expected_names = read_bands(reference / name)
        assert got_names == expected_names
        assert got.shape[0] >= 2 and (got != -9999.0).any()
        np.testing.assert_array_equal(got, expected)      # the same bits (the issue asks for 1e-12)


def test_fluxscheme_on_the_cluster_equals_the_in_process_run(provider, dask_cluster, forcing, in_process_flux,
                                                             tmp_path):
    result = processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path,
                                                                        CLUSTER=dask_cluster.address))
    assert_same_rasters(tmp_path, in_process_flux)
    assert result["PIXEL_STEPS"] == ROWS * COLS * 2 * 8760
    assert result["YEARS"] == "2003,2004"
    assert not list(tmp_path.glob("*.partial.tif"))


def test_every_worker_holds_the_payload_before_the_tasks_start(provider, dask_cluster, forcing, tmp_path):
    """The scheduler gives a task only to workers that hold its inputs: with the run's payload on one worker, the
    other got work only by stealing, after fetching the payload (a "transfer" in Dask's task stream)."""
    client = dask_cluster.client
    client.get_task_stream()                          # starts the scheduler's task stream
    start = time.time()
    processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path, CLUSTER=dask_cluster.address))
    stream = [task for task in client.get_task_stream(start=start) if task["key"].startswith("flux_window_task-")]
    window_tasks = [task for task in stream if "-payload-" not in task["key"]]
    assert len(window_tasks) >= 4 and len({task["worker"] for task in window_tasks}) == 2
    transfers = [(task["key"], part["action"]) for task in stream for part in task["startstops"]
                 if part["action"] == "transfer"]
    assert not transfers


class KillOnFirstProgress(QgsProcessingFeedback):
    """Kills a worker process (SIGKILL) when the first window has come back, and notes what it was doing."""

    def __init__(self, cluster, victim):
        super().__init__()
        self.cluster, self.victim = cluster, victim
        self.tasks_lost = None

    def setProgress(self, progress):  # noqa: N802 (QGIS's name)
        if self.tasks_lost is None and progress > 0:
            address = self.cluster.worker_address(self.victim)
            self.tasks_lost = len(self.cluster.client.processing(workers=[address]).get(address, ()))
            os.kill(self.victim.pid, signal.SIGKILL)
        super().setProgress(progress)


def test_a_worker_killed_mid_run_has_its_tasks_rerun_and_the_output_is_the_same(provider, dask_cluster, forcing,
                                                                                  in_process_flux, tmp_path):
    victim = dask_cluster.start_worker()
    dask_cluster.wait(3)
    feedback = KillOnFirstProgress(dask_cluster, victim)
    processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path, CLUSTER=dask_cluster.address),
                   feedback=feedback)
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert feedback.tasks_lost >= 1              # the killed worker held a window, which another one computed
    assert_same_rasters(tmp_path, in_process_flux)


class KillAllOnFirstProgress(QgsProcessingFeedback):
    def __init__(self, victims):
        super().__init__()
        self.victims = victims

    def setProgress(self, progress):  # noqa: N802 (QGIS's name)
        if progress > 0 and self.victims:
            for victim in self.victims:
                os.kill(victim.pid, signal.SIGKILL)
            self.victims = []
        super().setProgress(progress)


def test_a_run_whose_workers_all_died_stops_naming_the_cause(provider, forcing, tmp_path, monkeypatch):
    """Without workers the scheduler keeps the tasks waiting as long as the client waits: the run stops after
    WORKER_WAIT_S (2 s here) without a worker, says why and leaves no output."""
    import desert_carbon.core.cluster as cluster_module
    monkeypatch.setattr(cluster_module, "WORKER_WAIT_S", 2)
    output = tmp_path / "out"
    output.mkdir()
    with two_workers(tmp_path / "dask") as cluster:
        start = time.monotonic()
        with pytest.raises(QgsProcessingException, match=r"the Dask scheduler has had no worker for 2 s with [1-9]\d* "
                                                         r"of \d+ tasks to do.*dask worker tcp://127\.0\.0\.1:"):
            processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, output, CLUSTER=cluster.address),
                           feedback=KillAllOnFirstProgress(list(cluster.workers)))
        assert time.monotonic() - start < 60
    assert not list(output.iterdir())


def test_a_scheduler_lost_mid_run_is_named_not_a_cancelled_task(provider, forcing, tmp_path):
    """Dask cancels every future of a client that lost its scheduler: the run says the connection was lost and
    leaves no output."""
    output = tmp_path / "out"
    output.mkdir()
    with two_workers(tmp_path / "dask") as cluster:
        address = cluster.address
        cluster.client.close()              # the test's own client would wait to reconnect to the dead scheduler
        cluster.client = None
        with pytest.raises(QgsProcessingException, match=r"CLUSTER tcp://127\.0\.0\.1:\d+: the run stopped after "
                                                         r"[1-9]\d* of \d+ tasks, the connection to the Dask "
                                                         r"scheduler was lost: start the scheduler again"):
            processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, output, CLUSTER=address),
                           feedback=KillAllOnFirstProgress([cluster.scheduler]))
    assert not list(output.iterdir())


class CancelOnFirstProgress(QgsProcessingFeedback):
    def setProgress(self, progress):  # noqa: N802 (QGIS's name)
        if progress > 0:
            self.cancel()
        super().setProgress(progress)


def test_cancel_cancels_the_cluster_tasks_and_leaves_no_output(provider, dask_cluster, forcing, tmp_path):
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path, CLUSTER=dask_cluster.address),
                       feedback=CancelOnFirstProgress())
    assert not list(tmp_path.iterdir())
    deadline = time.monotonic() + 20
    while any(dask_cluster.client.processing().values()):
        assert time.monotonic() < deadline, dask_cluster.client.processing()
        time.sleep(0.1)


def test_a_port_where_nothing_listens_is_named_within_seconds(provider, forcing, tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(QgsProcessingException, match=r"CLUSTER tcp://127\.0\.0\.1:\d+: no Dask scheduler answered"):
        processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path, CLUSTER=address))
    assert time.monotonic() - start < 15
    assert not list(tmp_path.iterdir())


def test_a_malformed_cluster_is_refused_with_the_forms_it_takes(provider, forcing, tmp_path):
    with pytest.raises(QgsProcessingException, match=r"CLUSTER 'my cluster'.*local:N.*tcp://host:8786"):
        processing.run("desertcarbon:fluxscheme", flux_parameters(forcing, tmp_path, CLUSTER="my cluster"))


def test_trend_on_the_cluster_equals_the_in_process_run(provider, dask_cluster, tmp_path):
    rng = np.random.default_rng(8)
    values = rng.normal(0, 1, (15, 60, 70)) + 0.2 * np.arange(15).reshape(-1, 1, 1)
    values[4, 10:20, 5:30] = -9999.0
    source = write_annual(tmp_path / "annual.tif", values, from_origin(80.0, 40.0, 0.1, 0.1))
    outputs = {}
    for name, cluster in (("here", ""), ("cluster", dask_cluster.address)):
        outputs[name] = tmp_path / f"trend_{name}.tif"
        processing.run("desertcarbon:trend", {"INPUT": source, "MIN_VALID_YEARS": 10, "MEMORY_MB": 16,
                                              "CLUSTER": cluster, "OUTPUT": str(outputs[name])})
    here, names = read_bands(outputs["here"])
    there, cluster_names = read_bands(outputs["cluster"])
    assert names == cluster_names and (here != -9999.0).any()
    np.testing.assert_allclose(there, here, rtol=1e-12, atol=0)


def test_trend_on_a_local_cluster_started_for_the_run(provider, tmp_path):
    values = np.random.default_rng(2).normal(0, 1, (12, 20, 30)) + np.arange(12).reshape(-1, 1, 1)
    source = write_annual(tmp_path / "annual.tif", values, from_origin(80.0, 40.0, 0.1, 0.1))
    processing.run("desertcarbon:trend", {"INPUT": source, "MIN_VALID_YEARS": 10, "OUTPUT": str(tmp_path / "a.tif")})
    processing.run("desertcarbon:trend", {"INPUT": source, "MIN_VALID_YEARS": 10, "CLUSTER": "local:2",
                                          "OUTPUT": str(tmp_path / "b.tif")})
    np.testing.assert_allclose(read_bands(tmp_path / "b.tif")[0], read_bands(tmp_path / "a.tif")[0], rtol=1e-12)


def test_aggregate_on_the_cluster_equals_the_in_process_run(provider, dask_cluster, tmp_path):
    values = np.random.default_rng(3).normal(-4.0, 2.0, (5, 80, 100))
    source = write_annual(tmp_path / "flux.tif", values, from_origin(80.0, 40.0, 0.1, 0.1))
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "polygons", "memory")
    features = []
    for name, wkt in (("a", "POLYGON((80.3 39.7, 88.7 39.9, 87.1 33.1, 81.2 32.6, 80.3 39.7),"
                            "(83 37, 85 37, 85 35, 83 35, 83 37))"),
                      ("b", "POLYGON((85.05 39.5, 89.9 39.5, 89.9 36.05, 85.05 36.05, 85.05 39.5))")):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes([name])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    tables = {}
    for name, cluster in (("here", ""), ("cluster", dask_cluster.address)):
        csv_path = tmp_path / f"{name}.csv"
        processing.run("desertcarbon:aggregate", {"INPUT": source, "POLYGONS": layer, "ID_FIELD": "name",
                                                  "CLUSTER": cluster, "OUTPUT": "memory:",
                                                  "OUTPUT_CSV": str(csv_path),
                                                  "OUTPUT_HTML": str(tmp_path / f"{name}.html")})
        with open(csv_path, newline="") as table:
            tables[name] = list(csv.DictReader(table))
    assert len(tables["here"]) == 2 * 6
    for here, there in zip(tables["here"], tables["cluster"]):
        assert here["feature_id"] == there["feature_id"] and here["year"] == there["year"]
        for key in ("total_PgCO2_a", "area_summed_m2", "mean_rate_gCO2_m2_a"):
            assert float(there[key]) == pytest.approx(float(here[key]), rel=1e-12)
    del layer


def test_qgis_process_runs_fluxscheme_on_a_local_cluster(forcing, in_process_flux, tmp_path):
    """From qgis_process, where sys.executable is qgis_process itself: local:N finds a Python for Dask."""
    plugin_root = Path(__file__).resolve().parents[2] / ".build" / "plugins"
    environment = {**os.environ, "QGIS_PLUGINPATH": str(plugin_root), "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "p"),
                   "QT_QPA_PLATFORM": "offscreen"}
    command = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    enabled = subprocess.run([command, "plugins", "enable", "desert_carbon"], env=environment, capture_output=True,
                             text=True, timeout=300)
    assert enabled.returncode == 0, enabled.stderr
    run = subprocess.run([command, "run", "desertcarbon:fluxscheme", "--", f"FORCING={forcing}", "MEMORY_MB=16",
                          "INCLUDE_PARTIAL_YEARS=true",
                          "CLUSTER=local:2", f"OUTPUT={tmp_path / 'annual.tif'}"],
                         env=environment, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "local Dask cluster of 2 worker process(es)" in run.stdout
    got, _ = read_bands(tmp_path / "annual.tif")
    expected, _ = read_bands(in_process_flux / "annual.tif")
    np.testing.assert_array_equal(got, expected)


def test_gaps_filled_on_the_workers_are_counted_as_in_process(dask_cluster, tmp_path):
    """A two-hour gap in one cell (SYNTHETIC stacks): filled on a worker, counted on the client
    (GAP_FILLED_CELL_STEPS) as in this process, and the fluxes are the same bits."""
    from desert_carbon.core.fluxscheme_run import run_flux_scheme
    from desert_carbon.core.forcing import RasterStackForcing
    from desert_carbon.core.parameters import load_parameters
    from forcing_files import write_stack
    times = np.datetime64("2005-01-01", "s").astype(np.int64) + 3600 * np.arange(8760, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, 3, 4, seed=5)
    t0[1000:1002, 1, 2] = np.nan                      # two hours missing in one cell: filled (MAX_GAP_HOURS 3)
    stacks = [write_stack(tmp_path / f"{name}.tif", values, times) for name, values in
              (("t0", t0), ("t10", t10), ("vwc", theta))]
    tags = {}
    for where, cluster in (("here", None), ("cluster", dask_cluster.address)):
        forcing = RasterStackForcing(*stacks)
        try:
            run_flux_scheme(forcing, load_parameters(None), tmp_path / f"{where}.tif", cluster=cluster,
                            budget_bytes=2**20)
        finally:
            forcing.close()
        with rasterio.open(tmp_path / f"{where}.tif") as source:
            tags[where] = (source.tags(1)["GAP_FILLED_CELL_STEPS"], source.read())
    assert tags["here"][0] == tags["cluster"][0] == "2"
    np.testing.assert_array_equal(tags["here"][1], tags["cluster"][1])
