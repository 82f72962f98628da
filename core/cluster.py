"""Where a windowed run's tasks run: in this process, on N local Dask workers, or on a Dask cluster.

The CLUSTER choice (docs/DESIGN.md, "Beyond one machine"): empty = in this process; ``local:N`` = a Dask
scheduler and N single-threaded worker processes started on this machine for the run and stopped after;
``tcp://host:8786`` = the scheduler of a cluster that already runs. A run is a list of jobs (spatial
windows); a task calls a module-level function of ``core`` with ``(job, payload)`` and returns the job's
small results; the caller writes them in whatever order they finish. ``payload`` is what every task of the
run shares (the forcing, the parameters): it is sent to the cluster once, and each task works on its own
copy, so file handles are never shared between threads. Workers need numpy, rasterio / GDAL and this
package's ``core`` (shipped to them as a zip for every run), not QGIS; the paths in the payload must be
readable by the workers (a shared file system, or GDAL's /vsis3/, /vsicurl/).

Dask (Debian's python3-distributed) is optional: it is imported only when a cluster is asked for.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from .errors import InputError, check_cancel

# what a Dask future raises when it was cancelled (by Dask itself when its client lost the scheduler)
CANCELLED = (concurrent.futures.CancelledError, asyncio.CancelledError)


def local_path(path: str) -> str:
    """A local path made absolute, as a worker must see it (a Dask worker's working folder is not QGIS's); GDAL
    /vsi paths and URLs as given."""
    path = str(path)
    if not path or path.startswith("/vsi") or "://" in path:
        return path
    return os.path.abspath(path)


PARAMETER = "CLUSTER"
INSTALL_HINT = ("Dask's distributed scheduler is not installed in this Python. On Debian and Ubuntu: "
                "`sudo apt install python3-distributed python3-dask`; in the OSGeo4W shell or QGIS's Python on "
                "macOS: `python -m pip install distributed`. Or leave CLUSTER empty to run in this process.")
CONNECT_TIMEOUT_S = 5            # an unreachable scheduler is reported after this long
WORKER_WAIT_S = 20               # a scheduler without any worker is reported after this long
LOCAL_START_S = 60               # local scheduler and workers must be up within this long
POLL_S = 0.05                    # how often the client looks for finished tasks and for a cancel
WORKER_CHECK_S = 1.0             # how often a run asks the scheduler whether it still has workers
CANCEL_CHECK_S = 1.0             # how often a task on a worker asks whether the run was cancelled
TASKS_PER_WORKER = 2             # tasks per worker at least: a slow or lost worker delays little, and windows
                                 # stay wide (each task reads its rows of every step it needs)
WORKER_PROFILE = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"
LOCAL = re.compile(r"^local\s*:\s*(\d+)$", re.IGNORECASE)
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
HOST_PORT = re.compile(r"^[\w.\-\[\]:]+:\d+$")


@dataclass(frozen=True)
class ClusterChoice:
    """A parsed CLUSTER value: in this process, ``local_workers`` local processes, or a scheduler ``address``."""
    text: str = ""
    local_workers: int = 0
    address: str = ""

    @property
    def in_process(self) -> bool:
        return not self.local_workers and not self.address

    def describe(self) -> str:
        if self.local_workers:
            return f"a local Dask cluster of {self.local_workers} worker process(es)"
        if self.address:
            return f"the Dask cluster at {self.address}"
        return "this process"


def parse_cluster(text: Optional[str]) -> ClusterChoice:
    """CLUSTER as typed: "" (this process), "local:N", "tcp://host:port" or "host:port" (tcp)."""
    text = (text or "").strip()
    if not text:
        return ClusterChoice()
    local = LOCAL.match(text)
    if local:
        workers = int(local.group(1))
        if workers < 1:
            raise InputError(f"CLUSTER {text!r}: local:N needs at least one worker (e.g. local:2).")
        return ClusterChoice(text, local_workers=workers)
    scheme, _, rest = text.partition("://")
    if rest and scheme.lower() in SCHEMES and rest.strip("/"):
        return ClusterChoice(text, address=text)
    if not rest and HOST_PORT.match(text):
        return ClusterChoice(text, address=f"tcp://{text}")
    raise InputError(f"CLUSTER {text!r}: expected empty (run in this process), local:N (N worker processes on "
                     f"this machine, e.g. local:4) or the address of a Dask scheduler (e.g. tcp://host:8786).")


def open_cluster(cluster) -> "InProcess | DaskCluster":
    """A context manager that runs tasks as ``cluster`` (a CLUSTER string or a ClusterChoice) says."""
    choice = cluster if isinstance(cluster, ClusterChoice) else parse_cluster(cluster)
    return InProcess() if choice.in_process else DaskCluster(choice)


def part_progress(progress: Optional[Callable[[float], None]], done: int, total: int):
    """The progress callback of job ``done`` of ``total``: its own fraction mapped into the whole run's."""
    if progress is None:
        return None
    return lambda fraction: progress((done + fraction) / total)


