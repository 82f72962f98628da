"""The ERA5 / ERA5-Land files a user holds, as one forcing: which variable lies where, for which steps.

Users hold what the Copernicus data store delivers (docs/SCIENCE.md section 3, "As the data store
delivers it"): many files, one per month and often one per variable, NetCDF in two layouts or GRIB,
zips of an instant and an accumulated file, Zarr stores. ``expand_forcing_paths`` turns files,
folders and zips into readable paths (zips are read in place through ``/vsizip/``),
``field_series_of`` reads one of them by its content, and ``ForcingCatalog`` puts the pieces
together, refusing what does not fit with the file and time named: a gap, a step two files give
differently, grids that differ, a variable missing altogether or for part of the period.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
from osgeo import gdal
from rasterio.windows import Window

from .cluster import local_path
from .era5_fields import REQUIRED_VARIABLES, FieldSeries
from .era5_netcdf import netcdf_field_series
from .errors import InputError
from .value_range import ValueRange
from .timeaxis import iso, regular_step

gdal.UseExceptions()

FIELD_SUFFIXES = (".nc", ".nc4", ".grib", ".grb", ".grib2", ".grb2", ".zarr")
ZIP_SUFFIX = ".zip"
# time-invariant fields: delivered with one (arbitrary) step, so they do not share the time axis
INVARIANT_VARIABLES = ("lsm",)
GRID_TOLERANCE = 1e-6          # degrees: float32 coordinates of the same grid differ by about 1e-6


def _is_zarr(path: str) -> bool:
    if path.rstrip("/").lower().endswith(".zarr"):
        return True
    return os.path.isdir(path) and any(os.path.exists(os.path.join(path, marker))
                                       for marker in (".zgroup", ".zarray", "zarr.json"))


def _zip_members(path: str) -> list:
    """The NetCDF / GRIB / Zarr members of a zip, as /vsizip/ paths GDAL reads without unpacking."""
    root = path if path.startswith("/vsizip/") else f"/vsizip/{path}"
    try:
        names = gdal.ReadDirRecursive(root) or []
    except RuntimeError as error:
        raise InputError(f"{path}: cannot be read as a zip ({error}).") from None
    members, zarrs = [], set()
    for name in sorted(names):
        clean = name.rstrip("/")
        top_zarr = next((part for part in Path(clean).parts if part.lower().endswith(".zarr")), None)
        if top_zarr is not None:          # a Zarr store inside the zip: the store, not its chunk files
            store = clean[:clean.lower().index(top_zarr.lower()) + len(top_zarr)]
            if store not in zarrs:
                zarrs.add(store)
                members.append(f"{root}/{store}")
        elif clean.lower().endswith(FIELD_SUFFIXES) and not name.endswith("/"):
            members.append(f"{root}/{clean}")
    if not members:
        raise InputError(f"{path}: the zip holds no NetCDF, GRIB or Zarr data ({len(names)} member(s): "
                         f"{sorted(names)[:5]}); expected e.g. data_stream-oper_stepType-instant.nc.")
    return members


def expand_forcing_paths(paths: Iterable) -> list[str]:
    """Files, folders (searched recursively) and zips, in any order, as the paths of the field files.

    A folder gives its NetCDF, GRIB and Zarr stores and the members of its zips; a zip gives its
    members as /vsizip/ paths; any other path (a file, a GDAL /vsi path) is taken as it is. The
    same path given twice is read once.
    """
    out = []
    for given in paths:
        path = local_path(str(given))
        if not path:
            continue
        if path.lower().endswith(ZIP_SUFFIX) and (path.startswith("/vsi") or os.path.isfile(path)):
            out.extend(_zip_members(path))
        elif path.startswith("/vsi") or _is_zarr(path):
            out.append(path)
        elif os.path.isdir(path):
            found = _folder(path)
            if not found:
                raise InputError(f"{path}: the folder holds no NetCDF, GRIB, Zarr or zip file "
                                 f"({', '.join(FIELD_SUFFIXES + (ZIP_SUFFIX,))}).")
            out.extend(found)
        elif os.path.isfile(path):
            out.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    seen, unique = set(), []
    for path in out:
        key = path if path.startswith("/vsi") else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _folder(folder: str) -> list:
    out = []
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in list(dirs):
            if _is_zarr(os.path.join(base, name)):      # a store is one dataset: do not descend into it
                out.append(os.path.join(base, name))
                dirs.remove(name)
        for name in sorted(files):
            lower = name.lower()
            if lower.endswith(ZIP_SUFFIX):
                out.extend(_zip_members(os.path.join(base, name)))
            elif lower.endswith(FIELD_SUFFIXES):
                out.append(os.path.join(base, name))
    return out


def _head(path: str, size: int = 8) -> bytes:
    handle = gdal.VSIFOpenL(path, "rb")
    if handle is None:
        raise InputError(f"{path}: cannot be opened.")
    try:
        return bytes(gdal.VSIFReadL(1, size, handle) or b"")
    finally:
        gdal.VSIFCloseL(handle)


def field_series_of(path: str) -> list[FieldSeries]:
    """The FieldSeries of one file or store, by its content: GRIB, NetCDF (classic or HDF5) or Zarr."""
    path = str(path)
    if _is_zarr(path):
        return netcdf_field_series(path)
    try:
        head = _head(path)
    except RuntimeError as error:
        raise InputError(f"{path}: cannot be opened ({error}).") from None
    if head.startswith(b"GRIB"):
        try:
            # imported here: the GRIB reader is optional for NetCDF users and lives in its own module
            from .era5_grib import grib_field_series
        except ModuleNotFoundError as error:
            if "era5_grib" not in str(error):
                raise
            raise InputError(f"{path}: GRIB is not read by this version; convert it to NetCDF "
                             f"(`grib_to_netcdf -o out.nc {os.path.basename(path)}`) or download NetCDF.") from None
        return grib_field_series(path)
    if head.startswith(b"CDF") or head.startswith(b"\x89HDF"):
        return netcdf_field_series(path)
    raise InputError(f"{path}: cannot be opened as NetCDF, GRIB or Zarr (it starts with {head[:4]!r}, "
                     f"not CDF, HDF or GRIB).")


@dataclass
class _Run:
    """Steps [first, first + count) of a variable's axis are steps [local, local + count) of ``piece``."""
    first: int
    count: int
    piece: FieldSeries
    local: int


