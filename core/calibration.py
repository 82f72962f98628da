"""Calibration of the flux scheme against a station series (docs/SCIENCE.md sections 2 and 4).

The stages, all on the steps where Fc and every driver are present:

1. Dry steps (theta10 <= theta_c): ordinary least squares of Fc on the terms linear in the fitted
   coefficients: k1 on dT - dT0, k2 on dTbar/dt, and R3 at the station as its site amplitudes,
   A on Q10c^((T10-20)/10) and B on -K0(T10)/K0(20). Skipped (and said) when fewer than
   ``MIN_FIT_STEPS`` steps are dry: the joint refit then fits these terms on every step.
2. Wet steps: bounded robust (soft-L1) nonlinear least squares of the residual on a2, p and Q10w.
3. Joint refit of every fitted coefficient, Q10c and theta_c included, bounded, with the same robust
   loss on the steps plus a quadratic penalty on each calendar year's mean residual.

Which coefficients are fitted (``FITTED``): k1, k2, a2, p, q10w, and R3 as A (``r3_a``), B
(``r3_b``) and q10c; theta_c is fitted within its bounds unless the site's value is given (a site
property: sand 0.05 [R], loams are never that dry): the main fit profiles it over quantiles of
theta10 and refines it in stage 3. theta_ref moves with theta_c (their difference is kept): only
a2*(theta_ref - theta_c)^-p enters R2, so theta_ref only fixes the wetness at which a2 is read.
delta_t0 is kept at the review's threshold [R] while A and B are fitted: the intercept -k1*dT0 and
the level of R3 are one constant, and only one of them can be fitted (``site_r3=False`` fits dT0 as
before, -b/k1, with R3 off). Kept as given: r2_max [R], aC, aP, aS and the reference soil (one
station cannot tell them apart: they come from several stations, ``calibration_sites``) and the
regime thresholds. A coefficient whose driver does not vary (``SPREAD_FLOOR``) is kept and a note
says why; with one soil depth dT = 0, so the dT terms are dropped (k1 = 0), not pinned at a bound.

Missing Fc: steps without Fc take part in nothing but the gap-filled ``modelled_total`` of the
annual table. Annual sums are compared (penalty, statistics, bootstrap) over the same observed
steps on both sides, never an observed sum with gaps against a complete modelled one.

Validation: leave-one-year-out when at least two calendar years each have ``MIN_FOLD_DAYS`` of
observed steps, otherwise leave-one-month-out (leave-one-day-out within a single month). On the same
held-out steps: the fitted scheme, the starting coefficients, a null model (the training mean) and
the soil-respiration model R10*Q10^((T10-10)/10)*theta10/(theta10 + K) (``core.benchmarks``); per
fold the error of the sums, and a warning when the scheme loses to the null or the Q10 model.
Uncertainty: circular moving-block bootstrap over whole days (blocks of a year when the record
spans three years or more, a week otherwise), each replicate refitted through stages 1-3 from the
main fit's theta_c; percentile intervals of every fitted coefficient and annual sum, and the
replicates' coefficients are kept (the ensemble of the parameter file). A coefficient whose
interval covers at least ``NOT_IDENTIFIED_SPAN`` of its bounds is "not identified".

Time step: half-hourly series are averaged to hourly steps first (``stations.resample``, an hour
needs both halves); hourly and daily series are fitted at their own step, and the result records
it. At a daily step dTbar/dt is the centred day-to-day difference in K h-1, as ``fluxscheme``
computes it on daily forcing.

The model is always evaluated with ``core.fluxscheme`` (tendency and components), so the numbers
here are those of ``fluxscheme``, the dock and a script alike.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
from scipy.optimize import least_squares

from . import benchmarks
from . import fluxscheme as fs
from .errors import InputError, check_cancel
from .parameters import ParameterSet, load_parameters
from .robust import MAD_TO_SD, fit_scores
from .stations import StationSeries, resample
from .timeaxis import day_index, iso, years_of

FITTED = ("k1", "delta_t0", "k2", "a2", "p", "q10w", "r3_a", "r3_b", "q10c", "theta_c")
WET_COEFFICIENTS = ("a2", "p", "q10w")
SITE_R3_COEFFICIENTS = ("r3_a", "r3_b", "q10c")
# terms of Rs linear in a coefficient: stage 1 fits them by least squares on the dry steps
LINEAR_COEFFICIENTS = ("k1", "k2", "r3_a", "r3_b")
ONE_STATION_R3 = "R3: one station cannot tell it apart from the site amplitudes A and B (docs/SCIENCE.md section 2)"
NOT_FITTED_BECAUSE = {
    "r2_max": "largest pulse stated in the review [R]",
    "theta_ref": "not identifiable apart from a2 (only a2*(theta_ref-theta_c)^-p enters R2)",
    "a_soc": ONE_STATION_R3, "a_ph": ONE_STATION_R3, "a_salt": ONE_STATION_R3,
    "soc_ref": "R3 reference state", "ph_ref": "R3 reference state", "salt_ref": "R3 reference state",
    "regime_delta_t": "regime diagnostic, not part of Rs", "regime_rn": "regime diagnostic, not part of Rs",
}
DELTA_T0_WITH_SITE_R3 = ("the review's uptake/release threshold [R]: with A and B fitted, the intercept "
                         "-k1*delta_t0 and the level of R3 are one constant, and only one of them can be fitted")
REQUIRED_COLUMNS = ("fc", "t0", "t10", "theta10")
# A driver whose standard deviation over the steps that identify the coefficient is below these is
# treated as constant [P]: 0.01 K is the last digit COSORE writes soil temperature with (and 0.01
# K h-1 its tendency over an hour); 0.001 m3 m-3 is a tenth of a volume percent.
SPREAD_FLOOR = {"k1": ("all", "delta_t", 0.01, "K"), "k2": ("all", "tendency", 0.01, "K h-1"),
                "p": ("wet", "theta10", 0.001, "m3 m-3"), "q10w": ("wet", "t10", 0.01, "K"),
                "q10c": ("all", "t10", 0.01, "K"), "r3_b": ("all", "t10", 0.01, "K")}
# theta_c candidates of the main fit's profile: these quantiles of theta10 and the starting value
THETA_C_QUANTILES = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# A fitted coefficient whose bootstrap interval covers at least this fraction of the range its bounds
# allow is "not identified" [P]: the data then pin it no better than the bounds do.
NOT_IDENTIFIED_SPAN = 0.5
MIN_DAYS = 2                    # the diel cycle at least twice, as the station reader asks
MIN_FIT_STEPS = 24              # a day of hourly steps: fewer cannot constrain a diel response
MIN_FOLD_DAYS = 30              # a year counts as a validation fold with at least a month of data
# Weight of the annual-sum penalty [P]: the penalty is lambda * sum over years of n_y * (mean
# residual of year y)^2, so lambda = 1 gives a year's mean residual the weight a least-squares
# fit of the steps already gives it; 10 makes the annual sums ten times as binding.
DEFAULT_ANNUAL_PENALTY_WEIGHT = 10.0
# 200 replicates leave 5 beyond each end of a 95 % percentile interval; Efron & Tibshirani (1993)
# advise about 1000 for percentile intervals: raise it for a final parameter file.
DEFAULT_BOOTSTRAP = 200
DEFAULT_SEED = 1                # any fixed seed: the same input gives the same intervals run to run
DEFAULT_INTERVAL = 0.95
BLOCK_DAYS_YEARS = 365          # bootstrap block when the record spans >= 3 years
# otherwise a week [P]: longer than the few-day weather spells and rain-pulse decays that make
# neighbouring residuals alike
BLOCK_DAYS_SHORT = 7
# Floor of the robust scale, far below any measured flux noise: only keeps a noise-free
# (synthetic) series from dividing by zero.
MIN_SCALE = 1e-9


@dataclass(frozen=True)
class CalibrationData:
    """The station series as the fit sees it: steps whose drivers are all present (Fc may be NaN)."""
    times: np.ndarray
    fc: np.ndarray
    t0: np.ndarray
    t10: np.ndarray
    theta10: np.ndarray
    tendency: np.ndarray            # dTbar/dt, K h-1, from the whole series before selection
    step: int
    source: str
    column_names: dict              # canonical -> source column(s), for messages

    ARRAYS = ("times", "fc", "t0", "t10", "theta10", "tendency")

    def take(self, rows: np.ndarray) -> CalibrationData:
        return replace(self, **{name: getattr(self, name)[rows] for name in self.ARRAYS})

    @property
    def delta_t(self) -> np.ndarray:
        return self.t0 - self.t10

    @property
    def years(self) -> np.ndarray:
        return years_of(self.times)

    @property
    def months(self) -> np.ndarray:
        """Calendar month as a number: year * 12 + month - 1."""
        return self.times.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) + 1970 * 12

    @property
    def days(self) -> np.ndarray:
        return day_index(self.times)


@dataclass
class AnnualSum:
    """One calendar year, g CO2 m-2; ``observed`` and ``modelled`` over the same observed steps."""
    year: int
    steps: int                      # steps with every driver present
    observed_steps: int             # of which Fc is present
    expected_steps: int             # steps of a complete year at this time step
    observed: float
    modelled: float
    modelled_interval: tuple
    initial: float                  # the starting coefficients, same steps
    modelled_total: float           # every step with drivers, gaps in Fc filled by the model
    modelled_total_interval: tuple


@dataclass(frozen=True)
class FitOptions:
    """What the fit may move besides k1, k2 and R2 (docs/SCIENCE.md section 4, item 6)."""
    site_r3: bool = True                # R3 as the station's A, B and Q10c; False: R3 off, delta_t0 fitted
    theta_c: float | None = None        # the site's theta_c, m3 m-3; None: fitted within its bounds


@dataclass
class CalibrationResult:
    parameters: object              # ParameterSet: fitted entries with provenance "C"
    initial: object                 # ParameterSet the fit started from (and is compared with)
    bounds: dict                    # name -> (lower, upper), from the initial parameter file
    fitted: tuple                   # coefficients fitted
    fixed: dict                     # coefficient -> why it kept its starting value (or was dropped)
    intervals: dict                 # fitted coefficient -> (low, high) bootstrap percentile interval
    interval_level: float
    statistics: dict                # 'fit' and 'initial' -> scores over every observed step
    validation: dict                # scheme, folds, pooled held-out scores of fit, initial, null, q10
    annual: list                    # AnnualSum per calendar year
    bootstrap: dict                 # replicates asked and used, block length, scheme, seed, members
    data: CalibrationData           # observed steps used by the fit
    modelled: np.ndarray            # Rs of the fit on ``data``
    modelled_initial: np.ndarray    # Rs of the starting coefficients on ``data``
    step: int
    station: dict                   # id, name, lat, lon, source_file
    period: tuple                   # first and last observed step, ISO 8601 (table clock)
    column_mapping: list            # where each canonical column came from (depths included)
    series_summary: str
    annual_penalty_weight: float
    robust_scale: float             # soft-L1 scale, umol m-2 s-1
    options: FitOptions = FitOptions()
    not_identified: tuple = ()      # fitted coefficients whose interval covers NOT_IDENTIFIED_SPAN of the bounds
    warnings: list = field(default_factory=list)


def load_initial(path: str | None = None) -> tuple:
    """Starting coefficients and the bounds of every entry from a parameter file (None = bundled)."""
    params = load_parameters(path)
    return params, params.bounds


def calibrate(series: StationSeries, initial: ParameterSet | None = None, bounds: dict | None = None, *,
              annual_penalty_weight: float = DEFAULT_ANNUAL_PENALTY_WEIGHT, n_bootstrap: int = DEFAULT_BOOTSTRAP,
              interval_level: float = DEFAULT_INTERVAL, seed: int = DEFAULT_SEED,
              options: FitOptions = FitOptions(),
              progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> CalibrationResult:
    """Fit the scheme to a ``StationSeries`` (docs/SCIENCE.md section 4); see the module text.

    ``initial`` (a ParameterSet) is the starting point and the reference the fit is compared with;
    ``bounds`` ({name: (lower, upper)}) bound the fit. Both default to the bundled parameter file.
    ``progress`` gets a fraction in [0, 1]; ``is_cancelled`` returning True raises RunCancelled.
    """
    if initial is None or bounds is None:
        default_params, default_bounds = load_initial()
        initial = initial or default_params
        bounds = bounds or default_bounds
    _check_settings(n_bootstrap, interval_level, annual_penalty_weight, options, bounds)
    warnings = []
    if series.step == 1800:
        series = resample(series, 3600)
        warnings.append("Half-hourly series averaged to hourly steps before fitting (an hour needs both "
                        "half-hours); the coefficients are for a 3600 s step.")
    if initial.time_step_seconds is not None and initial.time_step_seconds != series.step:
        warnings.append(f"The starting coefficients ({initial.source}) were fitted at a "
                        f"{initial.time_step_seconds:g} s step; here they are only the starting point and "
                        f"the reference of the comparison at {series.step} s.")
    data = calibration_data(series)
    observed = data.take(np.flatnonzero(np.isfinite(data.fc)))
    _check_enough_days(observed)

    check_cancel(is_cancelled)
    main = _fit_profiled(observed, initial, bounds, annual_penalty_weight, options)
    warnings += main.notes
    fitted = tuple(name for name in FITTED if name not in main.fixed)
    modelled = model_flux(observed, main.params)
    modelled_initial = model_flux(observed, initial)
    # folds and replicates start from the main fit's theta_c (profiling each would multiply the cost)
    start = _with(initial, {**initial.values, **_theta_c_values(initial, main.params.theta_c)})

    folds, scheme = _validation_folds(observed)
    rng = np.random.default_rng(seed)
    block_days = BLOCK_DAYS_YEARS if _span_years(observed) >= 3 else BLOCK_DAYS_SHORT
    total_work = len(folds) + n_bootstrap
    done = 0

    def advance():
        nonlocal done
        done += 1
        if progress:
            progress(done / total_work)

    fitting = _Fitting(start, initial, bounds, annual_penalty_weight, options, main.scale)
    validation = _validate(observed, fitting, folds, scheme, is_cancelled, advance, warnings)
    # replicates start from the main fit (a warm start: the same optimum in fewer iterations); the folds
    # start from the starting coefficients, so no held-out step shapes where their fit begins
    warm = replace(fitting, start=main.params)
    replicates = _bootstrap(observed, data, warm, main.fixed, n_bootstrap, block_days, rng,
                            is_cancelled, advance, warnings)
    intervals = {name: _percentile_interval(replicates["values"][name], interval_level) for name in fitted}
    not_identified = _not_identified(intervals, bounds)
    if not_identified:
        warnings.append(f"Not identified: {', '.join(not_identified)} — the {interval_level:.0%} bootstrap interval "
                        f"covers at least {NOT_IDENTIFIED_SPAN:.0%} of the range the bounds allow, so the data do "
                        f"not pin it; the parameter file marks it \"identified\": false and fluxscheme warns.")
    annual = _annual_sums(data, main.params, initial, replicates, interval_level)
    params = replace(main.params, name=f"calibrated {series.station_id or series.source}",
                     source=f"calibration of {series.source}", time_step_seconds=float(series.step),
                     provenance={**initial.provenance, **{name: "C" for name in fitted}},
                     not_identified=not_identified)
    return CalibrationResult(
        parameters=params, initial=initial, bounds=dict(bounds), fitted=fitted, fixed=main.fixed,
        intervals=intervals, interval_level=interval_level,
        statistics={"fit": fit_scores(observed.fc, modelled), "initial": fit_scores(observed.fc, modelled_initial)},
        validation=validation, annual=annual,
        bootstrap={"requested": n_bootstrap, "used": len(replicates["values"]["k1"]), "block_days": block_days,
                   "seed": seed, "scheme": f"circular moving blocks of {block_days} days, refit through "
                                           f"stages 1-3, percentile intervals",
                   "members": np.column_stack([replicates["values"][name] for name in fitted])
                   if fitted else np.zeros((0, 0))},
        data=observed, modelled=modelled, modelled_initial=modelled_initial, step=series.step,
        station={"id": series.station_id, "name": series.station_name, "lat": series.latitude,
                 "lon": series.longitude, "source_file": series.source},
        period=(iso(observed.times[0]), iso(observed.times[-1])),
        column_mapping=[p.describe() for p in series.provenance.values()],
        series_summary=series.summary(), annual_penalty_weight=annual_penalty_weight,
        robust_scale=main.scale, options=options, not_identified=not_identified, warnings=warnings)


def _check_settings(n_bootstrap, interval_level, annual_penalty_weight, options, bounds):
    if n_bootstrap < 0 or not 0.0 < interval_level < 1.0 or annual_penalty_weight < 0:
        raise InputError(f"calibrate: the number of bootstrap replicates ({n_bootstrap}) must be >= 0, the "
                         f"interval level ({interval_level}) between 0 and 1 and the annual-sum penalty weight "
                         f"({annual_penalty_weight}) >= 0.")
    if options.theta_c is not None:
        low, high = bounds["theta_c"]
        if not low <= options.theta_c <= high:
            raise InputError(f"calibrate: the site's theta_c ({options.theta_c:g} m3 m-3, parameter THETA_C) is "
                             f"outside the bounds [{low:g}, {high:g}] of the parameter file.")


def calibration_data(series: StationSeries) -> CalibrationData:
    """Steps of ``series`` with T0, T10 and theta10 present, with the tendency of the whole series."""
    for name in REQUIRED_COLUMNS:
        if name not in series.columns:
            why = series.provenance[name].describe() if name in series.provenance else f"{name}: absent"
            raise InputError(
                f"{series.source}: the calibration needs {name} but the series has none ({why}). "
                + ("T0 enters dT = T0 - T10 and Tbar: name its column in the column mapping (parameter "
                   "MAPPING, e.g. {\"t0\": \"TS_1_1_1\"}); a table with one soil temperature only can map it "
                   "to both t0 and t10: dT is then 0 and the dT terms of R1 are dropped." if name == "t0" else
                   f"Name its column in the column mapping (parameter MAPPING, e.g. {{\"{name}\": \"column\"}})."))
    columns = series.columns
    if not np.isfinite(columns["fc"]).any():
        raise InputError(f"{series.source}: column {_column_names(series)['fc']} (fc) has no values: "
                         f"all {len(series.times)} steps are missing.")
    hours = (series.times - series.times[0]) / fs.SECONDS_PER_HOUR
    tendency = fs.mean_temperature_tendency(columns["t0"], columns["t10"], hours)
    # the centred tendency at a step uses its neighbours, so the step's own values are checked too
    present = (np.isfinite(tendency) & np.isfinite(columns["t0"]) & np.isfinite(columns["t10"])
               & np.isfinite(columns["theta10"]))
    rows = np.flatnonzero(present)
    return CalibrationData(times=series.times[rows], fc=columns["fc"][rows], t0=columns["t0"][rows],
                           t10=columns["t10"][rows], theta10=columns["theta10"][rows], tendency=tendency[rows],
                           step=series.step, source=series.source, column_names=_column_names(series))


def model_flux(data: CalibrationData, params: ParameterSet) -> np.ndarray:
    """Rs = R1 + R2 + R3 on ``data`` with ``core.fluxscheme``.

    The station is evaluated at the reference soil (SOCref, pHref, Saltref), so its R3 is the site
    amplitudes' A*Q10c^((T10-20)/10) - B*K0(T10)/K0(20) (docs/SCIENCE.md section 2).
    """
    return sum(fs.flux_components(data.t0, data.t10, data.theta10, data.tendency, params,
                                  soc=params.soc_ref, ph=params.ph_ref, salt=params.salt_ref))


# ---- fitting -----------------------------------------------------------------------------------

@dataclass
class _Fit:
    params: object
    fixed: dict
    scale: float
    notes: list
    objective: float = float("nan")


@dataclass(frozen=True)
class _Fitting:
    """What every refit of the validation and the bootstrap shares."""
    start: object                   # initial with the main fit's theta_c
    initial: object                 # the reference of the comparison
    bounds: dict
    penalty_weight: float
    options: FitOptions
    scale: float                    # the main fit's robust scale

    def fit(self, data: CalibrationData) -> _Fit:
        return _fit(data, self.start, self.bounds, self.penalty_weight, self.options)


def _fit_profiled(data, initial, bounds, penalty_weight, options):
    """The main fit: with theta_c free, the best of fits started at each candidate theta_c."""
    if options.theta_c is not None:
        start = _with(initial, {**initial.values, **_theta_c_values(initial, options.theta_c)})
        return _fit(data, start, bounds, penalty_weight, options, site_theta_c=True)
    best = None
    scale = None
    for candidate in _theta_c_candidates(data, initial, bounds):
        start = _with(initial, {**initial.values, **_theta_c_values(initial, candidate)})
        try:
            fit = _fit(data, start, bounds, penalty_weight, options)
        except InputError:
            continue
        scale = scale or fit.scale              # one scale for every candidate, so objectives compare
        fit.objective = _objective(data, fit.params, scale, penalty_weight)
        if best is None or fit.objective < best.objective:
            best = fit
    if best is None:
        return _fit(data, initial, bounds, penalty_weight, options)      # raises the reason
    return best


def _theta_c_candidates(data, initial, bounds):
    low, high = _theta_c_range(initial, bounds)
    quantiles = np.quantile(data.theta10, THETA_C_QUANTILES)
    candidates = np.unique(np.round(np.clip(np.r_[initial.theta_c, quantiles], low, high), 4))
    return [float(c) for c in candidates]


def _theta_c_range(initial, bounds):
    """theta_c's bounds, narrowed so that theta_ref = theta_c + (its starting distance) stays in its own."""
    gap = initial.theta_ref - initial.theta_c
    low, high = bounds["theta_c"]
    return low, min(high, bounds["theta_ref"][1] - gap)