class InOrder:
    """Hands results on in job order, whatever order they arrive in (a cluster's), so that sums over jobs add
    up in the same order, to the same bits, as in this process. Holds only those that came early."""

    def __init__(self, consume: Callable[[int, object], None]):
        self.consume = consume
        self.waiting = {}
        self.next_index = 0

    def __call__(self, index: int, result) -> None:
        self.waiting[index] = result
        while self.next_index in self.waiting:
            self.consume(self.next_index, self.waiting.pop(self.next_index))
            self.next_index += 1


class InProcess:
    """Runs the tasks one after the other in this process, with the caller's progress and cancel."""
    choice = ClusterChoice()
    workers = 1

    def __enter__(self):
        return self

    def __exit__(self, *error):
        return False

    def run(self, function: Callable, jobs: Iterable, count: int, payload, on_result: Callable[[int, object], None],
            progress: Optional[Callable[[float], None]] = None,
            is_cancelled: Optional[Callable[[], bool]] = None) -> None:
        """``on_result(index, function(job, payload, progress=..., is_cancelled=...))`` for every job in order."""
        for index, job in enumerate(jobs):
            check_cancel(is_cancelled)
            on_result(index, function(job, payload, progress=part_progress(progress, index, count),
                                      is_cancelled=is_cancelled))
            if progress:
                progress((index + 1) / count)