class _Variable:
    """One variable's pieces merged into one increasing axis, duplicates checked."""

    def __init__(self, name: str, pieces: list):
        pieces = sorted(pieces, key=lambda p: (int(p.times[0]) if len(p.times) else 0, p.source))
        self.name = name
        self.pieces = pieces
        self.units = pieces[0].units
        for piece in pieces[1:]:
            if piece.units != self.units:
                raise InputError(f"{name}: {pieces[0].source} gives it in {self.units!r}, {piece.source} in "
                                 f"{piece.units!r}; all files of a variable must share its unit.")
        # every step of every piece, sorted by time; the stable sort keeps the pieces' order among equal times, so
        # the first of a time is the piece that gives it, the others must agree with it (array work: a 23-year
        # hourly series is 200,000 steps a variable)
        piece_of = np.concatenate([np.full(len(p.times), i) for i, p in enumerate(pieces)])
        local_of = np.concatenate([np.arange(len(p.times)) for p in pieces])
        all_times = np.concatenate([np.asarray(p.times, dtype=np.int64) for p in pieces])
        order = np.argsort(all_times, kind="stable")
        sorted_times = all_times[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_times[1:] != sorted_times[:-1]
        holder = order[np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))]
        for position in sorted(np.flatnonzero(~first), key=lambda k: order[k]):    # in the files' and steps' order
            held, again = holder[position], order[position]
            _check_duplicate(name, (pieces[piece_of[held]], int(local_of[held])),
                             (pieces[piece_of[again]], int(local_of[again])), int(all_times[again]))
        self.times = sorted_times[first]
        owner_piece, owner_local = piece_of[order][first], local_of[order][first]
        # runs, not a (piece, step) per step: the catalog goes to every cluster task, and a tuple per step made
        # its pickle 2 MB and 20 ms to load for two years of one file
        breaks = (np.diff(owner_piece) != 0) | (np.diff(owner_local) != 1)
        starts = np.flatnonzero(np.r_[True, breaks])[:len(self.times)]
        counts = np.diff(np.r_[starts, len(self.times)])
        self.runs = [_Run(int(a), int(n), pieces[owner_piece[a]], int(owner_local[a])) for a, n in zip(starts, counts)]
        self.run_starts = starts

    def source_at(self, index: int) -> str:
        return self.runs[int(np.searchsorted(self.run_starts, index, side="right")) - 1].piece.source

    def sources(self, first: int, stop: int) -> list:
        return [run.piece.source for run in self.runs if run.first < stop and run.first + run.count > first]

    def read_packed(self, first: int, stop: int, window: Window, kept, role: str):
        """``ForcingCatalog.read_packed``."""
        for run in self.runs:
            if run.first <= first and stop <= run.first + run.count:
                read_packed = getattr(run.piece.read, "read_packed", None)
                return None if read_packed is None else read_packed(
                    run.local + first - run.first, run.local + stop - run.first, window, kept, role)
        return None

    def read(self, first: int, stop: int, window: Window, out: Optional[np.ndarray] = None, shift: float = 0.0,
             ranges: Optional[ValueRange] = None) -> np.ndarray:
        """Steps [first, stop) from whichever files hold them (``ForcingCatalog.read``)."""
        if out is None:
            out = np.empty((max(stop - first, 0), int(window.height), int(window.width)))
        for run in self.runs:
            lo, hi = max(first, run.first), min(stop, run.first + run.count)
            if lo < hi:
                run.piece.read(run.local + lo - run.first, run.local + hi - run.first, window,
                               out=out[lo - first:hi - first], shift=shift, ranges=ranges)
        return out