def _theta_c_values(initial, theta_c):
    """theta_c and the theta_ref that keeps theta_ref - theta_c as in ``initial``."""
    return {"theta_c": float(theta_c), "theta_ref": float(theta_c) + initial.theta_ref - initial.theta_c}


def _objective(data, params, scale, penalty_weight):
    error = data.fc - model_flux(data, params)
    years = np.unique(data.years, return_inverse=True)[1]
    penalty = penalty_weight * np.bincount(years, weights=error) ** 2 / np.bincount(years)
    return float(np.sum(_robust(error, scale) ** 2) + penalty.sum())


def _fit(data, start, bounds, penalty_weight, options, site_theta_c=False):
    """Stages 1-3 on ``data`` (observed steps only) from ``start``: the fitted ParameterSet and what was kept."""
    if data.fc.size < MIN_FIT_STEPS:
        raise InputError(f"{data.source}: {data.fc.size} step(s) with Fc and every driver present; the fit "
                         f"needs at least {MIN_FIT_STEPS}.")
    values = dict(start.values)
    fixed = _fixed_coefficients(data, start, bounds, options, site_theta_c)
    if "k1" in fixed and fixed["k1"].startswith("one soil depth"):
        values["k1"] = 0.0
    notes = [(f"k1 = 0, the dT terms of R1 dropped: {why}." if name == "k1" and values["k1"] == 0.0
              and start.k1 != 0.0 else f"{name} kept at {values[name]:g}: {why}.") for name, why in fixed.items()]
    dry = data.theta10 <= values["theta_c"]
    if dry.sum() >= MIN_FIT_STEPS:
        scale = _dry_linear_fit(data, dry, fixed, values, start)
    else:
        notes.append(f"Only {int(dry.sum())} dry step(s) (theta10 <= theta_c = {values['theta_c']:g} m3 m-3, theta10 "
                     f"from {data.column_names['theta10']}): the dry-step linear fit is skipped and R1 and R3 "
                     f"are fitted with the rest on every step.")
        scale = _mad_scale(data.fc - model_flux(data, _with(start, values)))
    _wet_fit(data, ~dry, fixed, values, start, bounds, scale)

    free = [name for name in FITTED if name not in fixed]
    year_index = np.unique(data.years, return_inverse=True)[1]
    penalty_factor = np.sqrt(penalty_weight / np.bincount(year_index))

    def joint_residuals(x):
        error = data.fc - model_flux(data, _with(start, values, free, x))
        # sqrt(lambda * n_y) * mean residual of year y: quadratic, outside the robust loss
        penalty = penalty_factor * np.bincount(year_index, weights=error)
        return np.concatenate([_robust(error, scale), penalty])

    joint_bounds = {**bounds, "theta_c": _theta_c_range(start, bounds)}
    values.update(_least_squares(joint_residuals, free, values, joint_bounds))
    values.update(_theta_c_values(start, values["theta_c"]))
    for name in free:
        low, high = joint_bounds[name]
        if np.isclose(values[name], low) or np.isclose(values[name], high):
            notes.append(f"{name} = {values[name]:g} ended at a bound of [{low:g}, {high:g}]: the data ask for "
                         f"a value the bounds of the parameter file do not allow.")
    return _Fit(_with(start, values), fixed, scale, notes)


