"""Per-pixel trends over annual stacks: OLS with a t-test, Theil–Sen, Mann–Kendall (docs/SCIENCE.md §6).

Every public function takes a block of shape (years, pixels) or (years, rows, cols) in which NaN
marks a gap, and returns per-pixel arrays of the block's spatial shape. Each pixel uses only its
valid years, with the year values as x: a pixel with gaps gets what ``scipy.stats.linregress`` and
``scipy.stats.theilslopes`` give on its valid years, and what ``pymannkendall`` gives on its series
laid out one entry per year with NaN for the missing ones.

The autocorrelation corrections (Yue & Wang 2002 pre-whitening, Hamed & Rao 1998 variance
correction) follow pymannkendall exactly: they treat a pixel's valid values as one consecutive
series (lag 1 is the next valid year; Hamed–Rao detrends by the Sen slope times the position 1..n
in that series), and Hamed–Rao keeps only the lag-k rank autocorrelations that fall outside the
band ±z(1 - alpha/2)/sqrt(n), over all lags 1..n-1.

Work is vectorised over pixels in chunks, and the pairwise temporaries (n(n-1)/2 per pixel) are
built for as many pixels at a time as fit in ``WORK_BYTES``, however large the block is.
Comparisons run in the block's own dtype (a float32 raster is compared as float32, which orders
values exactly as float64 would); sums and slopes are float64.
"""
from collections import namedtuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

from .errors import InputError
from .units import BYTES_PER_MB

BAND_NAMES = ("ols_slope", "ols_p", "sen_slope", "mk_p", "kendall_tau", "significance", "n_valid")
CORRECTIONS = ("none", "prewhitening", "hamed_rao")
SIGNIFICANCE_SOURCES = ("mann_kendall", "ols")
MIN_YEARS = 3                    # the t-test needs a degree of freedom, pre-whitened MK two values
WORK_BYTES = 16 * BYTES_PER_MB         # bound on the pairwise temporaries (n(n-1)/2 per pixel) at a time
CHUNK_PIXELS = 32768             # pixels computed together: fewer numpy calls vs. cache-sized arrays
SEN_BYTES_PER_PAIR = 29          # slopes, their transposed copy, NaN mask, gap ranks and fill
TINY = 1.0e-20                   # as in scipy.stats.linregress: keeps t finite at |r| = 1

MannKendall = namedtuple("MannKendall", "s var_s z p tau")


def check_trend_options(bands: tuple = BAND_NAMES, correction: str = "none",
                        significance_from: str = "mann_kendall", min_valid_years: int = MIN_YEARS) -> None:
    """The one check of the trend options, for the block functions and the raster runner alike.

    Raises InputError (a ValueError) naming the option and the values it may take.
    """
    unknown = sorted(set(bands) - set(BAND_NAMES))
    if unknown:
        raise InputError(f"Trend bands {sorted(bands)} requested, with the unknown trend band(s) {unknown}; "
                         f"choose some of {list(BAND_NAMES)}.")
    if not bands:
        raise InputError(f"No trend band requested; choose some of {list(BAND_NAMES)}.")
    if correction not in CORRECTIONS:
        raise InputError(f"Correction {correction!r} is not one of {list(CORRECTIONS)} (the Mann-Kendall "
                         f"correction for serial correlation).")
    if significance_from not in SIGNIFICANCE_SOURCES:
        raise InputError(f"Significance source (significance_from) {significance_from!r} is not one of "
                         f"{list(SIGNIFICANCE_SOURCES)}.")
    if min_valid_years < MIN_YEARS:
        raise InputError(f"The minimum number of valid years (min_valid_years) must be at least {MIN_YEARS}, "
                         f"not {min_valid_years}.")


