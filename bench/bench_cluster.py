"""Benchmark of CLUSTER: fluxscheme in this process against a local Dask cluster of WORKERS workers.

SYNTHETIC ERA5-style forcing (bench_fluxscheme.make_forcing: int16 NetCDF, one year hourly) on GRID cells.
- In process: ``run_flux_scheme(..., cluster="")``, best of REPEATS.
- Cluster: a Dask scheduler and WORKERS single-threaded worker processes on 127.0.0.1 (core.cluster's
  local:N processes, started once); one warm-up run (ships core, imports numpy and GDAL on the workers),
  then best of REPEATS against the scheduler's address. The start-up of the processes is reported apart.
- Speed-up = in-process time / cluster time; per-core efficiency = speed-up / WORKERS (goal of issue 14:
  at least EFFICIENCY_GOAL); also 1 worker against WORKERS workers (the in-process run already overlaps
  reading and computing on two threads). Both outputs are compared (they must be the same bits).
- Per-worker throughput (pixel-steps per second per worker, from the cluster run) and, from it, the projected
  wall time of the global-desert run of issue 14 on 16, 64 and 256 workers: compute-bound, and bounded by
  the storage's aggregate read bandwidth (STORAGE_GBPS; forcing as packed on disk: PACKED_BYTES per
  pixel-step, the five scheme variables and ssr, str, tp as int16).
Run: .venv/bin/python bench/bench_cluster.py  (or `make bench`)
"""
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_common import fastest, use_plugin_package
from bench_fluxscheme import make_forcing

use_plugin_package()

GRID = (80, 100)                       # rows x cols
WORKERS = 2
REPEATS = 2
BUDGET = 64 * 2**20                    # per worker, as bench_fluxscheme
EFFICIENCY_GOAL = 0.8
GLOBAL_CELLS = 250_000                 # desert cells at ERA5-Land's 0.1 degree (issue 14)
GLOBAL_STEPS = 201_624                 # hours 2000-2022
PACKED_BYTES = 5 * 2 + 3 * 2           # skt, stl1, stl2, swvl1, swvl2 and ssr, str, tp as int16
PROJECTED_WORKERS = (16, 64, 256)
STORAGE_GBPS = (1.0, 10.0)             # aggregate read bandwidth of the storage: a NAS, a parallel file system


def main():
    import rasterio

    from desert_carbon.core.cluster import LocalProcesses
    from desert_carbon.core.fluxscheme_run import run_flux_scheme
    from desert_carbon.core.forcing import Era5Forcing
    from desert_carbon.core.parameters import load_parameters

    params = load_parameters()
    with tempfile.TemporaryDirectory() as folder:
        path = make_forcing(folder, *GRID)

        def run(cluster, name):
            forcing = Era5Forcing([path])
            try:
                return run_flux_scheme(forcing, params, Path(folder) / name, budget_bytes=BUDGET, cluster=cluster)
            finally:
                forcing.close()

        here_s, result = fastest(REPEATS, lambda: run("", "here.tif"))
        cluster_s, startup_s = {}, {}
        for workers in (1, WORKERS):
            local = LocalProcesses(workers)
            start = time.perf_counter()
            address = local.start()
            try:
                run(address, "cluster.tif")                       # warm-up: workers import, core shipped
                startup_s[workers] = time.perf_counter() - start
                cluster_s[workers], _ = fastest(REPEATS, lambda at=address: run(at, "cluster.tif"))
            finally:
                local.stop()
        with rasterio.open(Path(folder) / "here.tif") as a, rasterio.open(Path(folder) / "cluster.tif") as b:
            same = np.array_equal(a.read(), b.read())
    report(result.pixel_steps, here_s, cluster_s, startup_s, same)


def report(pixel_steps, here_s, cluster_s, startup_s, same):
    speed_up = here_s / cluster_s[WORKERS]
    efficiency = speed_up / WORKERS
    scaling = cluster_s[1] / cluster_s[WORKERS] / WORKERS
    per_worker = pixel_steps / cluster_s[1]       # one worker's rate: robust when other processes share the cores
    print(f"cluster benchmark: fluxscheme, {GRID[0]}x{GRID[1]} cells x 8760 hourly steps (SYNTHETIC int16 NetCDF), "
          f"{BUDGET / 2**20:.0f} MiB per worker, best of {REPEATS}")
    print(f"{'run':<30} {'seconds':>8} {'Mpx-steps/s':>11} {'start-up + first run s':>23}")
    print(f"{'in process':<30} {here_s:>8.2f} {pixel_steps / here_s / 1e6:>11.1f}")
    for workers, seconds in cluster_s.items():
        print(f"{f'local cluster, {workers} worker(s)':<30} {seconds:>8.2f} {pixel_steps / seconds / 1e6:>11.1f} "
              f"{startup_s[workers]:>23.1f}")
    print(f"speed-up over in process {speed_up:.2f}, per-core efficiency {efficiency:.2f} (goal {EFFICIENCY_GOAL:g}); "
          f"1 -> {WORKERS} workers: efficiency {scaling:.2f}; outputs {'identical' if same else 'DIFFER'}")
    print(f"load average during the run (other processes on this machine's {os.cpu_count()} cores): "
          f"{os.getloadavg()[0]:.1f}")
    total = GLOBAL_CELLS * GLOBAL_STEPS
    print(f"\nglobal-desert run: {GLOBAL_CELLS:,} cells x {GLOBAL_STEPS:,} h = {total:.2e} pixel-steps, "
          f"{total * PACKED_BYTES / 1e12:.2f} TB as packed on disk; {per_worker / 1e6:.1f} Mpx-steps/s per worker "
          f"(the 1-worker cluster here), perfect scaling assumed:")
    print(f"{'workers':>8} {'compute-bound':>14} {'reads then':>11} " + " ".join(
        f"{f'storage {gbps:g} GB/s':>17}" for gbps in STORAGE_GBPS))
    for workers in PROJECTED_WORKERS:
        rate = per_worker * workers
        read = rate * PACKED_BYTES / 1e9
        bound = [max(total / rate, total * PACKED_BYTES / 1e9 / gbps) for gbps in STORAGE_GBPS]
        print(f"{workers:>8} {total / rate / 60:>10.1f} min {read:>6.1f} GB/s " + " ".join(
            f"{seconds / 60:>13.1f} min" for seconds in bound))

if __name__ == "__main__":
    main()