def _fixed_coefficients(data, start, bounds, options, site_theta_c):
    """Coefficients of FITTED this fit leaves alone, with why."""
    fixed = {}
    if options.site_r3:
        fixed["delta_t0"] = DELTA_T0_WITH_SITE_R3
    else:
        fixed.update({name: "R3 site amplitudes not fitted (SITE_R3 off)" for name in SITE_R3_COEFFICIENTS})
    if site_theta_c:
        fixed["theta_c"] = "set to the site's value (parameter THETA_C)"
    wet = data.theta10 > start.theta_c
    fixed.update(_unidentified(data, wet))
    if wet.sum() < MIN_FIT_STEPS:
        for name in WET_COEFFICIENTS:
            fixed[name] = (f"only {int(wet.sum())} wet step(s) (theta10 > {start.theta_c:g} m3 m-3; at least "
                           f"{MIN_FIT_STEPS} needed): R2 not fitted")
    if "k1" in fixed:
        fixed["delta_t0"] = ("k1 = 0 (one soil depth), so delta_t0 has no effect" if "one soil depth" in fixed["k1"]
                             else "k1 is not fitted, so delta_t0 cannot be told from the intercept")
    for name in FITTED:
        low, high = bounds[name]
        if low == high and name not in fixed:
            fixed[name] = f"its bounds [{low:g}, {high:g}] pin it"
    return fixed


