"""Benchmark of CLUSTER: fluxscheme in this process against a local Dask cluster of WORKERS workers.

SYNTHETIC ERA5-style forcing (bench_fluxscheme.make_forcing: int16 NetCDF, STEPS hourly steps) on GRID cells.
- In process: ``run_flux_scheme(..., cluster="")``.
- Cluster: a Dask scheduler and WORKERS single-threaded worker processes on 127.0.0.1 (core.cluster's
  local:N processes, started once, as local:N starts them); one warm-up run (ships core, imports numpy and GDAL
  on the workers), then runs against the scheduler's address.
- Each REPEATS times, in turn (the machine's speed drifts from minute to minute); the best of them: the shortest
  wall time, the fewest CPU seconds. The start-up of the processes is reported apart.
- Speed-up = in-process time / cluster time. Per-core efficiency = the in-process run's CPU seconds (every
  thread: it reads ahead on a second one, so it already keeps more than one core busy) over the cluster's
  core-seconds, WORKERS x its wall time (goal of issue 14: at least EFFICIENCY_GOAL). Both outputs are
  compared (they must be the same bits). The CPU seconds of the cluster's processes too: their ratio to the
  in-process run's is the share of the cluster's work that is the scheme's, whatever else runs on the machine.
- Per-core throughput (pixel-steps per CPU second, in process) and, from it, the projected
  wall time of the global-desert run of issue 14 on 16, 64 and 256 workers: compute-bound, and bounded by
  the storage's aggregate read bandwidth (STORAGE_GBPS; forcing as packed on disk: PACKED_BYTES per
  pixel-step, the five scheme variables and ssr, str, tp as int16).
Run: .venv/bin/python bench/bench_cluster.py  (or `make bench`)
"""
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_common import use_plugin_package
from bench_fluxscheme import make_forcing

use_plugin_package()

GRID = (80, 100)                       # rows x cols
STEPS = 2 * 8760                       # 2001 and 2002, hourly: a cluster's tasks are windows x groups of years
WORKERS = 2
REPEATS = 7
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
        path = make_forcing(folder, *GRID, steps=STEPS)

        def run(cluster, name):
            forcing = Era5Forcing([path])
            try:
                return run_flux_scheme(forcing, params, Path(folder) / name, budget_bytes=BUDGET, cluster=cluster)
            finally:
                forcing.close()

        local = LocalProcesses(WORKERS)
        start = time.perf_counter()
        address = local.start()
        try:
            run(address, "cluster.tif")                       # warm-up: workers import, core shipped
            startup_s = time.perf_counter() - start
            run("", "here.tif")                               # warm-up: this process's imports
            # in turn, so that the machine's drift from minute to minute weighs on both alike
            here, cluster = Runs(), Runs()
            for _ in range(REPEATS):
                result = here.add(lambda: run("", "here.tif"))
                cluster.add(lambda: run(address, "cluster.tif"), local.processes)
        finally:
            local.stop()
        with rasterio.open(Path(folder) / "here.tif") as a, rasterio.open(Path(folder) / "cluster.tif") as b:
            same = np.array_equal(a.read(), b.read())
    report(result.pixel_steps, here, cluster, startup_s, same)


class Runs:
    """Wall times and CPU seconds (``with_cpu``) of repeated calls; the best of them are the shortest wall time and
    the fewest CPU seconds: what the work costs at least, whatever else the machine did meanwhile."""

    def __init__(self):
        self.walls, self.cpus, self.parts = [], [], []

    def add(self, call, processes=()):
        start = time.perf_counter()
        result, parts = with_cpu(call, processes)
        self.walls.append(time.perf_counter() - start)
        self.cpus.append(sum(parts.values()))
        self.parts.append(parts)
        return result

    def fewest_parts(self) -> dict:
        """The CPU seconds of each part (client, scheduler, workers) in the run that took the fewest in all."""
        return self.parts[int(np.argmin(self.cpus))]