def trend_statistics(values: ArrayLike, years: ArrayLike, bands: tuple = BAND_NAMES, correction: str = "none",
                     min_valid_years: int = MIN_YEARS, alpha: float = 0.05,
                     significance_from: str = "mann_kendall") -> dict:
    """The requested ``bands`` (names from BAND_NAMES) as float64 arrays of the block's spatial shape.

    Pixels with fewer than ``min_valid_years`` valid years are NaN in every band. ``correction``
    (one of CORRECTIONS) changes mk_p, kendall_tau and the MK-based significance code; ``alpha`` is
    the level at which Hamed–Rao judges an autocorrelation significant. The significance code is
    ±3, ±2, ±1 for p < 0.01, 0.05, 0.10 and 0 otherwise (Trends.Earth), with p and the sign taken
    from Mann–Kendall (p and S) or, with ``significance_from="ols"``, from OLS (p and slope).
    """
    check_trend_options(bands, correction, significance_from, min_valid_years)
    flat, shape = _as_pixels(values)
    years = np.asarray(years, dtype=np.float64)
    if years.shape != flat.shape[:1]:
        raise ValueError(f"{years.size} years for a block of {flat.shape[0]} layers")
    n_valid = _valid_counts(np.isnan(flat))
    kept = np.flatnonzero(n_valid >= min_valid_years)
    everything = kept.size == n_valid.size
    if not everything:
        flat = flat[:, kept]
    out = {name: np.full(n_valid.shape, np.nan) for name in bands}
    for start in range(0, flat.shape[1], CHUNK_PIXELS):
        stats = _chunk_statistics(flat[:, start:start + CHUNK_PIXELS], years, bands, correction, alpha,
                                  significance_from)
        target = slice(start, start + CHUNK_PIXELS) if everything else kept[start:start + CHUNK_PIXELS]
        for name in bands:
            out[name][target] = stats[name]
    return {name: out[name].reshape(shape) for name in bands}


def ols_trend(values: ArrayLike, years: ArrayLike) -> tuple:
    """OLS slope (per year) and its two-sided t-test p per pixel; p is NaN below 3 valid years.

    Follows scipy.stats.linregress: r from the centred sums (0 when either sum of squares is 0),
    then t = r sqrt(df / ((1 - r)(1 + r))) on n - 2 degrees of freedom.
    """
    flat, shape = _as_pixels(values)
    gaps = np.isnan(flat)
    slope, p = _ols(flat, gaps, _valid_counts(gaps), years)
    return slope.reshape(shape), p.reshape(shape)


def theil_sen_slope(values: ArrayLike, years: ArrayLike) -> np.ndarray:
    """Median of the pairwise slopes (y_j - y_i) / (x_j - x_i) over each pixel's valid years.

    Gaps need no per-pixel median: a pixel with m valid pairs out of M gets its M - m invalid
    slopes replaced by -inf and +inf in the numbers that put its own lower median at position
    (M - 1) // 2 for every pixel, so one partition serves all; the upper median (m even) is then
    the smallest slope above that position.
    """
    flat, shape = _as_pixels(values)
    years = np.asarray(years, dtype=np.float64)
    n = flat.shape[0]
    pair_count = n * (n - 1) // 2
    median = np.full(flat.shape[1], np.nan)
    if pair_count == 0:
        return median.reshape(shape)
    low = (pair_count - 1) // 2
    for part in _pixel_slices(flat.shape[1], pair_count * SEN_BYTES_PER_PAIR):
        block = flat[:, part].astype(np.float64)
        n_valid = _valid_counts(np.isnan(block))
        valid_pairs = n_valid * (n_valid - 1) // 2
        pairwise = np.empty((pair_count, block.shape[1]))
        start = 0
        for lag in range(1, n):
            stop = start + n - lag
            np.divide(block[lag:] - block[:-lag], (years[lag:] - years[:-lag])[:, None],
                      out=pairwise[start:stop])
            start = stop
        slopes = np.ascontiguousarray(pairwise.T)     # one pixel's slopes contiguous for the partition
        del pairwise
        gappy = np.flatnonzero(n_valid < n)
        if gappy.size:
            filled = slopes[gappy]
            invalid = np.isnan(filled)
            below = low - (valid_pairs[gappy] - 1) // 2           # invalid slopes that become -inf
            ranks = np.cumsum(invalid, axis=1, dtype=np.int32)
            np.copyto(filled, np.where(ranks <= below[:, None], -np.inf, np.inf), where=invalid)
            slopes[gappy] = filled
        slopes.partition(low, axis=1)
        result = slopes[:, low].copy()
        even = np.flatnonzero(valid_pairs % 2 == 0)
        if even.size and pair_count > 1:
            result[even] = (result[even] + slopes[even, low + 1:].min(axis=1)) * 0.5
        result[valid_pairs == 0] = np.nan
        median[part] = result
    return median.reshape(shape)