def _unidentified(data, wet):
    """Coefficients whose driver does not vary over the steps that identify them, with why."""
    out = {}
    for name, (subset, driver, floor, unit) in SPREAD_FLOOR.items():
        rows = wet if subset == "wet" else np.ones(data.fc.size, dtype=bool)
        if rows.sum() < MIN_FIT_STEPS:
            continue
        spread = float(np.std(getattr(data, driver)[rows]))
        if spread >= floor:
            continue
        if name == "k1":
            out[name] = (f"one soil depth: dT = T0 - T10 varies by only {spread:.3g} K (standard deviation), below "
                         f"the {floor:g} K taken as constant, so k1 and delta_t0 cannot be fitted (docs/SCIENCE.md "
                         f"section 4, item 6); map a second depth to T0 or T10 to fit them")
        else:
            out[name] = (f"{driver} varies by only {spread:.3g} {unit} (standard deviation) over the {subset} "
                         f"steps, below the {floor:g} {unit} taken as constant")
    return out


def _linear_columns(data, rows, values, fixed):
    """Stage 1's design: {coefficient: column} of the terms linear in the free coefficients, on ``rows``."""
    t10 = data.t10[rows]
    columns = {"k1": data.delta_t[rows] - (0.0 if "delta_t0" not in fixed else values["delta_t0"]),
               "k2": data.tendency[rows],
               "r3_a": values["q10c"] ** ((t10 - 20.0) / 10.0),
               "r3_b": -fs.co2_solubility(t10) / fs.K0_AT_20C}
    return {name: column for name, column in columns.items() if name not in fixed}