def with_cpu(call, processes=()):
    """``call()`` and the CPU seconds spent in it by this process, the client (every thread: the read-ahead too),
    and by ``processes`` (LocalProcesses': the scheduler, then the workers; from /proc)."""
    def cpu():
        own = resource.getrusage(resource.RUSAGE_SELF)
        seconds = {"client": own.ru_utime + own.ru_stime, "scheduler": 0.0, "workers": 0.0}
        for number, process in enumerate(processes):
            with open(f"/proc/{process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])           # utime, stime
            seconds["scheduler" if number == 0 else "workers"] += ticks / os.sysconf("SC_CLK_TCK")
        return seconds
    before = cpu()
    result = call()
    after = cpu()
    return result, {part: after[part] - before[part] for part in after}


def report(pixel_steps, here: Runs, cluster: Runs, startup_s, same):
    here_s, here_cpu, cluster_s, cluster_cpu = min(here.walls), min(here.cpus), min(cluster.walls), min(cluster.cpus)
    speed_up = here_s / cluster_s
    efficiency = here_cpu / (WORKERS * cluster_s)
    typical = np.median(here.cpus) / (WORKERS * np.median(cluster.walls))
    work = here_cpu / cluster_cpu
    per_core = pixel_steps / here_cpu
    print(f"cluster benchmark: fluxscheme, {GRID[0]}x{GRID[1]} cells x {STEPS} hourly steps (SYNTHETIC int16 NetCDF), "
          f"{BUDGET / 2**20:.0f} MiB per worker, {REPEATS} runs each, in turn; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'run':<28} {'best s':>7} {'median s':>8} {'CPU s':>6} {'Mpx-steps/s':>11}")
    for name, runs in (("in process", here), (f"local cluster, {WORKERS} workers", cluster)):
        print(f"{name:<28} {min(runs.walls):>7.2f} {np.median(runs.walls):>8.2f} {min(runs.cpus):>6.2f} "
              f"{pixel_steps / min(runs.walls) / 1e6:>11.1f}")
    print(f"start-up of the local cluster and its first run {startup_s:.1f} s")
    print(f"speed-up {speed_up:.2f}; per-core efficiency {efficiency:.2f} = in-process CPU seconds / ({WORKERS} cores "
          f"x cluster seconds), the best of each (goal {EFFICIENCY_GOAL:g}); {typical:.2f} from the medians; "
          f"CPU seconds in process / on the cluster (client, scheduler, workers) {work:.2f}; "
          f"outputs {'identical' if same else 'DIFFER'}")
    parts = cluster.fewest_parts()
    print(f"CPU seconds of the cluster run that took the fewest: client {parts['client']:.2f} (plans, writes), "
          f"scheduler {parts['scheduler']:.2f}, workers {parts['workers']:.2f}")
    total = GLOBAL_CELLS * GLOBAL_STEPS
    print(f"\nglobal-desert run: {GLOBAL_CELLS:,} cells x {GLOBAL_STEPS:,} h = {total:.2e} pixel-steps, "
          f"{total * PACKED_BYTES / 1e12:.2f} TB as packed on disk; {per_core / 1e6:.1f} Mpx-steps per CPU second "
          f"(in process, here), one single-threaded worker per core, efficiency {min(efficiency, 1.0):.2f}:")
    print(f"{'workers':>8} {'compute-bound':>14} {'reads then':>11} " + " ".join(
        f"{f'storage {gbps:g} GB/s':>17}" for gbps in STORAGE_GBPS))
    for workers in PROJECTED_WORKERS:
        rate = per_core * workers * min(efficiency, 1.0)
        read = rate * PACKED_BYTES / 1e9
        bound = [max(total / rate, total * PACKED_BYTES / 1e9 / gbps) for gbps in STORAGE_GBPS]
        print(f"{workers:>8} {total / rate / 60:>10.1f} min {read:>6.1f} GB/s " + " ".join(
            f"{seconds / 60:>13.1f} min" for seconds in bound))

if __name__ == "__main__":
    main()
