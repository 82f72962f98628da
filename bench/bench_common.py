"""What the benchmarks share: the plugin package on the path, peak memory, best-of timing."""
import resource
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
PLUGIN_ROOT = REPOSITORY / ".build" / "plugins"


def use_plugin_package():
    """Put the repository on sys.path as the package ``desert_carbon``, linked as `make deps` links it."""
    PLUGIN_ROOT.mkdir(parents=True, exist_ok=True)
    link = PLUGIN_ROOT / "desert_carbon"
    if not link.exists():
        link.symlink_to(REPOSITORY, target_is_directory=True)
    if str(PLUGIN_ROOT) not in sys.path:
        sys.path.insert(0, str(PLUGIN_ROOT))


def peak_rss_mib():
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, whereas ru_maxrss
    keeps the high-water mark of the parent that forked it."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fastest(repeats, run):
    """The shortest wall time of ``repeats`` runs (the machine may be shared) and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result