def _dry_linear_fit(data, dry, fixed, values, start):
    """Stage 1 into ``values``; returns the robust residual scale.

    Fc - (the rest of Rs) = sum of the free linear terms (+ b = -k1*dT0 when dT0 is fitted), dry steps.
    """
    columns = _linear_columns(data, dry, values, fixed)
    rest = dict(values, **{name: 0.0 for name in columns})
    dry_data = data.take(np.flatnonzero(dry))
    target = dry_data.fc - model_flux(dry_data, _with(start, rest))
    intercept_free = "delta_t0" not in fixed
    design = np.column_stack(list(columns.values()) + ([np.ones_like(target)] if intercept_free else [])
                             ) if columns or intercept_free else np.zeros((target.size, 0))
    coefficients = np.linalg.lstsq(design, target, rcond=None)[0]
    values.update(zip(columns, (float(c) for c in coefficients)))
    if intercept_free and values["k1"] != 0.0:
        values["delta_t0"] = -float(coefficients[-1]) / values["k1"]
    return _mad_scale(target - design @ coefficients)


def _wet_fit(data, wet, fixed, values, start, bounds, scale):
    """Stage 2 into ``values``: R2's free coefficients on the residual of the wet steps."""
    free_wet = [name for name in WET_COEFFICIENTS if name not in fixed]
    if not free_wet or wet.sum() < MIN_FIT_STEPS:
        return
    wet_data = data.take(np.flatnonzero(wet))
    without_r2 = model_flux(wet_data, _with(start, values)) - fs.moisture_activated_flux(
        wet_data.theta10, wet_data.t10, _with(start, values))
    target = wet_data.fc - without_r2

    def wet_residuals(x):
        return _robust(target - fs.moisture_activated_flux(wet_data.theta10, wet_data.t10,
                                                           _with(start, values, free_wet, x)), scale)

    values.update(_least_squares(wet_residuals, free_wet, values, bounds))


