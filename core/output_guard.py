"""One guard for every output the plugin writes, and one way to write them: together or not at all.

``check_outputs`` refuses, before anything is opened for writing, an output that is one of the run's
inputs (or whose side files are: the .qml style, the .aux.xml statistics), two outputs on one file, a
folder that cannot be written (the operating system's reason is given), an extension the output
cannot have, and an existing file that is not of the output's kind (a CSV output over a GeoTIFF).

``OutputTransaction`` gives each output a temporary path in a hidden folder beside it (the file keeps
its own name there, so a GeoPackage layer or a shapefile's side files are named as they will be) and
moves them all into place at the end; the old side files of a replaced output go with it (a new
raster must not be drawn with the old .qml or described by the old .aux.xml statistics). A failure
or a cancel removes the hidden folder; so does SIGTERM (``install_termination_cleanup``); after a
SIGKILL the next run in that folder removes it (its process is gone).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .errors import InputError

# Kinds of output: the extensions each may have (the first is the one suggested) and, for rasters, the driver.
RASTER_DRIVERS = {".tif": "GTiff", ".tiff": "GTiff"}
TEXT_EXTENSIONS = {"csv": (".csv", ".txt"), "html": (".html", ".htm"), "json": (".json",),
                   "png": (".png",), "svg": (".svg",)}
KIND_NAMES = {"raster": "GeoTIFF raster", "vector": "vector layer", "csv": "CSV table", "html": "HTML page",
              "json": "JSON file", "png": "PNG image", "svg": "SVG image"}
# Files that belong to an output and are replaced with it: appended to the whole name, or replacing the suffix.
SIDE_FILES = {"raster": ((".aux.xml", ".ovr", ".msk"), (".qml", ".tfw")),
              "vector": (("-wal", "-shm"), (".qml",))}
SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")
# The first bytes of files an output of another kind must not replace.
SIGNATURES = ((b"II*\x00", "a TIFF raster"), (b"MM\x00*", "a TIFF raster"), (b"II+\x00", "a BigTIFF raster"),
              (b"SQLite format 3\x00", "a GeoPackage or SQLite database"), (b"PK\x03\x04", "a zip archive"),
              (b"\x89HDF", "a NetCDF-4 / HDF5 file"), (b"CDF\x01", "a NetCDF file"), (b"CDF\x02", "a NetCDF file"),
              (b"GRIB", "a GRIB file"), (b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF document"))
KIND_SIGNATURES = {"raster": ("a TIFF raster", "a BigTIFF raster"), "png": ("a PNG image",),
                   "vector": ("a GeoPackage or SQLite database", "a zip archive")}
TEMPORARY_FOLDER = re.compile(r"^\.desert_carbon-(\d+)-[0-9a-f]{8}\.partial$")


@dataclass(frozen=True)
class Output:
    """An output of a run: the parameter that names it, its path and its kind (a key of KIND_NAMES).

    ``extensions``: the extensions it may have when the kind's own list does not apply (the vector formats
    this QGIS writes); empty = the kind's."""
    parameter: str
    path: str
    kind: str
    extensions: tuple = ()

    @property
    def allowed_extensions(self) -> tuple:
        if self.extensions:
            return self.extensions
        return tuple(RASTER_DRIVERS) if self.kind == "raster" else TEXT_EXTENSIONS.get(self.kind, ())


@dataclass(frozen=True)
class Input:
    """A file the run reads, with the parameter that names it."""
    parameter: str
    path: str


def side_files(path: str | os.PathLike, kind: str) -> list:
    """The files beside ``path`` that belong to an output of ``kind`` (style, statistics, a shapefile's parts)."""
    path = Path(path)
    appended, replaced = SIDE_FILES.get(kind, ((), ()))
    if kind == "vector" and path.suffix.lower() == ".shp":
        replaced = replaced + SHAPEFILE_PARTS
    return [path.with_name(path.name + suffix) for suffix in appended] + \
        [path.with_suffix(suffix) for suffix in replaced if suffix != path.suffix.lower()]


def raster_driver(path: str | os.PathLike, parameter: str = "OUTPUT") -> str:
    """The GDAL driver of a raster output, from its extension; an InputError for an extension it cannot have."""
    suffix = Path(path).suffix.lower()
    if suffix not in RASTER_DRIVERS:
        raise InputError(_extension_message(Output(parameter, str(path), "raster")))
    return RASTER_DRIVERS[suffix]