def _check_duplicate(name, held, other, t):
    """A step two files both give must be the same field in both (e.g. overlapping monthly requests)."""
    (a, i), (b, j) = held, other
    whole = Window(0, 0, a.grid.width, a.grid.height)
    first, second = a.read(i, i + 1, whole), b.read(j, j + 1, whole)
    if not np.array_equal(first, second, equal_nan=True):
        differing = int(np.sum(~((first == second) | (np.isnan(first) & np.isnan(second)))))
        raise InputError(f"{name} at {iso(t)}: {a.source} and {b.source} both give this step with different "
                         f"values ({differing} of {first.size} cells differ); remove one of the files.")


def _periods(times: np.ndarray, step: int) -> list:
    """Runs of consecutive steps as (first, last) pairs."""
    if not len(times):
        return []
    breaks = np.flatnonzero(np.diff(times) != step)
    starts = np.r_[0, breaks + 1]
    stops = np.r_[breaks, len(times) - 1]
    return [(int(times[a]), int(times[b])) for a, b in zip(starts, stops)]


class ForcingCatalog:
    """All fields of a set of ERA5 / ERA5-Land files, by variable, on one grid and one regular time axis.

    ``variables``: the variables present; ``times`` (epoch seconds), ``step`` (s), ``grid``, ``units``
    (per variable) and ``source`` (the files, for messages); ``read(variable, first, stop, window)``
    stitches the steps from whichever files hold them.
    """

    def __init__(self, paths: Iterable, required: Iterable[str] = REQUIRED_VARIABLES):
        given = [str(p) for p in paths if str(p)]
        if not given:
            raise InputError("FORCING: no ERA5 file given.")
        self.paths = expand_forcing_paths(given)
        self.source = ", ".join(self.paths)
        series = [s for path in self.paths for s in field_series_of(path)]
        try:
            self._build(series, tuple(required))
        except BaseException:
            _close_all(series)          # no GDAL handle may outlive a refused FORCING in the traceback
            raise

    def _build(self, series: list, required: tuple) -> None:
        by_variable = {}
        for s in series:
            by_variable.setdefault(s.variable, []).append(s)
        missing = [v for v in required if v not in by_variable]
        if missing:
            raise InputError(f"FORCING ({self.source}): missing ERA5 variable(s) {missing}; the flux scheme needs "
                             f"{list(required)} (skin temperature, soil temperature and soil water of layers "
                             f"1 and 2). Found {sorted(by_variable)}.")
        if not series:
            raise InputError(f"FORCING ({self.source}): no ERA5 variable found.")
        self._check_grids(series, required)
        self.grid = next(s for s in series if s.variable in required or not required).grid
        self._variables = {name: _Variable(name, pieces) for name, pieces in by_variable.items()}
        self.variables = sorted(self._variables)
        self.units = {name: v.units for name, v in self._variables.items()}
        timed = [name for name in self._variables if name not in INVARIANT_VARIABLES]
        self.times = self._common_axis(timed, required)
        self.step = self._check_regular(timed[0] if not required else required[0])

    def close(self) -> None:
        """Let go of every file's GDAL handle (reads reopen them): call when a run ends or fails."""
        _close_all(piece for variable in self._variables.values() for piece in variable.pieces)

    @staticmethod
    def _check_grids(series, required):
        reference = next((s for s in series if s.variable in required), series[0])
        for s in series:
            if not s.grid.same_as(reference.grid, tolerance=GRID_TOLERANCE):
                what = "" if s.variable == reference.variable else f" ({reference.variable} and {s.variable})"
                raise InputError(f"The grids of {reference.source} and {s.source}{what} do not align: all FORCING "
                                 f"files must share one latitude/longitude grid (first {_describe(reference.grid)}, "
                                 f"then {_describe(s.grid)}).")

    def _common_axis(self, timed, required):
        """The one time axis every variable covers; a variable lacking part of it is named with the period."""
        union = np.unique(np.concatenate([self._variables[v].times for v in timed]))
        for name in sorted(timed, key=lambda v: (v not in required, v)):
            have = self._variables[name].times
            lacking = union[~np.isin(union, have)]
            if lacking.size:
                step = int(np.min(np.diff(union))) if union.size > 1 else 0
                periods = _periods(lacking, step)
                shown = "; ".join(f"{iso(a)} to {iso(b)}" if a != b else iso(a) for a, b in periods[:3])
                more = f" and {len(periods) - 3} more period(s)" if len(periods) > 3 else ""
                other = next(v for v in timed if np.isin(lacking[0], self._variables[v].times))
                holder = self._variables[other]
                where = holder.source_at(int(np.searchsorted(holder.times, lacking[0])))
                raise InputError(f"{name} is missing from {shown}{more}, which {other} covers ({where}); "
                                 f"{name} is in {', '.join(sorted({p.source for p in self._variables[name].pieces}))}. "
                                 f"Add the file(s) with {name} for that period, or leave that period out.")
        return union

    def _check_regular(self, name):
        """The regular step of the common axis (core.timeaxis.regular_step's rule), a gap named by its files."""
        variable = self._variables[name]
        times = self.times
        if len(times) >= 2:
            steps = np.diff(times)
            irregular = np.flatnonzero(steps != steps[0])
            if irregular.size:
                i = int(irregular[0])
                before, after = variable.source_at(i), variable.source_at(i + 1)
                files = before if before == after else f"{before} and {after}"
                raise InputError(f"{name} ({files}): the time axis has a gap or an irregular step after "
                                 f"{iso(times[i])} (next step at {iso(times[i + 1])}, expected "
                                 f"{iso(times[i] + steps[0])}; step {int(steps[0])} s). Add the missing "
                                 f"file(s) or give a regular series.")
        return regular_step(times, f"FORCING ({self.source})")

    def sources(self, variable: str, first: int, stop: int) -> list[str]:
        """The files that hold steps [first, stop) of ``variable``, for messages."""
        return self._variables[variable].sources(first, stop)

    def attributes(self, variable: str) -> list[dict]:
        """What each file of ``variable`` says about its dataset (FieldSeries.attributes), for the
        de-accumulation rule."""
        return [dict(piece.attributes) for piece in self._variables[variable].pieces]

    def read_packed(self, variable: str, first: int, stop: int, window: Window, kept, role: str):
        """Steps [first, stop) of ``variable`` as stored (``era5_netcdf.Packed``: integers and packing, in ``kept``'s
        array of ``role``) when one file holds them all in the common layout of packed integers; else None."""
        return self._variables[variable].read_packed(first, stop, window, kept, role)

    def read(self, variable: str, first: int, stop: int, window: Window, out: Optional[np.ndarray] = None,
             shift: float = 0.0, ranges: Optional[ValueRange] = None) -> np.ndarray:
        """Steps [first, stop) of ``variable`` in ``window``: float64 (steps, rows, cols), north-up, NaN
        where missing, in ``units[variable]`` plus ``shift``; written into ``out`` (an array of that shape) when
        given; the lowest and highest values gathered in ``ranges`` when given."""
        if variable not in self._variables:
            raise InputError(f"FORCING ({self.source}): no variable {variable} (found {self.variables}).")
        return self._variables[variable].read(first, stop, window, out, shift, ranges)


def _describe(grid) -> str:
    t = grid.transform
    return f"{grid.width} x {grid.height} cells of {t.a:g} x {-t.e:g} deg from {t.c:g} E, {t.f:g} N"


def _close_all(series: Iterable[FieldSeries]) -> None:
    for piece in series:
        close = getattr(piece.read, "close", None)
        if close is not None:
            close()