def _mad_scale(residual):
    return max(MAD_TO_SD * float(np.median(np.abs(residual - np.median(residual)))), MIN_SCALE)


def _robust(residual, scale):
    """Residuals whose sum of squares is the soft-L1 loss scale² · Σ 2(√(1 + (r/scale)²) − 1).

    Equal to r for |r| << scale and growing like √|r| beyond, so outliers (flux spikes) weigh
    little. Written out instead of least_squares(loss='soft_l1') so that the annual penalty, which
    shares the residual vector, stays quadratic.
    """
    z = (residual / scale) ** 2
    return np.sign(residual) * scale * np.sqrt(2.0 * (np.sqrt(1.0 + z) - 1.0))


def _least_squares(residuals, names, values, bounds):
    """Bounded trust-region least squares over ``names`` from ``values``; {name: value}."""
    if not names:
        return {}
    low = np.array([bounds[n][0] for n in names])
    high = np.array([bounds[n][1] for n in names])
    start = np.clip([values[n] for n in names], low, high)
    solution = least_squares(residuals, start, bounds=(low, high), method="trf", x_scale="jac")
    return dict(zip(names, (float(v) for v in solution.x)))


def _with(start, values, names=(), x=()):
    """``start`` with ``values`` and then ``names`` set to ``x``; theta_ref follows a fitted theta_c."""
    updated = {**values, **dict(zip(names, (float(v) for v in x)))}
    if "theta_c" in names:
        updated.update(_theta_c_values(start, updated["theta_c"]))
    return replace(start, values=updated)


