"""Run the per-pixel trend tests over a multiband raster (one band a year), window by window.

Years come from the band descriptions ("2017") or from ``first_year`` (band k is first_year + k - 1;
it wins over the descriptions). Years need not be consecutive: x is the real year, so a missing
year is simply absent, exactly like a gap in a pixel. Bands out of year order are sorted.
"""
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import rasterio
from rasterio.io import DatasetReader
from rasterio.windows import Window

from .cluster import TASKS_PER_WORKER, local_path, open_cluster
from .errors import InputError, check_cancel
from .fluxscheme_run import ANNUAL_UNITS
from .grid import Grid, plan_windows
from .raster_io import AtomicGeoTiff
from .text_output import PathLike
from .units import BYTES_PER_MB
from .trend import BAND_NAMES, check_trend_options, trend_statistics

DEFAULT_MIN_VALID_YEARS = 10
YEAR = re.compile(r"^\s*(-?\d{1,4})\s*$")
BAND_DESCRIPTIONS = {
    "ols_slope": "ordinary least squares slope",
    "ols_p": "two-sided t-test p of the OLS slope",
    "sen_slope": "Theil-Sen slope (median of pairwise slopes)",
    "mk_p": "two-sided Mann-Kendall p (tie-corrected variance, continuity correction)",
    "kendall_tau": "Kendall's tau = S / (n(n-1)/2)",
    "significance": "-3/-2/-1 decrease at p < 0.01/0.05/0.10, +1/+2/+3 increase, 0 none",
    "n_valid": "number of years with a value",
}


@dataclass
class TrendRunResult:
    output: str
    years: list
    bands: list
    slope_units: str
    pixels: int                       # cells in the raster
    pixels_with_trend: int            # cells with at least min_valid_years values
    significance_counts: dict         # code -> cells, when the significance band is written
    warnings: list = field(default_factory=list)


def run_trend(input_path: PathLike, output_path: PathLike, first_year: Optional[int] = None,
              min_valid_years: int = DEFAULT_MIN_VALID_YEARS, correction: str = "none", bands: tuple = BAND_NAMES,
              significance_from: str = "mann_kendall", alpha: float = 0.05, budget_bytes: int = 256 * BYTES_PER_MB,
              progress: Optional[Callable[[float], None]] = None,
              is_cancelled: Optional[Callable[[], bool]] = None, cluster: Optional[str] = None) -> TrendRunResult:
    """Write the trend bands of ``input_path`` (one band a year) to the GeoTIFF ``output_path``.

    Input nodata and non-finite values are gaps; cells with fewer than ``min_valid_years`` values
    are nodata in every band. ``bands`` picks a subset of BAND_NAMES (in that order in the file);
    ``correction`` is one of CORRECTIONS. ``progress`` is called with a fraction in [0, 1];
    ``is_cancelled`` returning True stops the run and leaves no output. ``cluster`` (core.cluster: "",
    "local:N" or a Dask scheduler's address) computes the windows as Dask tasks; the output is the same.
    """
    check_trend_options(bands, correction, significance_from, min_valid_years)
    bands = [name for name in BAND_NAMES if name in bands]
    warnings_out = []
    try:
        source = rasterio.open(input_path)
    except rasterio.errors.RasterioIOError as error:
        raise InputError(f"{input_path}: cannot be opened as a raster ({error}).") from None
    with source:
        years = _years(source, input_path, first_year)
        if source.count < min_valid_years:
            raise InputError(f"{input_path} has {source.count} band(s), fewer than the minimum of "
                             f"{min_valid_years} valid years: no pixel could get a trend.")
        order = np.argsort(years, kind="stable")
        if np.any(order != np.arange(len(years))):
            warnings_out.append(f"{input_path}: the bands are not in year order; they are sorted by year.")
        years = years[order]
        slope_units = _slope_units(source)
        grid = Grid(source.crs, source.transform, source.width, source.height)
        windows = trend_windows(source, len(bands), budget_bytes)
        band_tags = [_band_tags(name, slope_units, correction, significance_from) for name in bands]
        dataset_tags = {"source": str(input_path), "years": ",".join(str(int(y)) for y in years),
                        "min_valid_years": str(min_valid_years), "correction": correction,
                        "significance_from": significance_from, "alpha": str(alpha)}
        totals = _TrendTotals(bands)
        payload = TrendPayload(local_path(input_path), order, years, tuple(bands), correction, min_valid_years, alpha,
                               significance_from)
        # float32 output: deflating float64 noise-like statistics costs several times more
        with AtomicGeoTiff(output_path, grid, bands, band_tags, dataset_tags, dtype="float32") as output, \
                open_cluster(cluster) as session:
            if session.workers > 1:         # enough windows to keep every worker busy
                per_task = len(windows) * budget_bytes // (TASKS_PER_WORKER * session.workers)
                windows = trend_windows(source, len(bands), max(1, min(budget_bytes, per_task)))

            def write(index, block):
                output.write(block, windows[index])
                totals.add(block)

            if session.choice.in_process:
                _run_here(source, windows, payload, write, progress, is_cancelled)
            else:
                session.run(trend_window_task, windows, len(windows), payload, write, progress, is_cancelled)
            check_cancel(is_cancelled)
    pixels_with_trend, codes = totals.pixels_with_trend, totals.codes
    if pixels_with_trend == 0:
        warnings_out.append(f"No cell of {input_path} has {min_valid_years} valid years: every output "
                            f"cell is nodata.")
    return TrendRunResult(output=str(output_path), years=[int(y) for y in years], bands=bands,
                          slope_units=slope_units, pixels=grid.width * grid.height,
                          pixels_with_trend=pixels_with_trend,
                          significance_counts=({index - 3: int(count) for index, count in enumerate(codes)}
                                               if "significance" in bands else {}),
                          warnings=warnings_out)