class DaskCluster:
    """A Dask client for one run: connects (starting local processes for local:N), ships ``core``, runs tasks."""

    def __init__(self, choice: ClusterChoice):
        self.choice = choice
        self.client = None
        self.local = None
        self.workers = 0

    def __enter__(self):
        distributed = import_distributed()
        try:
            address = self.choice.address
            if self.choice.local_workers:
                self.local = LocalProcesses(self.choice.local_workers)
                address = self.local.start()
            self.client = _connect(distributed, address, self.choice.text)
            _wait_for_workers(self.client, self.choice, self.choice.local_workers or 1)
            ship_core(self.client)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *error):
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.local is not None:
            self.local.stop()
            self.local = None
        return False

    def run(self, function: Callable, jobs: Iterable, count: int, payload, on_result: Callable[[int, object], None],
            progress: Optional[Callable[[float], None]] = None,
            is_cancelled: Optional[Callable[[], bool]] = None) -> None:
        """Submit a task per job; ``on_result(index, result)`` as tasks finish (any order), ``progress`` the
        share of tasks done. A cancel or a failed task cancels every task of the run and raises; a lost scheduler
        and WORKER_WAIT_S without a worker stop the run with an InputError that says so."""
        from distributed import Event, as_completed
        from distributed.comm import CommClosedError

        client = self.client
        token = uuid.uuid4().hex[:12]
        name = getattr(function, "__name__", "task")
        with warnings.catch_warnings():
            # Dask advises scattering large arguments; a task is better here: the payload is in the graph
            # once, and if every worker holding it dies the scheduler recomputes it instead of failing the run
            warnings.filterwarnings("ignore", message="Large object", category=UserWarning)
            shared = client.submit(_shared_payload, payload, key=f"{name}-payload-{token}", pure=False)
        jobs = list(jobs)                   # made before the payload is copied: the tasks then go in one message
        # on every worker before the tasks are submitted: the scheduler gives a task only to workers that hold
        # its inputs, so with the payload on one worker the others wait for work stealing (0.1-0.2 s a task). The
        # tasks all at once: Dask's memory manager drops the copies no waiting task needs, and a task submitted
        # alone needs only its own worker's
        client.replicate([shared])          # waits for it; a failed payload task fails the tasks that need it
        stop = ClusterCancel(f"{name}-cancel-{token}")
        futures = client.map(functools.partial(run_task, function), jobs, payload=shared, is_cancelled=stop,
                             key=[f"{name}-{index}-{token}" for index in range(len(jobs))], pure=False)
        index_of = {future.key: index for index, future in enumerate(futures)}
        done = 0
        workers = _WorkerWatch(client, self.choice)
        try:
            finished = as_completed(futures, loop=client.loop)
            while not finished.is_empty():
                batch = finished.next_batch(block=False)
                check_cancel(is_cancelled)
                if not batch:
                    workers.check(done, count)
                    time.sleep(POLL_S)
                    continue
                for future in batch:
                    result = _result(future, lambda done=done: (check_cancel(is_cancelled), workers.check(done, count)))
                    future.release()
                    on_result(index_of[future.key], result)
                    done += 1
                    if progress:
                        progress(done / count)
        except BaseException as error:
            if isinstance(error, CANCELLED + (CommClosedError,)):
                # this client cancels only after this point; Dask cancels every future of a client that lost its
                # scheduler, or a read of a result finds the connection closed: say so, not the task's key
                why = ("the connection to the Dask scheduler was lost"
                       if client.status != "running" or isinstance(error, CommClosedError)
                       else "another client or the scheduler cancelled its tasks")
                raise InputError(f"CLUSTER {self.choice.text}: the run stopped after {done} of {count} tasks, {why}: "
                                 f"start the scheduler again if it stopped, and rerun; or leave CLUSTER empty to run "
                                 f"in this process.") from None
            try:
                Event(stop.name, client=client).set()   # tasks already running stop at their next check
                client.cancel(futures + [shared])
            except Exception:      # a lost connection: the error that stopped the run is the one to show
                pass
            raise
        finally:
            shared.release()


def import_distributed():
    """The ``distributed`` module, or InputError naming the command that installs it."""
    try:
        import distributed
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return distributed


def _connect(distributed, address: str, text: str):
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(f"CLUSTER {text}: no Dask scheduler answered at {address} within {CONNECT_TIMEOUT_S} s "
                         f"({error}). Start one (`dask scheduler`, then `dask worker {address}` on each machine), "
                         f"correct the address, or leave CLUSTER empty to run in this process.") from None


def _wait_for_workers(client, choice: ClusterChoice, count: int) -> None:
    timeout = LOCAL_START_S if choice.local_workers else WORKER_WAIT_S
    try:
        client.wait_for_workers(count, timeout=timeout)
    except (OSError, TimeoutError):
        raise InputError(f"CLUSTER {choice.text}: the Dask scheduler has {len(client.scheduler_info()['workers'])} "
                         f"worker(s) after {timeout} s, {count} expected: start workers (`dask worker "
                         f"{client.scheduler.address}`).") from None


def _result(future, check: Callable[[], object]):
    """A finished task's result (its error, InputError..., raised here), calling ``check`` while it comes: a result
    held by a worker that died since is computed again, and waits for a worker."""
    while True:
        try:
            return future.result(timeout=WORKER_CHECK_S)
        except TimeoutError:
            check()