def _not_identified(intervals, bounds):
    out = []
    for name, (low, high) in intervals.items():
        lower, upper = bounds[name]
        if upper > lower and np.isfinite(low) and (high - low) >= NOT_IDENTIFIED_SPAN * (upper - lower):
            out.append(name)
    return tuple(out)


# ---- validation and bootstrap ------------------------------------------------------------------

def _validation_folds(data):
    """(list of (label, held-out boolean mask), scheme name).

    Years when two of them hold MIN_FOLD_DAYS of data each; else months when there are two; else
    days (a record of under two months, at least MIN_DAYS long).
    """
    years = data.years
    year_labels, year_steps = np.unique(years, return_counts=True)
    long_years = year_steps * data.step >= MIN_FOLD_DAYS * 86400
    if long_years.sum() >= 2:
        return [(str(y), years == y) for y in year_labels], "leave-one-year-out"
    months = data.months
    if np.unique(months).size >= 2:
        return ([(f"{m // 12:04d}-{m % 12 + 1:02d}", months == m) for m in np.unique(months)],
                "leave-one-month-out")
    days = data.days
    return [(iso(d * 86400)[:10], days == d) for d in np.unique(days)], "leave-one-day-out"


MODELS = ("fit", "initial") + benchmarks.NAMES


def _validate(data, fitting, folds, scheme, is_cancelled, advance, warnings):
    """Fit without each fold and predict it, with the starting coefficients and the benchmark models."""
    held_out = np.zeros(data.fc.size, dtype=bool)
    predicted = {name: np.full(data.fc.size, np.nan) for name in MODELS}
    rows_out = []
    for label, mask in folds:
        check_cancel(is_cancelled)
        train = data.take(np.flatnonzero(~mask))
        try:
            fold_fit = fitting.fit(train)
        except InputError as error:
            warnings.append(f"Validation fold {label} skipped: the rest of the data cannot be fitted ({error}).")
            advance()
            continue
        models = benchmarks.fit_benchmarks(train.fc, train.t10, train.theta10,
                                           lambda r: _robust(r, fitting.scale))
        test = data.take(np.flatnonzero(mask))
        predictions = {"fit": model_flux(test, fold_fit.params), "initial": model_flux(test, fitting.initial),
                       **{name: models.predict(name, test.t10, test.theta10) for name in benchmarks.NAMES}}
        for name, values in predictions.items():
            predicted[name][mask] = values
        held_out |= mask
        observed_sum = float(fs.step_grams_co2(test.fc, data.step).sum())
        row = {"fold": label, "n": int(mask.sum()), "observed_sum": observed_sum}
        for name, values in predictions.items():
            row[f"rmse_{name}"] = fit_scores(test.fc, values)["rmse"]
            row[f"sum_error_{name}"] = float(fs.step_grams_co2(values, data.step).sum()) - observed_sum
        rows_out.append(row)
        advance()
    if not held_out.any():
        raise InputError(f"{data.source}: no {scheme} validation fold could be fitted; see the warnings.")
    observed = data.fc[held_out]
    validation = {"scheme": scheme, "folds": rows_out,
                  **{name: fit_scores(observed, predicted[name][held_out]) for name in MODELS}}
    for name in MODELS:
        validation[name]["mean_abs_sum_error"] = float(np.mean([abs(r[f"sum_error_{name}"]) for r in rows_out]))
    warnings.extend(_losing_warnings(validation))
    return validation


def _losing_warnings(validation):
    """A sentence for each benchmark the fitted scheme loses to out of sample (RMSE or fold sums)."""
    out = []
    fit = validation["fit"]
    for name in benchmarks.NAMES:
        other = validation[name]
        lost = [what for what, key in (("RMSE", "rmse"), ("mean absolute error of the fold sums",
                                                            "mean_abs_sum_error"))
                if fit[key] > other[key]]
        if lost:
            out.append(f"Out of sample ({validation['scheme']}), the fitted scheme loses to the "
                       f"{benchmarks.LABELS[name]} on {' and '.join(lost)}: RMSE {fit['rmse']:.4g} vs "
                       f"{other['rmse']:.4g} µmol m⁻² s⁻¹, fold-sum error {fit['mean_abs_sum_error']:.4g} vs "
                       f"{other['mean_abs_sum_error']:.4g} g CO₂ m⁻². Its coefficients describe this station no "
                       f"better than that model does; use them with care.")
    return out