def mann_kendall(values: ArrayLike, years: ArrayLike = None, correction: str = "none", alpha: float = 0.05,
                 sen_slope: ArrayLike = None) -> MannKendall:
    """Mann–Kendall S, its tie-corrected variance, Z (continuity-corrected), two-sided p and tau.

    tau = S / (n(n-1)/2) as in pymannkendall. With "prewhitening" the test runs on the n - 1
    pre-whitened values; with "hamed_rao" the variance is scaled by the Hamed–Rao factor, which
    needs the Sen slope per year (given, or computed from ``years``).
    """
    check_trend_options(correction=correction)
    flat, shape = _as_pixels(values)
    if correction == "hamed_rao" and sen_slope is None:
        sen_slope = theil_sen_slope(flat, years)
    test = _mann_kendall(flat, _valid_counts(np.isnan(flat)), correction, alpha,
                         None if sen_slope is None else np.reshape(sen_slope, -1))
    return MannKendall(*(a.reshape(shape) for a in test))


def significance_code(p: ArrayLike, direction: ArrayLike) -> np.ndarray:
    """±3, ±2, ±1 for p < 0.01, 0.05, 0.10 with the sign of ``direction``, 0 otherwise, NaN if p is."""
    p = np.asarray(p, dtype=np.float64)
    level = (p < 0.10).astype(np.float64) + (p < 0.05) + (p < 0.01)
    return np.where(np.isnan(p), np.nan, level * np.sign(direction))


def student_t_two_sided_p(t: ArrayLike, df: ArrayLike) -> np.ndarray:
    """P(|T| >= |t|) for Student's t with integer ``df`` >= 1, NaN where df < 1.

    Abramowitz & Stegun 26.7.3-4: with c = cos^2(atan(t / sqrt(df))) = df / (df + t^2), a finite
    series in c. It equals scipy.special.stdtr to about 1e-15 and is several times faster, which
    matters at millions of pixels a window. The most common df (all pixels without gaps) is
    evaluated over the whole array, the others on their few pixels.
    """
    t = np.minimum(np.abs(np.asarray(t, dtype=np.float64)), 1e100)   # p is 0 there; inf would give inf/inf
    df = np.broadcast_to(np.asarray(df), t.shape).ravel()
    t = t.ravel()
    counts = np.bincount(np.maximum(df, 0))
    counts[0] = 0
    if not counts.any():
        return np.full(t.shape, np.nan)
    common = int(counts.argmax())
    p = _student_t_p(t, common)
    others = np.flatnonzero(df != common)
    for nu in np.unique(df[others]):
        group = others[df[others] == nu]
        p[group] = _student_t_p(t[group], int(nu)) if nu >= 1 else np.nan
    return p.reshape(np.shape(t))