class _WorkerWatch:
    """Stops a run whose scheduler has had no worker for WORKER_WAIT_S (every worker died or was stopped): the
    scheduler would keep its tasks waiting for workers as long as the client waits. Asks the scheduler once every
    WORKER_CHECK_S seconds."""

    def __init__(self, client, choice: ClusterChoice):
        self.client, self.choice = client, choice
        self.checked = time.monotonic()
        self.none_since = None

    def check(self, done: int, count: int) -> None:
        now = time.monotonic()
        if now - self.checked < WORKER_CHECK_S:
            return
        self.checked = now
        if self.client.scheduler_info().get("workers"):
            self.none_since = None
        elif self.none_since is None:
            self.none_since = now
        elif now - self.none_since >= WORKER_WAIT_S:
            raise InputError(f"CLUSTER {self.choice.text}: the Dask scheduler has had no worker for {WORKER_WAIT_S} s "
                             f"with {count - done} of {count} tasks to do (every worker stopped or died): start "
                             f"workers (`dask worker {self.client.scheduler.address}`) and run again, or leave "
                             f"CLUSTER empty to run in this process.")


class ClusterCancel:
    """``is_cancelled`` of a task on a worker: whether the client set the run's Dask Event (asked once every
    CANCEL_CHECK_S seconds, as each question is a round trip to the scheduler)."""

    def __init__(self, name: str):
        self.name = name
        self.checked = 0.0
        self.cancelled = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.cancelled and now - self.checked >= CANCEL_CHECK_S:
            from distributed import Event
            self.checked = now
            self.cancelled = Event(self.name).is_set()
        return self.cancelled


def _shared_payload(payload):
    """The run's payload as a task of its own: the scheduler holds it once and recomputes it if the worker
    holding it dies."""
    return payload


def run_task(function: Callable, job, payload, is_cancelled: Callable[[], bool]):
    """One task on a worker: ``function`` on its own copy of the payload (file handles are per task, never
    shared by a worker's threads), closed after."""
    own = pickle.loads(pickle.dumps(payload))
    try:
        return function(job, own, progress=None, is_cancelled=is_cancelled)
    finally:
        close = getattr(own, "close", None)
        if close is not None:
            close()


# ---- shipping core to the workers -------------------------------------------------------------------

def package_root() -> Path:
    """The plugin's folder: the package that holds ``core``."""
    return Path(__file__).resolve().parent.parent


def package_name() -> str:
    """The package name the client imports core under (``desert_carbon`` in QGIS): workers must use the same."""
    return __name__.rsplit(".", 2)[0]