def _identity(path):
    """What makes two paths the same file: (device, inode) when it exists, else the resolved path."""
    try:
        status = os.stat(path)
        return ("file", status.st_dev, status.st_ino)
    except OSError:
        return ("path", os.path.realpath(path))


def _extension_message(output):
    path = Path(output.path)
    allowed = output.allowed_extensions
    what = KIND_NAMES.get(output.kind, output.kind)
    suffix = path.suffix or "(no extension)"
    suggestion = path.with_suffix(allowed[0]).name if allowed else path.name
    return (f"{output.parameter} ({output.path}): a {what} cannot be a {suffix} file; give it one of the "
            f"extensions {', '.join(allowed)} (e.g. {suggestion}).")


def _content_kind(path):
    """What an existing file holds, by its first bytes (None: text or unknown)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return None
    return next((name for magic, name in SIGNATURES if head.startswith(magic)), None)


def _writable_folder(path):
    """None when a file can be created where ``path`` goes, else the reason (the first folder that exists)."""
    folder = Path(path).parent
    while not folder.exists():
        if folder.parent == folder:
            break
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    probe = folder / f".desert_carbon-probe-{uuid.uuid4().hex[:8]}"
    try:
        probe.mkdir()
    except OSError as error:
        return f"the folder {folder} cannot be written ({error.strerror or error})"
    probe.rmdir()
    return None


def check_outputs(outputs: Iterable[Output], inputs: Iterable[Input]) -> None:
    """Refuse the outputs of a run that would destroy an input, cannot be written or cannot be what they are.

    Raises InputError naming the parameters and the path. Outputs without a path (not asked for) are skipped.
    """
    outputs = [output for output in outputs if output.path]
    inputs = [given for given in inputs if given.path]
    read = {}
    for given in inputs:
        read.setdefault(_identity(given.path), given)
    written = {}
    for output in outputs:
        _check_one(output, read)
        for path in [output.path] + [str(p) for p in side_files(output.path, output.kind)]:
            identity = _identity(path)
            other = written.get(identity)
            if other is not None and other.parameter != output.parameter:
                raise InputError(f"{other.parameter} and {output.parameter} both write {path}: give each output "
                                 f"a file of its own.")
            written[identity] = output


def _check_one(output, read):
    path = Path(output.path)
    same = read.get(_identity(output.path))
    if same is not None:
        raise InputError(f"{output.parameter} ({output.path}) is the input {same.parameter}: the run would "
                         f"overwrite your data. Choose another file name for {output.parameter}; nothing was "
                         f"written.")
    for side in side_files(path, output.kind):
        same = read.get(_identity(side))
        if same is not None:
            raise InputError(f"{output.parameter} ({output.path}) would replace {side}, which belongs with it, "
                             f"but that file is the input {same.parameter}. Choose another file name for "
                             f"{output.parameter}; nothing was written.")
    allowed = output.allowed_extensions
    if allowed and path.suffix.lower() not in allowed:
        raise InputError(_extension_message(output))
    if path.is_dir():
        raise InputError(f"{output.parameter} ({output.path}) is a folder; give a file name in it.")
    reason = _writable_folder(path)
    if reason:
        raise InputError(f"{output.parameter} ({output.path}) cannot be written: {reason}. Choose a folder you "
                         f"can write to; nothing was written.")
    if path.exists():
        found = _content_kind(path)
        if found is not None and found not in KIND_SIGNATURES.get(output.kind, ()):
            raise InputError(f"{output.parameter} ({output.path}) exists and holds {found}, not a "
                             f"{KIND_NAMES.get(output.kind, output.kind)}: it is not replaced. Delete it or choose "
                             f"another file name.")
        if not os.access(path, os.W_OK):
            raise InputError(f"{output.parameter} ({output.path}) exists and is read-only: it is not replaced. "
                             f"Make it writable or choose another file name.")


# ---- writing: hidden folder, move into place, cleanup ------------------------------------------------

_LIVE_FOLDERS = set()            # hidden folders of the transactions under way in this process
_LIVE_LOCK = threading.Lock()
_INSTALLED = {}                  # signal number -> the handler it had before ours


def _process_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:          # another user's process: alive
        return True
    return True


def clean_stale_temporaries(folder: str | os.PathLike) -> list:
    """Remove the hidden folders that runs killed before they could clean up left in ``folder``; their paths."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMPORARY_FOLDER.match(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not _process_alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.path)
    return removed


def _remove_live_folders(signum, frame):
    with _LIVE_LOCK:
        folders = list(_LIVE_FOLDERS)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    previous = _INSTALLED.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL if previous is None else previous)
    os.kill(os.getpid(), signum)       # end as the signal would have ended the process


