"""Benchmark of fluxscheme with a parameter ensemble (issue 13): N members cost far less than N separate runs,
because every member is summed from the same reads of the forcing; peak memory stays flat as members grow.

Per ensemble size N (0 = the central run alone), a fresh process runs fluxscheme on the same SYNTHETIC ERA5-style
NetCDF (one year hourly, bench_fluxscheme's forcing) and reports its wall time, the time each member adds against
the single run, the ratio of the whole to N + 1 separate runs (the peer, measured in the same process), and the peak
resident memory. Run: .venv/bin/python bench/bench_ensemble.py  (or `make bench`)
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import REPOSITORY, peak_rss_mib, use_plugin_package

use_plugin_package()
sys.path.insert(0, str(REPOSITORY / "tests"))
sys.path.insert(0, str(REPOSITORY / "bench"))

ROWS, COLS = 40, 50
BUDGET = 64 * 2**20
SIZES = (0, 8, 32)


def measure(forcing_path, members):
    from desert_carbon.core.fluxscheme_run import run_flux_scheme
    from desert_carbon.core.forcing import Era5Forcing
    from desert_carbon.core.parameters import load_parameter_ensemble, load_parameters
    from ensemble_files_for_tests import parameter_folder
    folder = Path(forcing_path).parent
    params = load_parameters()
    ensemble = ()
    if members:
        k1 = [0.005 + 0.03 * k / members for k in range(members)]
        ensemble = load_parameter_ensemble(parameter_folder(folder / f"parameters_{members}", k1))

    def run(with_ensemble):
        forcing = Era5Forcing([forcing_path])
        started = time.perf_counter()
        try:
            run_flux_scheme(forcing, params, folder / f"annual_{members}.tif", budget_bytes=BUDGET,
                            ensemble=ensemble if with_ensemble else (),
                            ensemble_output=folder / f"members_{members}" if with_ensemble and members else None)
        finally:
            forcing.close()
        return time.perf_counter() - started

    total = min(run(True) for _ in range(2))        # best of two, as the single run: no cold-start in either
    peak = peak_rss_mib()
    single = min(run(False) for _ in range(2))
    return {"total_s": total, "single_s": single, "peak_mb": peak}


def main():
    if sys.argv[1:2] == ["--make"]:
        from bench_fluxscheme import make_forcing
        print(make_forcing(sys.argv[2], ROWS, COLS))
        return
    if len(sys.argv) > 2:
        print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
        return
    print(f"fluxscheme with a parameter ensemble: {ROWS}x{COLS} cells, one year hourly, budget "
          f"{BUDGET / 2**20:.0f} MiB")
    print(f"{'members':>8} {'run s':>7} {'single s':>9} {'s/member':>9} {'member/single':>14} "
          f"{'run/(N+1 runs)':>15} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as folder:
        forcing = subprocess.run([sys.executable, __file__, "--make", folder], capture_output=True, text=True,
                                 check=True).stdout.strip()
        for members in SIZES:
            m = json.loads(subprocess.run([sys.executable, __file__, forcing, str(members)], capture_output=True,
                                          text=True, check=True).stdout)
            per_member = (m["total_s"] - m["single_s"]) / members if members else float("nan")
            print(f"{members:>8} {m['total_s']:>7.2f} {m['single_s']:>9.2f} {per_member:>9.3f} "
                  f"{per_member / m['single_s']:>14.2f} {m['total_s'] / ((members + 1) * m['single_s']):>15.2f} "
                  f"{m['peak_mb']:>5.0f} MiB")
    print(f"s/member: what each member adds to the single run; run/(N+1 runs): the ensemble run against running "
          f"every parameter set on its own (1 = no saving); load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