def core_zip(folder: Optional[Path] = None) -> Path:
    """A zip of the package's ``__init__.py`` and ``core/`` (Python files only), named by its content's hash."""
    root, name = package_root(), package_name()
    files = [root / "__init__.py"] + sorted(p for p in (root / "core").rglob("*.py") if "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    folder = Path(folder or tempfile.gettempdir())
    target = folder / f"{name}_core_{digest.hexdigest()[:16]}.zip"
    if not target.exists():
        partial = target.with_suffix(f".{uuid.uuid4().hex[:8]}.partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"{name}/{path.relative_to(root).as_posix()}")
        os.replace(partial, target)
    return target


def ship_core(client) -> None:
    """Make ``core`` importable on every worker, also on those that join later (a restarted one): a worker
    plugin uploads the zip; modules of another version a worker imported before are forgotten."""
    from distributed.diagnostics.plugin import UploadFile

    archive = core_zip()
    name = package_name()
    plugin = UploadFile(str(archive))
    register = getattr(client, "register_plugin", None)       # distributed 2023.9 and later; the older name warns
    if register is not None:
        plugin.name = f"{name}-core"
        register(plugin)
    else:
        client.register_worker_plugin(plugin, name=f"{name}-core")
    client.run(_forgetter(name, archive.name))
    # distributed 2024 and later unpickle the task specs on the scheduler too: it must import core as well
    client.run_on_scheduler(_scheduler_installer(archive.name, archive.read_bytes()))
    client.run_on_scheduler(_forgetter(name, archive.name))


def _scheduler_installer(archive: str, data: bytes) -> Callable[[], None]:
    """A function, sent by value (the scheduler cannot import this module yet), that writes the zip of core
    beside the scheduler and puts it on its import path (``_forgetter`` then drops another version's modules)."""
    def install():
        import os as scheduler_os
        import sys as scheduler_sys
        import tempfile as scheduler_tempfile
        path = scheduler_os.path.join(scheduler_tempfile.gettempdir(), archive)
        if not scheduler_os.path.exists(path):
            partial = f"{path}.{scheduler_os.getpid()}.partial"
            with open(partial, "wb") as target:
                target.write(data)
            scheduler_os.replace(partial, path)
        if path not in scheduler_sys.path:
            scheduler_sys.path.insert(0, path)
    return install


def _forgetter(name: str, archive: str) -> Callable[[], None]:
    """A function, sent by value (workers cannot import this module yet), that drops the modules of ``name``
    not imported from ``archive``."""
    def forget():
        import sys as worker_sys
        for module in [m for m in worker_sys.modules if m == name or m.startswith(name + ".")]:
            if archive not in (getattr(worker_sys.modules[module], "__file__", None) or ""):
                del worker_sys.modules[module]
    return forget


# ---- local:N ------------------------------------------------------------------------------------------

def python_interpreter() -> str:
    """The Python interpreter of this Python installation, to start Dask's processes with. Inside QGIS and
    qgis_process ``sys.executable`` is QGIS, or whatever ``python3`` comes first on PATH (another Python,
    perhaps without Dask): only an interpreter inside this installation's prefix is taken."""
    prefixes = [os.path.abspath(p) for p in {sys.prefix, sys.exec_prefix, sys.base_exec_prefix}]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable] + [os.path.join(prefix, folder, name + suffix) for prefix in prefixes
                                     for folder in ("bin", "") for name in (version, "python3", "python")
                                     for suffix in ("", ".exe")]
    for candidate in candidates:
        if (candidate and os.path.isfile(candidate)
                and re.match(r"^python[\d.]*(\.exe)?$", os.path.basename(candidate).lower())
                and any(os.path.abspath(candidate).startswith(prefix + os.sep) for prefix in prefixes)):
            return candidate
    raise InputError("CLUSTER local:N: no Python interpreter of this installation found to start Dask's workers "
                     "with; start a cluster yourself (`dask scheduler`, `dask worker tcp://host:8786`) and give its "
                     "address as CLUSTER.")


class LocalProcesses:
    """A Dask scheduler and ``workers`` single-threaded worker processes on 127.0.0.1, for one run."""

    def __init__(self, workers: int):
        self.workers = workers
        self.folder = None
        self.processes = []

    def start(self) -> str:
        """Start them; returns the scheduler's address."""
        import_distributed()
        self.folder = Path(tempfile.mkdtemp(prefix="desert_carbon_dask_"))
        python = python_interpreter()
        scheduler_file = self.folder / "scheduler.json"
        # nobody sees the workers' profiles (no dashboard): their sampling every 10 ms cost 5-7 % of a worker's
        # CPU seconds (bench_cluster.py); a setting the user made in the environment stays
        environment = {WORKER_PROFILE: "False", **os.environ}
        log = open(self.folder / "dask.log", "ab")
        with log:
            self.processes.append(subprocess.Popen(
                [python, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                stdout=log, stderr=log, cwd=self.folder))
            for _ in range(self.workers):
                self.processes.append(subprocess.Popen(
                    [python, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                     "--nthreads", "1", "--no-nanny", "--no-dashboard", "--local-directory", str(self.folder),
                     "--death-timeout", str(LOCAL_START_S)],
                    stdout=log, stderr=log, cwd=self.folder, env=environment))
        deadline = time.monotonic() + LOCAL_START_S
        while time.monotonic() < deadline:
            if scheduler_file.exists():
                try:
                    import json
                    return json.loads(scheduler_file.read_text())["address"]
                except (ValueError, KeyError):
                    pass                      # being written
            if self.processes[0].poll() is not None:
                break
            time.sleep(0.1)
        tail = (self.folder / "dask.log").read_text(errors="replace")[-800:]
        self.stop()
        raise InputError(f"CLUSTER local:{self.workers}: the local Dask scheduler did not start within "
                         f"{LOCAL_START_S} s. Its log ends: {tail}")

    def stop(self) -> None:
        """Stop the workers, then the scheduler; remove their folder."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