def _span_years(data):
    return (data.times[-1] - data.times[0] + data.step) / (365.25 * 86400)


def _bootstrap(observed, data, fitting, fixed, n_replicates, block_days, rng, is_cancelled, advance, warnings):
    """Refit on circular moving-block resamples of whole days.

    Returns {'values': {coefficient: array}, 'modelled': (replicates, years) sums over observed
    steps, 'modelled_total': the same over every step with drivers, 'years': year labels}.
    """
    years = np.unique(data.years)
    observed_years = np.searchsorted(years, observed.years)
    all_years = np.searchsorted(years, data.years)
    day_of_step = observed.days - observed.days[0]
    n_days = int(day_of_step[-1]) + 1
    day_start = np.searchsorted(day_of_step, np.arange(n_days + 1))      # steps of day d: [start[d], start[d+1])
    values = {name: [] for name in FITTED}
    sums, totals = [], []
    failed = kept = 0
    for _ in range(n_replicates):
        check_cancel(is_cancelled)
        starts = rng.integers(0, n_days, size=-(-n_days // block_days))
        days = ((starts[:, None] + np.arange(block_days)) % n_days).ravel()[:n_days]
        rows = np.concatenate([np.arange(day_start[d], day_start[d + 1]) for d in days])
        try:
            replicate = fitting.fit(observed.take(rows))
        except InputError:
            failed += 1
            advance()
            continue
        kept += bool(set(replicate.fixed) - set(fixed))
        for name in FITTED:
            values[name].append(replicate.params.values[name])
        grams = fs.step_grams_co2(model_flux(data, replicate.params), data.step)
        totals.append(np.bincount(all_years, weights=grams, minlength=years.size))
        observed_grams = fs.step_grams_co2(model_flux(observed, replicate.params), data.step)
        sums.append(np.bincount(observed_years, weights=observed_grams, minlength=years.size))
        advance()
    if kept:
        warnings.append(f"In {kept} of {n_replicates} bootstrap replicates a coefficient the main fit fitted "
                        f"could not be fitted (too few wet steps or no spread in the resample) and kept its "
                        f"starting value, which then enters its interval.")
    if failed:
        warnings.append(f"{failed} of {n_replicates} bootstrap replicates could not be fitted (fewer than "
                        f"{MIN_FIT_STEPS} steps in the resample) and were left out of the intervals.")
    return {"values": {name: np.array(v) for name, v in values.items()},
            "modelled": np.array(sums).reshape(-1, years.size),
            "modelled_total": np.array(totals).reshape(-1, years.size), "years": years}


def _percentile_interval(samples, level):
    if len(samples) == 0:
        return (float("nan"), float("nan"))
    tail = 50.0 * (1.0 - level)
    low, high = np.percentile(samples, [tail, 100.0 - tail])
    return (float(low), float(high))


def _annual_sums(data, params, initial, replicates, level):
    observed = fs.step_grams_co2(data.fc, data.step)
    fitted = fs.step_grams_co2(model_flux(data, params), data.step)
    start = fs.step_grams_co2(model_flux(data, initial), data.step)
    out = []
    for column, year in enumerate(replicates["years"]):
        in_year = data.years == year
        seen = in_year & np.isfinite(observed)
        # a year without Fc has no observed-step sums: NaN, not a zero sum
        interval = (_percentile_interval(replicates["modelled"][:, column], level) if seen.any()
                    else (float("nan"), float("nan")))
        out.append(AnnualSum(
            year=int(year), steps=int(in_year.sum()), observed_steps=int(seen.sum()),
            expected_steps=(366 if calendar.isleap(int(year)) else 365) * 86400 // data.step,
            observed=_sum_or_nan(observed, seen), modelled=_sum_or_nan(fitted, seen), modelled_interval=interval,
            initial=_sum_or_nan(start, seen), modelled_total=float(fitted[in_year].sum()),
            modelled_total_interval=_percentile_interval(replicates["modelled_total"][:, column], level)))
    return out


def _sum_or_nan(values, rows):
    return float(values[rows].sum()) if rows.any() else float("nan")


def _check_enough_days(observed):
    days = np.unique(observed.days).size
    if days < MIN_DAYS:
        names = observed.column_names
        where = (f"from {iso(observed.times[0])} to {iso(observed.times[-1])}" if observed.times.size
                 else "on no step")
        raise InputError(
            f"{observed.source}: fc ({names['fc']}), t0 ({names['t0']}), t10 ({names['t10']}) and theta10 "
            f"({names['theta10']}) are all present on {days} day(s) only ({where}); the calibration needs "
            f"at least {MIN_DAYS} days.")


def _column_names(series):
    """canonical -> the source column(s) it was read from, for messages."""
    return {name: " + ".join(series.provenance[name].sources) if name in series.provenance
            and series.provenance[name].sources else name for name in REQUIRED_COLUMNS}
