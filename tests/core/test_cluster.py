"""core.cluster without a cluster: the CLUSTER forms, Dask missing, the zip of core the workers get, and the
payloads every task carries (they must survive a pickle round trip and compute the same after it)."""
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from rasterio.crs import CRS
from rasterio.transform import from_origin
from rasterio.windows import Window

from desert_carbon.core.aggregate import AggregatePayload, aggregate_window_task
from desert_carbon.core.cluster import InOrder, core_zip, import_distributed, open_cluster, package_name, parse_cluster
from desert_carbon.core.coverage import PolygonCoverage
from desert_carbon.core.errors import InputError, RunCancelled
from desert_carbon.core.fluxscheme_run import FluxJob, FluxPayload, _plan, flux_window_task
from desert_carbon.core.forcing import Era5Forcing, RasterStackForcing
from desert_carbon.core.forcing_extras import ExtraFields
from desert_carbon.core.grid import Grid
from desert_carbon.core.parameters import load_parameters
from desert_carbon.core.trend_run import TrendPayload, trend_window_task
from forcing_files import synthetic_forcing, write_annual, write_era5_netcdf, write_stack


@pytest.mark.parametrize("text, local, address", [
    ("", 0, ""), ("  ", 0, ""), (None, 0, ""), ("local:4", 4, ""), ("LOCAL : 2", 2, ""),
    ("tcp://10.0.0.5:8786", 0, "tcp://10.0.0.5:8786"), ("scheduler.example.org:8786", 0, "tcp://scheduler.example.org:8786"),
    ("tls://host:8786", 0, "tls://host:8786")])
def test_cluster_forms(text, local, address):
    choice = parse_cluster(text)
    assert (choice.local_workers, choice.address) == (local, address)
    assert choice.in_process == (not local and not address)


@pytest.mark.parametrize("text", ["local:0", "local:two", "my cluster", "http://host:8786", "tcp://"])
def test_malformed_cluster_is_refused_naming_the_parameter(text):
    with pytest.raises(InputError, match=r"CLUSTER"):
        parse_cluster(text)


def test_without_dask_a_cluster_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)        # as if python3-distributed were not installed
    with pytest.raises(InputError, match=r"apt install python3-distributed python3-dask.*pip install distributed"):
        import_distributed()
    with pytest.raises(InputError, match=r"python3-distributed"):
        with open_cluster("local:2"):
            pass
    with open_cluster("") as session:                            # in this process: Dask is not needed
        seen = []
        session.run(lambda job, payload, progress, is_cancelled: job * payload, [1, 2, 3], 3, 10,
                    lambda index, result: seen.append((index, result)))
    assert seen == [(0, 10), (1, 20), (2, 30)]


def test_in_process_run_stops_on_cancel():
    with open_cluster("") as session, pytest.raises(RunCancelled):
        session.run(lambda job, payload, progress, is_cancelled: job, range(5), 5, None, lambda *_: None,
                    is_cancelled=lambda: True)


def test_results_arriving_in_any_order_are_handed_on_in_job_order():
    seen = []
    in_order = InOrder(lambda index, result: seen.append(index))
    for index in (2, 0, 3, 1, 5, 4):
        in_order(index, None)
    assert seen == [0, 1, 2, 3, 4, 5] and not in_order.waiting