def _student_t_p(t, nu):
    c = nu / (nu + t * t)
    odd = nu % 2 == 1
    ratio = (lambda i: 2.0 * i / (2.0 * i + 1.0)) if odd else (lambda i: (2.0 * i - 1.0) / (2.0 * i))
    coefficients = np.cumprod([1.0] + [ratio(i) for i in range(1, nu // 2)])
    series = np.full(t.shape, coefficients[-1])
    for coefficient in coefficients[-2::-1]:          # Horner
        series *= c
        series += coefficient
    if odd:
        inside = np.arctan(t / np.sqrt(nu))
        if nu > 1:
            inside += t * np.sqrt(nu) / (nu + t * t) * series     # sin cos times the series
        inside *= 2.0 / np.pi
    else:
        inside = t / np.sqrt(nu + t * t) * series                 # sin times the series
    return np.clip(1.0 - inside, 0.0, 1.0)


def _chunk_statistics(block, years, bands, correction, alpha, significance_from):
    """trend_statistics for one chunk of pixels, computing only what the bands need."""
    wanted = set(bands)
    if "significance" in wanted:
        wanted |= {"ols_slope", "ols_p"} if significance_from == "ols" else {"mk_p"}
    needs_mk = bool(wanted & {"mk_p", "kendall_tau"})
    gaps = np.isnan(block)
    n_valid = _valid_counts(gaps)
    stats = {"n_valid": n_valid}
    if wanted & {"ols_slope", "ols_p"}:
        stats["ols_slope"], stats["ols_p"] = _ols(block, gaps, n_valid, years)
    if "sen_slope" in wanted or (needs_mk and correction == "hamed_rao"):
        stats["sen_slope"] = theil_sen_slope(block, years)
    if needs_mk:
        test = _mann_kendall(block, n_valid, correction, alpha, stats.get("sen_slope"))
        stats["mk_p"], stats["kendall_tau"] = test.p, test.tau
    if "significance" in wanted:
        if significance_from == "ols":
            stats["significance"] = significance_code(stats["ols_p"], stats["ols_slope"])
        else:
            stats["significance"] = significance_code(test.p, test.s)
    return stats


def _ols(block, gaps, n, years):
    """OLS slope and t-test p from a (years, pixels) block, its NaN mask and valid counts.

    The years are centred once, so their one-pass sums do not cancel; the values are centred per
    pixel in place (two passes), and sum (x - x_mean) dy is taken as sum x dy since dy sums to 0.
    Only the pixels with gaps need their own year mean and spread.
    """
    x = np.asarray(years, dtype=np.float64)
    x = x - x.mean()
    dy = block.astype(np.float64)                 # a copy, centred in place below
    partial = np.flatnonzero(n < block.shape[0])
    sxx = np.full(n.shape, np.dot(x, x))
    with np.errstate(invalid="ignore", divide="ignore"):
        if partial.size:
            np.putmask(dy, gaps, 0.0)
        dy -= dy.sum(axis=0) / n
        if partial.size:
            np.putmask(dy, gaps, 0.0)
            weights = (~gaps[:, partial]).astype(np.float64)
            x_mean = np.einsum("i,ij->j", x, weights) / n[partial]
            sxx[partial] = np.einsum("i,ij->j", x * x, weights) - n[partial] * x_mean * x_mean
        sxy = np.einsum("i,ij->j", x, dy)
        syy = np.einsum("ij,ij->j", dy, dy)
        slope = sxy / sxx
        r = np.where((sxx == 0) | (syy == 0), 0.0, np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0))
        df = n - 2
        t = r * np.sqrt(df / ((1.0 - r + TINY) * (1.0 + r + TINY)))
    return slope, student_t_two_sided_p(t, df)


def _mann_kendall(block, n_valid, correction, alpha, sen_slope):
    """mann_kendall on a (years, pixels) block whose valid counts are known."""
    series, length = block, n_valid
    if correction == "prewhitening":
        series = _prewhitened(block.astype(np.float64, copy=False), n_valid)
        length = np.maximum(n_valid - 1, 0)
    length = length.astype(np.float64)
    s, var_s = _score_and_variance(series, length)
    if correction == "hamed_rao":
        var_s = var_s * _hamed_rao_factor(block.astype(np.float64, copy=False), n_valid, sen_slope, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        # continuity correction towards 0; S = 0 gives Z = 0 even when var(S) is 0 (all values tied)
        z = np.divide(s - np.sign(s), np.sqrt(var_s), out=np.zeros_like(s), where=s != 0)
        tau = s / (0.5 * length * (length - 1.0))
    p = ndtr(-np.abs(z))
    p *= 2.0
    return MannKendall(s, var_s, z, p, tau)


def _score_and_variance(series, length):
    """S and its tie-corrected variance (n(n-1)(2n+5) - sum t(t-1)(2t+5)) / 18 per pixel.

    Ties are looked for only in the pixels whose valid pairs are not all strictly ordered, which
    for continuous data is almost none.
    """
    up, down = _pair_counts(series, np.greater), _pair_counts(series, np.less)
    s = (up - down).astype(np.float64)
    tie_term = np.zeros(s.shape)
    tied = np.flatnonzero(up + down < length * (length - 1.0) / 2.0)
    if tied.size:
        _, equal = _value_counts(series[:, tied])
        tie_term[tied] = (equal * (2.0 * equal + 7.0)).sum(axis=0)   # each of a group of t counts t - 1
    return s, (length * (length - 1.0) * (2.0 * length + 5.0) - tie_term) / 18.0


def _pair_counts(series, compare):
    """Per pixel, how many pairs (earlier, later) satisfy compare(later, earlier); NaN never does.

    The n(n-1)/2 comparisons of a slice of pixels go into one byte buffer, which is then summed
    eight pixels at a time by reading it as 64-bit words: each byte lane adds up one pixel's 0/1s
    and cannot carry into the next while at most 255 rows are summed.
    """
    n, pixels = series.shape
    pair_count = n * (n - 1) // 2
    total = np.zeros(pixels, dtype=np.int64)
    for part in _pixel_slices(pixels, max(pair_count, 1), multiple=8):
        width = part.stop - part.start
        outcome = np.zeros((pair_count, -(-width // 8) * 8), dtype=bool)
        start = 0
        for lag in range(1, n):
            stop = start + n - lag
            compare(series[lag:, part], series[:-lag, part], out=outcome[start:stop, :width])
            start = stop
        words = outcome.view(np.uint64)
        for first in range(0, pair_count, 255):
            total[part] += words[first:first + 255].sum(axis=0, dtype=np.uint64).view(np.uint8)[:width]
    return total


def _value_counts(series):
    """Per entry, how many other valid entries of its pixel are smaller, and how many are equal."""
    below = np.zeros(series.shape, dtype=np.int32)
    equal = np.zeros(series.shape, dtype=np.int32)
    for lag in range(1, series.shape[0]):
        later, earlier = series[lag:], series[:-lag]
        below[lag:] += later > earlier
        below[:-lag] += later < earlier
        same = later == earlier
        equal[lag:] += same
        equal[:-lag] += same
    return below, equal


def _compressed(series):
    """Each pixel's valid values moved to the front in time order, NaN after them."""
    order = np.argsort(np.isnan(series), axis=0, kind="stable")
    return np.take_along_axis(series, order, axis=0)


def _autocovariances(centred, n, lags):
    """sum_t c[t] c[t+k] / n for k in 0..lags-1, as pymannkendall's np.correlate-based ACF."""
    return np.stack([np.einsum("ij,ij->j", centred[:centred.shape[0] - k], centred[k:]) / n
                     for k in range(lags)])


def _prewhitened(series, n):
    """x[t+1] - r1 x[t] over each pixel's consecutive valid values (Yue & Wang 2002), NaN-padded."""
    values = _compressed(series)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = values - np.nansum(values, axis=0) / n
        centred[np.isnan(values)] = 0.0
        acov = _autocovariances(centred, n, 2)
        lag1 = acov[1] / acov[0]
    return values[1:] - values[:-1] * lag1


def _hamed_rao_factor(series, n, sen_slope, alpha):
    """n/n* = 1 + 2/(n(n-1)(n-2)) sum over significant lags k of (n-k)(n-k-1)(n-k-2) rho_k(ranks)."""
    values = _compressed(series)
    position = np.arange(1.0, values.shape[0] + 1.0)[:, None]
    detrended = values - position * sen_slope
    below, equal = _value_counts(detrended)
    centred = 1.0 + below + 0.5 * equal - (n + 1) / 2.0      # rank minus the mean rank
    centred[np.isnan(detrended)] = 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        acov = _autocovariances(centred, n, values.shape[0])
        acf = acov[1:] / acov[0]
        bound = ndtri(1.0 - alpha / 2.0) / np.sqrt(n)
        lag = np.arange(1.0, values.shape[0])[:, None]
        kept = ~((acf <= bound) & (acf >= -bound)) & (lag < n)
        weights = (n - lag) * (n - lag - 1) * (n - lag - 2)
        total = np.where(kept, weights * acf, 0.0).sum(axis=0)
        return 1.0 + (2.0 / (n * (n - 1.0) * (n - 2.0))) * total


def _valid_counts(gaps):
    return gaps.shape[0] - gaps.view(np.uint8).sum(axis=0, dtype=np.int64)


def _as_pixels(values):
    """A (years, pixels) view of a (years, ...) block and the spatial shape to give results back."""
    values = np.asarray(values)
    if values.ndim < 1:
        raise ValueError("a trend block needs a leading year axis")
    return values.reshape(values.shape[0], -1), values.shape[1:]


def _pixel_slices(pixels, bytes_per_pixel, multiple=1):
    """Slices of at most WORK_BYTES // bytes_per_pixel pixels (a multiple of ``multiple``) covering all."""
    step = max(multiple, WORK_BYTES // bytes_per_pixel // multiple * multiple)
    return [slice(start, min(start + step, pixels)) for start in range(0, pixels, step)]
