"""Calibration of the flux scheme against a station series (docs/SCIENCE.md section 4).

The stages, all on the steps where Fc and every driver are present:

1. Dry steps (theta10 <= theta_c): ordinary least squares of Fc on [dT, dTbar/dt, 1] gives k1, k2
   and the intercept b = -k1*dT0, hence dT0 = -b/k1.
2. Wet steps: bounded robust (soft-L1) nonlinear least squares of the residual Fc - R1 on the R2
   coefficients a2, p and Q10w.
3. Joint refit of every fitted coefficient, bounded, with the same robust loss on the steps plus a
   quadratic penalty on each calendar year's mean residual, so that the annual sums match.

Which coefficients are fitted (``FITTED``): k1, delta_t0, k2, a2, p, q10w. Kept as given: theta_c
and r2_max (stated in the review [R]), theta_ref (R2 depends on a2 and theta_ref only through
a2*(theta_ref - theta_c)**-p, so the two cannot be told apart below the cap; theta_ref only fixes
the wetness at which a2 is read), the R3 coefficients (one station cannot identify R3: it is the
reference state, where R3 = 0) and the regime thresholds (diagnostics, not part of Rs). A
fitted coefficient whose driver does not vary over the steps that identify it (``SPREAD_FLOOR``)
is kept at its starting value too, and a warning says so: e.g. a table whose only soil
temperature stands for both T0 and T10 has dT = 0, so k1 cannot be fitted; k1 is then kept and
dT0 = -b/k1 carries the dry-step intercept.

Missing Fc: steps without Fc take part in nothing but the gap-filled ``modelled_total`` of the
annual table. Annual sums are compared (penalty, statistics, bootstrap) over the same observed
steps on both sides, never an observed sum with gaps against a complete modelled one.

Validation: leave-one-year-out when at least two calendar years each have ``MIN_FOLD_DAYS`` of
observed steps, otherwise leave-one-month-out (leave-one-day-out within a single month); the
fitted and the starting coefficients are scored on the same held-out steps. Uncertainty: circular
moving-block bootstrap over whole days (blocks of a year when the record spans three years or
more, the year-block bootstrap of docs/SCIENCE.md section 4 with blocks free to start on any day; a
week otherwise), each replicate refitted through stages 1-3, and percentile intervals of every
fitted coefficient and annual sum.

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

from . import fluxscheme as fs
from .errors import InputError, check_cancel
from .parameters import ParameterSet, load_parameters
from .robust import MAD_TO_SD, fit_scores
from .stations import StationSeries, resample
from .timeaxis import day_index, iso, years_of

FITTED = ("k1", "delta_t0", "k2", "a2", "p", "q10w")
WET_COEFFICIENTS = ("a2", "p", "q10w")
NOT_FITTED_BECAUSE = {
    "theta_c": "threshold stated in the review [R]",
    "r2_max": "largest pulse stated in the review [R]",
    "theta_ref": "not identifiable apart from a2 (only a2*(theta_ref-theta_c)^-p enters R2)",
    "a_soc": "R3: one station cannot identify it (docs/SCIENCE.md section 2)",
    "a_ph": "R3: one station cannot identify it (docs/SCIENCE.md section 2)",
    "a_salt": "R3: one station cannot identify it (docs/SCIENCE.md section 2)",
    "soc_ref": "R3 reference state", "ph_ref": "R3 reference state", "salt_ref": "R3 reference state",
    "q10c": "R3: one station cannot identify it (docs/SCIENCE.md section 2)",
    "regime_delta_t": "regime diagnostic, not part of Rs", "regime_rn": "regime diagnostic, not part of Rs",
}
REQUIRED_COLUMNS = ("fc", "t0", "t10", "theta10")
# A driver whose standard deviation over the steps that identify the coefficient is below these is
# treated as constant [P]: 0.01 K is the last digit COSORE writes soil temperature with (and 0.01
# K h-1 its tendency over an hour); 0.001 m3 m-3 is a tenth of a volume percent.
SPREAD_FLOOR = {"k1": ("dry", "delta_t", 0.01, "K"), "k2": ("dry", "tendency", 0.01, "K h-1"),
                "p": ("wet", "theta10", 0.001, "m3 m-3"), "q10w": ("wet", "t10", 0.01, "K")}
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


@dataclass
class CalibrationResult:
    parameters: object              # ParameterSet: fitted entries with provenance "C"
    initial: object                 # ParameterSet the fit started from (and is compared with)
    bounds: dict                    # name -> (lower, upper), from the initial parameter file
    fitted: tuple                   # coefficients fitted
    fixed: dict                     # coefficient -> why it kept its starting value
    intervals: dict                 # fitted coefficient -> (low, high) bootstrap percentile interval
    interval_level: float
    statistics: dict                # 'fit' and 'initial' -> scores over every observed step
    validation: dict                # scheme, folds, pooled held-out scores of 'fit' and 'initial'
    annual: list                    # AnnualSum per calendar year
    bootstrap: dict                 # replicates asked and used, block length, scheme, seed
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
    warnings: list = field(default_factory=list)


def load_initial(path: str | None = None) -> tuple:
    """Starting coefficients and the bounds of every entry from a parameter file (None = bundled)."""
    params = load_parameters(path)
    return params, params.bounds


def calibrate(series: StationSeries, initial: ParameterSet | None = None, bounds: dict | None = None, *,
              annual_penalty_weight: float = DEFAULT_ANNUAL_PENALTY_WEIGHT, n_bootstrap: int = DEFAULT_BOOTSTRAP,
              interval_level: float = DEFAULT_INTERVAL, seed: int = DEFAULT_SEED,
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
    if n_bootstrap < 0 or not 0.0 < interval_level < 1.0 or annual_penalty_weight < 0:
        raise InputError(f"calibrate: n_bootstrap ({n_bootstrap}) must be >= 0, interval_level "
                         f"({interval_level}) in (0, 1) and annual_penalty_weight ({annual_penalty_weight}) >= 0.")
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
    main = _fit(observed, initial, bounds, annual_penalty_weight)
    warnings += main.notes
    fitted = tuple(name for name in FITTED if name not in main.fixed)
    modelled = model_flux(observed, main.params)
    modelled_initial = model_flux(observed, initial)

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

    validation = _validate(observed, initial, bounds, annual_penalty_weight, folds, scheme,
                           is_cancelled, advance, warnings)
    replicates = _bootstrap(observed, data, initial, bounds, annual_penalty_weight, main.fixed, n_bootstrap,
                            block_days, rng, is_cancelled, advance, warnings)
    intervals = {name: _percentile_interval(replicates["values"][name], interval_level) for name in fitted}
    annual = _annual_sums(data, main.params, initial, replicates, interval_level)
    params = replace(main.params, name=f"calibrated {series.station_id or series.source}",
                     source=f"calibration of {series.source}", time_step_seconds=float(series.step),
                     provenance={**initial.provenance, **{name: "C" for name in fitted}})
    return CalibrationResult(
        parameters=params, initial=initial, bounds=dict(bounds), fitted=fitted, fixed=main.fixed,
        intervals=intervals, interval_level=interval_level,
        statistics={"fit": fit_scores(observed.fc, modelled), "initial": fit_scores(observed.fc, modelled_initial)},
        validation=validation, annual=annual,
        bootstrap={"requested": n_bootstrap, "used": len(replicates["values"]["k1"]), "block_days": block_days,
                   "seed": seed, "scheme": f"circular moving blocks of {block_days} days, refit through "
                                           f"stages 1-3, percentile intervals"},
        data=observed, modelled=modelled, modelled_initial=modelled_initial, step=series.step,
        station={"id": series.station_id, "name": series.station_name, "lat": series.latitude,
                 "lon": series.longitude, "source_file": series.source},
        period=(iso(observed.times[0]), iso(observed.times[-1])),
        column_mapping=[p.describe() for p in series.provenance.values()],
        series_summary=series.summary(), annual_penalty_weight=annual_penalty_weight,
        robust_scale=main.scale, warnings=warnings)


def calibration_data(series: StationSeries) -> CalibrationData:
    """Steps of ``series`` with T0, T10 and theta10 present, with the tendency of the whole series."""
    for name in REQUIRED_COLUMNS:
        if name not in series.columns:
            why = series.provenance[name].describe() if name in series.provenance else f"{name}: absent"
            raise InputError(
                f"{series.source}: the calibration needs {name} but the series has none ({why}). "
                + ("T0 enters dT = T0 - T10 and Tbar: map it explicitly, e.g. mapping={'t0': column}; "
                   "a table whose only soil temperature is mapped to both T0 and T10 gives dT = 0, so "
                   "k1 is then kept at its starting value." if name == "t0" else
                   f"Map it with mapping={{'{name}': column}}."))
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

    The station is the reference state of R3 (docs/SCIENCE.md section 2), so R3 is evaluated at SOCref,
    pHref and Saltref and is zero whatever its coefficients.
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


def _fit(data, initial, bounds, penalty_weight):
    """Stages 1-3 on ``data`` (observed steps only): the fitted ParameterSet and what was kept."""
    theta_c = initial.theta_c
    dry, wet = data.theta10 <= theta_c, data.theta10 > theta_c
    if dry.sum() < MIN_FIT_STEPS:
        spread = (f" (theta10 {np.min(data.theta10):.3g} to {np.max(data.theta10):.3g} m3 m-3)"
                  if data.fc.size else "")
        raise InputError(
            f"{data.source}: {int(dry.sum())} dry step(s) (theta10 <= theta_c = {theta_c:g} m3 m-3, theta10 "
            f"from {data.column_names['theta10']}) among {data.fc.size} steps with Fc and every driver "
            f"present{spread}; R1 needs at least {MIN_FIT_STEPS} to be fitted.")
    notes = []
    fixed = _unidentified(data, dry, wet)
    if wet.sum() < MIN_FIT_STEPS:
        for name in WET_COEFFICIENTS:
            fixed[name] = (f"only {int(wet.sum())} wet step(s) (theta10 > {theta_c:g} m3 m-3; at least "
                           f"{MIN_FIT_STEPS} needed): R2 not fitted")
    if "k1" in fixed and initial.k1 == 0.0:
        fixed["delta_t0"] = "k1 is kept at 0, so delta_t0 has no effect"
    for name in FITTED:
        low, high = bounds[name]
        if low == high and name not in fixed:
            fixed[name] = f"its bounds [{low:g}, {high:g}] pin it"
    for name, why in fixed.items():
        notes.append(f"{name} kept at its starting value {initial.values[name]:g}: {why}.")

    values = dict(initial.values)
    scale = _dry_linear_fit(data, dry, fixed, values)
    free_wet = [name for name in WET_COEFFICIENTS if name not in fixed]
    if free_wet:
        theta10, t10 = data.theta10[wet], data.t10[wet]
        target = data.fc[wet] - fs.heat_driven_flux(data.t0[wet], t10, data.tendency[wet], _with(initial, values))

        def wet_residuals(x):
            return _robust(target - fs.moisture_activated_flux(theta10, t10, _with(initial, values, free_wet, x)),
                           scale)

        values.update(_least_squares(wet_residuals, free_wet, values, bounds))

    free = [name for name in FITTED if name not in fixed]
    year_index = np.unique(data.years, return_inverse=True)[1]
    year_steps = np.bincount(year_index)
    penalty_factor = np.sqrt(penalty_weight / year_steps)

    def joint_residuals(x):
        error = data.fc - model_flux(data, _with(initial, values, free, x))
        # sqrt(lambda * n_y) * mean residual of year y: quadratic, outside the robust loss
        penalty = penalty_factor * np.bincount(year_index, weights=error)
        return np.concatenate([_robust(error, scale), penalty])

    values.update(_least_squares(joint_residuals, free, values, bounds))
    for name in free:
        low, high = bounds[name]
        if np.isclose(values[name], low) or np.isclose(values[name], high):
            notes.append(f"{name} = {values[name]:g} ended at a bound of [{low:g}, {high:g}]: the data ask for "
                         f"a value the bounds of the parameter file do not allow.")
    return _Fit(_with(initial, values), fixed, scale, notes)


def _unidentified(data, dry, wet):
    """Coefficients whose driver does not vary over the steps that identify them, with why."""
    out = {}
    for name, (subset, driver, floor, unit) in SPREAD_FLOOR.items():
        rows = dry if subset == "dry" else wet
        if rows.sum() < MIN_FIT_STEPS:
            continue
        spread = float(np.std(getattr(data, driver)[rows]))
        if spread < floor:
            out[name] = (f"{driver} varies by only {spread:.3g} {unit} (standard deviation) over the {subset} "
                         f"steps, below the {floor:g} {unit} taken as constant, so the design is rank-deficient"
                         + ("; delta_t0 then carries the dry-step intercept, -b/k1" if name == "k1" else ""))
    return out


def _dry_linear_fit(data, dry, fixed, values):
    """Stage 1 into ``values`` (k1, k2, delta_t0 that are not fixed); returns the robust residual scale.

    Fc - (fixed terms) = k1*dT + k2*dTbar/dt + b on the dry steps, with b = -k1*dT0.
    """
    delta_t, tendency, fc = data.delta_t[dry], data.tendency[dry], data.fc[dry]
    target = fc.copy()
    columns, names = [], []
    for name, driver in (("k1", delta_t), ("k2", tendency)):
        if name in fixed:
            target -= values[name] * driver
        else:
            columns.append(driver)
            names.append(name)
    intercept_free = "delta_t0" not in fixed
    if not intercept_free:
        target += values["k1"] * values["delta_t0"]
    else:
        columns.append(np.ones_like(target))
    design = np.column_stack(columns) if columns else np.zeros((target.size, 0))
    coefficients = np.linalg.lstsq(design, target, rcond=None)[0]
    values.update(zip(names, coefficients))
    if intercept_free:
        values["delta_t0"] = -coefficients[-1] / values["k1"] if values["k1"] != 0.0 else values["delta_t0"]
    residual = target - design @ coefficients
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


def _with(initial, values, names=(), x=()):
    """``initial`` with ``values`` and then ``names`` set to ``x``."""
    return replace(initial, values={**values, **dict(zip(names, (float(v) for v in x)))})


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


def _validate(data, initial, bounds, penalty_weight, folds, scheme, is_cancelled, advance, warnings):
    """Fit without each fold, predict it; scores of the fit and of ``initial`` on the held-out steps."""
    held_out = np.zeros(data.fc.size, dtype=bool)
    predicted = np.full(data.fc.size, np.nan)
    rows_out = []
    for label, mask in folds:
        check_cancel(is_cancelled)
        try:
            fold_fit = _fit(data.take(np.flatnonzero(~mask)), initial, bounds, penalty_weight)
        except InputError as error:
            warnings.append(f"Validation fold {label} skipped: the rest of the data cannot be fitted ({error}).")
            advance()
            continue
        test = data.take(np.flatnonzero(mask))
        prediction = model_flux(test, fold_fit.params)
        reference = model_flux(test, initial)
        predicted[mask] = prediction
        held_out |= mask
        grams = fs.step_grams_co2(np.stack([test.fc, prediction, reference]), data.step).sum(axis=1)
        rows_out.append({"fold": label, "n": int(mask.sum()),
                         "rmse_fit": fit_scores(test.fc, prediction)["rmse"],
                         "rmse_initial": fit_scores(test.fc, reference)["rmse"],
                         "observed_sum": float(grams[0]), "sum_error_fit": float(grams[1] - grams[0]),
                         "sum_error_initial": float(grams[2] - grams[0])})
        advance()
    if not held_out.any():
        raise InputError(f"{data.source}: no {scheme} validation fold could be fitted; see the warnings.")
    observed = data.fc[held_out]
    return {"scheme": scheme, "folds": rows_out,
            "fit": fit_scores(observed, predicted[held_out]),
            "initial": fit_scores(observed, model_flux(data.take(np.flatnonzero(held_out)), initial))}


def _span_years(data):
    return (data.times[-1] - data.times[0] + data.step) / (365.25 * 86400)


def _bootstrap(observed, data, initial, bounds, penalty_weight, fixed, n_replicates, block_days, rng,
               is_cancelled, advance, warnings):
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
            replicate = _fit(observed.take(rows), initial, bounds, penalty_weight)
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
        warnings.append(f"{failed} of {n_replicates} bootstrap replicates could not be fitted (too few dry "
                        f"steps in the resample) and were left out of the intervals.")
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