def test_the_shipped_zip_imports_core_in_a_python_without_the_plugin_or_qgis(tmp_path):
    archive = core_zip(tmp_path)
    name = package_name()
    with zipfile.ZipFile(archive) as contents:
        names = contents.namelist()
    assert f"{name}/__init__.py" in names and f"{name}/core/fluxscheme_run.py" in names
    assert not [n for n in names if not n.startswith(f"{name}/core/") and n != f"{name}/__init__.py"]
    assert core_zip(tmp_path) == archive                          # named by its content: built once
    script = (f"import sys; sys.path.insert(0, {str(archive)!r}); import {name}.core.fluxscheme_run, "
              f"{name}.core.trend_run, {name}.core.aggregate; print(any(m.startswith('qgis') for m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def round_trip(value):
    return pickle.loads(pickle.dumps(value))


@pytest.fixture(scope="module")
def year_of_forcing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forcing")
    times = np.datetime64("2003-01-01", "s").astype(np.int64) + 3600 * np.arange(8760 + 48, dtype=np.int64)
    t0, t10, theta = synthetic_forcing(times, 4, 5, seed=2)
    netcdf = write_era5_netcdf(folder / "era5.nc", times, t0, t10, t10 - 1.0, theta, theta * 1.1)
    stacks = [write_stack(folder / f"{n}.tif", v, times) for n, v in (("t0", t0), ("t10", t10), ("vwc", theta))]
    return times, netcdf, stacks


@pytest.mark.parametrize("kind", ["era5", "stacks"])
def test_a_flux_task_computes_the_same_after_a_pickle_round_trip(year_of_forcing, kind):
    times, netcdf, stacks = year_of_forcing
    forcing = Era5Forcing([netcdf]) if kind == "era5" else RasterStackForcing(*stacks)
    try:
        forcing.read(0, 2, Window(0, 0, 1, 1))                        # handles open: they must not travel
        payload = FluxPayload(forcing, _plan(forcing, [(2003, 0, 8760)]), load_parameters(), ExtraFields())
        job = FluxJob(Window(1, 1, 3, 2), {"mask": np.array([[1.0, 0.0, 1.0], [1.0, 1.0, np.nan]])})
        here = flux_window_task(job, payload)
        copy = round_trip(payload)
        there = round_trip(flux_window_task(round_trip(job), copy))
        copy.close()
    finally:
        forcing.close()
    np.testing.assert_array_equal(there.annual, here.annual)
    np.testing.assert_array_equal(there.regimes, here.regimes)
    assert np.isnan(here.annual[:, 0, 0, 1]).all() and np.isfinite(here.annual[:, 0, 0, 0]).all()
    assert there.pixel_steps == here.pixel_steps == 4 * 8760


def test_trend_and_aggregate_tasks_compute_the_same_after_a_pickle_round_trip(tmp_path):
    values = np.random.default_rng(1).normal(0, 1, (12, 6, 7)) + np.arange(12).reshape(-1, 1, 1)
    transform = from_origin(80.0, 40.0, 0.5, 0.5)
    path = write_annual(tmp_path / "annual.tif", values, transform)
    trend = TrendPayload(path, np.arange(12), np.arange(2000, 2012, dtype=float), ("ols_slope", "n_valid"),
                         "none", 10, 0.05, "mann_kendall")
    window = Window(2, 1, 4, 3)
    np.testing.assert_array_equal(trend_window_task(round_trip(window), round_trip(trend)),
                                  trend_window_task(window, trend))
    assert trend_window_task(window, trend)[1].tolist() == [[12.0] * 4] * 3
    grid = Grid(CRS.from_epsg(4326), transform, 7, 6)
    ring = np.array([[80.2, 39.9], [83.1, 39.7], [82.4, 37.2], [80.2, 39.9]])
    aggregate = AggregatePayload(path, (), None, grid, [PolygonCoverage([[ring]], transform, 7, 6)], 12)
    try:
        here = aggregate_window_task((0, Window(0, 0, 7, 6)), aggregate)
        copy = round_trip(aggregate)
        there = round_trip(aggregate_window_task((0, Window(0, 0, 7, 6)), copy))
        copy.close()
    finally:
        aggregate.close()
    np.testing.assert_array_equal(there.flux, here.flux)
    np.testing.assert_array_equal(there.summed, here.summed)
    assert (here.summed > 0).all()


def test_a_window_split_into_groups_of_years_adds_up_to_the_same_bits(year_of_forcing):
    """On a cluster a window's years may go to several tasks: their sums add up to those of one task, bit for bit."""
    _, netcdf, _ = year_of_forcing
    forcing = Era5Forcing([netcdf])
    try:
        plan = _plan(forcing, [(1, 0, 3000), (2, 3000, 6500), (3, 6500, 8760)])    # three "years" of the run
        payload = FluxPayload(forcing, plan, load_parameters(), ExtraFields())
        statics = {"mask": np.ones((3, 4))}
        whole = flux_window_task(FluxJob(Window(0, 0, 4, 3), statics), payload)
        parts = [flux_window_task(FluxJob(Window(0, 0, 4, 3), statics, years), payload) for years in ((0, 2), (2, 3))]
    finally:
        forcing.close()
    assert (parts[0].annual[:, 2] == 0).all() and (parts[1].annual[:, :2] == 0).all()
    total = parts[1]
    total += parts[0]
    np.testing.assert_array_equal(total.annual, whole.annual)
    np.testing.assert_array_equal(total.regimes, whole.regimes)
    assert total.pixel_steps == whole.pixel_steps == 12 * 8760