@dataclass(frozen=True)
class TrendPayload:
    """What every window task of a run shares (picklable: a cluster gets it once)."""
    input_path: str
    order: np.ndarray                 # band indices in year order
    years: np.ndarray
    bands: tuple
    correction: str
    min_valid_years: int
    alpha: float
    significance_from: str


def trend_block(values: np.ndarray, payload: TrendPayload) -> np.ndarray:
    """The trend bands (float32, bands x rows x cols) of a window's values (years x rows x cols, NaN = gap)."""
    stats = trend_statistics(values, payload.years, list(payload.bands), payload.correction, payload.min_valid_years,
                             payload.alpha, payload.significance_from)
    return np.stack([stats[name] for name in payload.bands]).astype(np.float32)


def trend_window_task(window: Window, payload: TrendPayload, progress: Optional[Callable[[float], None]] = None,
                      is_cancelled: Optional[Callable[[], bool]] = None) -> np.ndarray:
    """One window's trend bands, reading the window itself: a task of ``core.cluster`` on a Dask worker."""
    check_cancel(is_cancelled)
    with rasterio.open(payload.input_path) as source:
        values = _read_years(source, window, payload.order)
    return trend_block(values, payload)


def _run_here(source, windows, payload, write, progress, is_cancelled):
    """The windows in this process, the next one read while this one is computed (GDAL releases the GIL)."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        pending = reader.submit(_read_years, source, windows[0], payload.order)
        for done in range(1, len(windows) + 1):
            check_cancel(is_cancelled)
            values = pending.result()
            if done < len(windows):
                pending = reader.submit(_read_years, source, windows[done], payload.order)
            write(done - 1, trend_block(values, payload))
            if progress:
                progress(done / len(windows))


class _TrendTotals:
    """Cells with a trend, and cells per significance code -3..3, over the windows written."""

    def __init__(self, bands):
        self.significance = bands.index("significance") if "significance" in bands else None
        self.pixels_with_trend = 0
        self.codes = np.zeros(7, dtype=np.int64)

    def add(self, block):
        self.pixels_with_trend += int(np.count_nonzero(~np.isnan(block).all(axis=0)))
        if self.significance is not None:
            code = block[self.significance]
            self.codes += np.bincount((code[~np.isnan(code)] + 3).astype(np.intp), minlength=7)


def trend_windows(source: DatasetReader, band_count: int, budget_bytes: int) -> list:
    """The windows run_trend reads: plan_windows strips, a whole number of the input's block rows
    tall when they fit (a strip that cuts through tiles decodes them twice)."""
    grid = Grid(source.crs, source.transform, source.width, source.height)
    itemsize = np.dtype(source.dtypes[0]).itemsize
    # two windows as read (one is read ahead), up to two float copies (conversion, dropping cells
    # without a trend), and per band the results, their stack and the write conversion
    bytes_per_pixel = source.count * (2 * itemsize + 16) + 28 * band_count
    block_height = source.block_shapes[0][0]
    rows = int(budget_bytes // bytes_per_pixel) // grid.width
    if rows >= block_height:
        rows = rows // block_height * block_height
    elif rows > 0:
        rows = block_height // -(-block_height // rows)          # an equal share of a block row
    if rows > 0:
        budget_bytes = rows * grid.width * bytes_per_pixel
    return plan_windows(grid, bytes_per_pixel, budget_bytes)


def _years(source, path, first_year):
    """One year per band, from ``first_year`` or else from the band descriptions."""
    if first_year is not None:
        return np.arange(source.count, dtype=np.float64) + int(first_year)
    years = []
    for band, description in enumerate(source.descriptions, start=1):
        match = YEAR.match(description or "")
        if not match:
            raise InputError(f"{path}, band {band}: the description {description!r} is not a year "
                             f"(such as '2017'); give the first year (FIRST_YEAR) instead.")
        years.append(int(match.group(1)))
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        raise InputError(f"{path}: several bands are described as the same year {repeated}; "
                         f"each band must be one year.")
    return np.asarray(years, dtype=np.float64)


def _slope_units(source):
    units = source.tags(1).get("units") or (source.units[0] if source.units else None)
    if units == ANNUAL_UNITS:
        return "g CO2 m-2 a-2"
    return f"({units}) per year" if units else "input units per year"


def _band_tags(name, slope_units, correction, significance_from):
    units = {"ols_slope": slope_units, "sen_slope": slope_units, "n_valid": "years",
             "significance": "code"}.get(name, "1")
    tags = {"units": units, "description": BAND_DESCRIPTIONS[name]}
    if name in ("mk_p", "kendall_tau") or (name == "significance" and significance_from == "mann_kendall"):
        tags["correction"] = correction
    if name == "significance":
        tags["test"] = ("Mann-Kendall p, sign of S" if significance_from == "mann_kendall"
                        else "OLS p, sign of slope")
    return tags


def _read_years(source, window, order):
    """The window's bands in year order, nodata and non-finite values as NaN (floats keep their width)."""
    values = source.read(window=window)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    if source.nodata is not None and not np.isnan(source.nodata):
        np.putmask(values, values == source.nodata, np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        values[infinite] = np.nan
    return values[order] if np.any(order != np.arange(len(order))) else values