def install_termination_cleanup() -> bool:
    """Remove the hidden folders of runs under way on SIGTERM (and SIGHUP), then end as the signal would.

    Only the main thread may set signal handlers: elsewhere this does nothing and returns False (the next run
    cleans up then). Installed once; an earlier handler is called after the cleanup."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is None or signum in _INSTALLED:
            continue
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN:
            continue
        _INSTALLED[signum] = current
        signal.signal(signum, _remove_live_folders)
    return True


class OutputTransaction:
    """Temporary paths for a run's outputs, moved into place together by ``commit``, removed by ``rollback``.

    Use as a context manager: leaving it with an exception rolls back, else it commits.
    """

    def __init__(self, outputs: Iterable[Output]):
        self.outputs = [output for output in outputs if output.path]
        self.folders = {}                # final folder -> hidden folder
        self.created = []                # folders made for the outputs, removed again on rollback
        self.temporaries = {}            # final path -> temporary path
        self.committed = False

    def begin(self) -> "OutputTransaction":
        install_termination_cleanup()
        for output in self.outputs:
            final = Path(os.path.abspath(output.path))
            self._make_parents(final.parent)
            if final.parent not in self.folders:
                clean_stale_temporaries(final.parent)
                hidden = final.parent / f".desert_carbon-{os.getpid()}-{uuid.uuid4().hex[:8]}.partial"
                hidden.mkdir()
                with _LIVE_LOCK:
                    _LIVE_FOLDERS.add(str(hidden))
                self.folders[final.parent] = hidden
            self.temporaries[str(final)] = str(self.folders[final.parent] / final.name)
        return self

    def _make_parents(self, folder):
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.created.append(folder)

    def temporary(self, path: str | os.PathLike) -> str:
        """Where the output ``path`` is written during the run."""
        return self.temporaries[str(Path(os.path.abspath(path)))]

    def final(self, text: str) -> str:
        """``text`` (a result: a path, or a data source with a path in it) with temporary folders made final."""
        for final, hidden in self.folders.items():
            text = text.replace(str(hidden), str(final))
        return text

    def commit(self) -> None:
        """Move every output into place, and each replaced output's side files out; on a failure put back what
        was there and raise."""
        aside = []                       # (original place, where it waits)
        moved = []
        try:
            for output in self.outputs:
                final = Path(os.path.abspath(output.path))
                hidden = self.folders[final.parent]
                for old in [final] + side_files(final, output.kind):
                    if old.exists() or old.is_symlink():
                        waiting = hidden / f".replaced-{len(aside)}"
                        os.replace(old, waiting)
                        aside.append((old, waiting))
            for output in self.outputs:
                final = Path(os.path.abspath(output.path))
                hidden = self.folders[final.parent]
                for new in [final] + side_files(final, output.kind):
                    written = hidden / new.name
                    if written.exists():
                        os.replace(written, new)
                        moved.append(new)
        except OSError as error:
            for new in moved:
                Path(new).unlink(missing_ok=True)
            for old, waiting in aside:
                os.replace(waiting, old)
            self.rollback()
            raise InputError(f"The outputs could not be moved into place ({error}); the files that were there "
                             f"are back and no output was written.") from None
        self.committed = True
        self._remove_folders()

    def rollback(self) -> None:
        """Remove every temporary file (and the folders made for the outputs, when empty)."""
        self._remove_folders()
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                pass

    def _remove_folders(self):
        for hidden in self.folders.values():
            shutil.rmtree(hidden, ignore_errors=True)
            with _LIVE_LOCK:
                _LIVE_FOLDERS.discard(str(hidden))

    def __enter__(self) -> "OutputTransaction":
        return self.begin()

    def __exit__(self, kind, error, trace) -> bool:
        if kind is None:
            self.commit()
        else:
            self.rollback()
        return False


def write_outputs_together(outputs: Iterable[Output], inputs: Iterable[Input] = ()) -> OutputTransaction:
    """``check_outputs`` then a transaction over them, to be used as ``with ... as transaction``."""
    outputs = list(outputs)
    check_outputs(outputs, inputs)
    return OutputTransaction(outputs)


def final_path(text: Optional[str]) -> Optional[str]:
    """A temporary output path of a transaction under way made final (other text unchanged)."""
    if not text:
        return text
    path = Path(text)
    if TEMPORARY_FOLDER.match(path.parent.name):
        return str(path.parent.parent / path.name)
    return text
