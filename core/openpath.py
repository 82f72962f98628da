"""Open-path eddy-covariance CO2 flux correction (docs/SCIENCE.md section 5).

Open-path analysers (IRGASON, EC150, LI-7500) report a false daytime uptake over low-flux deserts,
while a closed-path analyser (EC155) and a chamber (LI-8100A) agree with each other [R]. Two
corrections are offered, both linear in their coefficients θ, so that every corrected value is

    corrected = offset + sign · X·θ        (X: a row [1, predictors...] per step)

* ``transfer`` regression to a reference [L]: Fc_ref ≈ β0 + β1·Fc_OP + β2·Rn + β3·Ta + β4·H
  (offset 0, sign +1), fitted over the overlap with a closed-path or chamber reference and applied to
  the whole open-path record. Predictors absent from the table are left out, with a note.
* ``sensible_heat`` correction [L: Wang et al. 2016, J. Atmos. Oceanic Technol. 33, 2385, who removed
  the IRGASON's wintertime apparent uptake with a relation to H]: Fc_corr = Fc_OP − (c0 + c1·H)
  (offset Fc_OP, sign −1); c0, c1 given, or fitted on Fc_OP − Fc_ref over the overlap.

Fit: a Huber M-estimate (k = 1.345, scale = 1.4826 · median |residual| re-estimated at every step) by
iteratively reweighted least squares (the estimator of statsmodels' RLM with HuberT and MAD scale):
spikes in either flux lose weight instead of pulling the line.

Uncertainty: a day-block bootstrap of the overlap (whole days drawn with replacement, so the
within-day autocorrelation of the errors is kept) refits θ; the standard deviation and the 2.5–97.5
percentiles of the refits are the coefficients' uncertainty, and every sum is evaluated for every
refit, which propagates it (sums are linear in θ: Σ corrected = Σ offset + sign·(Σ X)·θ). This is
the uncertainty of the correction only: the random error of the open-path flux itself is not in it.
Cross-validation: k-fold by day, folds of consecutive days, scores of the corrected and of the
uncorrected open-path flux against the reference on the held-out days.

Day and night: Rn > 0 where net radiation is measured, else the solar elevation at the middle of
each step above 0°, from the station's latitude, longitude and UTC offset (NOAA solar position).

Sums: a step of F µmol m-2 s-1 contributes F · step[s] · 44.0095e-6 g CO2 m-2, per local day (the
table's clock) and per calendar year, day and night separately, over the steps where the corrected
flux exists; before and after use the same steps.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from .errors import InputError
from .robust import K_FOLDS, cross_validate, day_bootstrap, fit_scores, robust_fit
from .solar import day_night
from .stations import StationSeries, resample
from .timeaxis import day_index, iso, years_of
from .units import GRAMS_CO2_PER_UMOL

METHODS = ("transfer", "sensible_heat")
MIN_OVERLAP_DAYS = K_FOLDS         # every fold holds out at least one whole day
MIN_POINTS_PER_COEFFICIENT = 10    # ~10 observations per coefficient (Harrell 2015, 4.4) [L]
DEFAULT_BOOTSTRAP = 1000           # ~1000 resamples for percentile intervals (Efron & Tibshirani 1993) [L]
MIN_BOOTSTRAP = 100                # fewer leave under 3 resamples in each 2.5 % tail
INTERVAL_PERCENTILES = (2.5, 97.5)  # a 95 % interval
CONDITION_LIMIT = 30.0             # condition index > 30: strong collinearity (Belsley, Kuh & Welsch 1980) [L]
MAX_STEP = 3600                    # the bias follows the diel cycle of H: hourly or finer data only
# Name, unit and label of the coefficient of each predictor; numbering as in docs/SCIENCE.md section 5.
TRANSFER_TERMS = {None: ("beta0", "umol m-2 s-1", "1"), "fc": ("beta1", "1", "Fc_OP"),
                  "rn": ("beta2", "umol m-2 s-1 per W m-2", "Rn"),
                  "ta": ("beta3", "umol m-2 s-1 per degC", "Ta"),
                  "h": ("beta4", "umol m-2 s-1 per W m-2", "H")}
HEAT_TERMS = {None: ("c0", "umol m-2 s-1", "1"), "h": ("c1", "umol m-2 s-1 per W m-2", "H")}


@dataclass(frozen=True)
class Coefficient:
    name: str                   # 'beta1', 'c0', ...
    term: str                   # what it multiplies: '1', 'Fc_OP', 'Rn', 'Ta', 'H'
    unit: str
    value: float
    sd: float                   # bootstrap standard deviation; NaN for given coefficients
    low: float                  # 95 % percentile interval of the bootstrap
    high: float


@dataclass(frozen=True)
class Scores:
    """An estimate of the reference flux against the reference (µmol m-2 s-1)."""
    n: int
    rmse: float
    mae: float
    bias: float                 # mean of estimate − reference
    r2: float                   # 1 − SSE / SST about the reference mean


@dataclass(frozen=True)
class PeriodSums:
    """Sums over one local day or calendar year, one part of it (day, night or all), g CO2 m-2."""
    period: str                 # 'YYYY-MM-DD' or 'YYYY'
    part: str                   # 'day', 'night' or 'all'
    steps: int                  # steps of this part with a corrected value
    period_steps: int           # steps in the whole period
    before: float
    after: float
    after_sd: float             # from the coefficient uncertainty (NaN when not estimated)
    after_low: float
    after_high: float

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def change_low(self) -> float:
        return self.after_low - self.before

    @property
    def change_high(self) -> float:
        return self.after_high - self.before


@dataclass
class OpenPathResult:
    method: str
    source: str
    reference_source: str       # None without a reference
    times: np.ndarray           # table clock of the open-path series, start of each step
    step: int
    utc_offset_hours: float
    fc_open_path: np.ndarray    # µmol m-2 s-1
    fc_corrected: np.ndarray
    fc_corrected_sd: np.ndarray  # from the coefficient uncertainty
    fc_reference: np.ndarray    # on the open-path axis (its fitting step's value), NaN elsewhere
    in_overlap: np.ndarray      # bool: the step took part in the fit
    is_day: np.ndarray          # 1 day, 0 night, NaN unclassified
    day_night_method: str
    equation: str
    coefficients: list
    coefficient_samples: np.ndarray  # bootstrap refits, one row each (empty for given coefficients)
    validation: dict            # {'corrected': Scores, 'open_path': Scores}, or {} without a reference
    validation_kind: str
    overlap_steps: int
    overlap_days: int
    daily: list                 # PeriodSums per local day and part
    annual: list                # PeriodSums per calendar year and part
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class _Model:
    """corrected = offset + sign · X·θ, with X = [1, columns...]; fitted on sign · (reference − offset)."""
    method: str
    columns: tuple
    terms: dict
    subtract_from_open_path: bool

    @property
    def sign(self):
        return -1.0 if self.subtract_from_open_path else 1.0

    def design(self, columns):
        fc = columns["fc"]
        return np.column_stack([np.ones_like(fc)] + [columns[name] for name in self.columns])

    def offset(self, columns):
        return columns["fc"] if self.subtract_from_open_path else np.zeros_like(columns["fc"])

    def target(self, reference, columns):
        return self.sign * (reference - self.offset(columns))

    def coefficient_labels(self):
        return [self.terms[name] for name in (None,) + self.columns]

    def equation(self):
        parts = " + ".join(name if term == "1" else f"{name}·{term}" for name, _, term in self.coefficient_labels())
        return f"Fc_corr = Fc_OP − ({parts})" if self.subtract_from_open_path else f"Fc_corr = {parts}"


def correct_open_path(series: StationSeries, reference: StationSeries | None = None, method: str = "transfer",
                      coefficients: tuple | None = None, n_bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = 0,
                      progress: Callable[[float], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None) -> OpenPathResult:
    """Correct the open-path CO2 flux of ``series`` (a StationSeries with fc, and h, rn, ta as used).

    ``reference``: a StationSeries whose fc is a closed-path or chamber flux overlapping the record.
    ``method``: 'transfer' (needs the reference) or 'sensible_heat'. ``coefficients``: (c0, c1)
    given for 'sensible_heat'; None fits them against the reference. A given pair with a reference
    is scored against it over the overlap. ``n_bootstrap`` day-block resamples with ``seed`` give
    the uncertainty. ``progress`` gets a fraction in [0, 1]; ``is_cancelled`` returning True stops
    the run with RunCancelled.
    """
    notes, warnings = [], []
    coefficients = given_coefficients(coefficients)
    model = _model(series, method, coefficients, reference, notes)
    if series.step > MAX_STEP:
        raise InputError(f"{series.source}: the open-path correction needs half-hourly or hourly data (the "
                         f"bias follows the diel cycle of H); this table has a {series.step} s step.")
    if coefficients is None and n_bootstrap < MIN_BOOTSTRAP:
        raise InputError(f"the bootstrap needs at least {MIN_BOOTSTRAP} resamples, not {n_bootstrap}.")
    is_day, day_night_method = day_night(series)
    columns = series.columns
    design = model.design(columns)
    offset = model.offset(columns)

    reference_native = np.full(series.times.size, np.nan)
    in_overlap = np.zeros(series.times.size, dtype=bool)
    validation, validation_kind, samples = {}, "no reference", np.empty((0, design.shape[1]))
    overlap_days = 0
    if reference is not None:
        overlap = _overlap(series, reference, model, notes)
        reference_native, in_overlap = overlap.reference_native, overlap.in_overlap
        overlap_days = int(np.unique(overlap.days).size)
    if coefficients is None:
        theta = robust_fit(overlap.design, overlap.target)
        samples = day_bootstrap(overlap.design, overlap.target, overlap.days, n_bootstrap,
                                np.random.default_rng(seed), progress, is_cancelled)
        held_out = cross_validate(overlap.design, overlap.target, overlap.days)
        estimate = overlap.offset + model.sign * held_out
        validation_kind = f"{K_FOLDS}-fold cross-validation by day (folds of consecutive days)"
    else:
        theta = np.asarray(coefficients, dtype=np.float64)
        warnings.append("c0 and c1 were given: their uncertainty is unknown, so the corrected flux and the sums "
                        "carry none.")
        if reference is not None:
            estimate = overlap.offset + model.sign * overlap.design @ theta
            validation_kind = "given coefficients over the whole overlap (nothing fitted)"
    if reference is not None:
        validation = {"corrected": Scores(**fit_scores(overlap.reference, estimate)),
                      "open_path": Scores(**fit_scores(overlap.reference, overlap.open_path))}
        warnings += _fit_warnings(model, theta, samples, validation, validation_kind, overlap, design)

    corrected = offset + model.sign * design @ theta
    corrected_sd = np.full(corrected.size, np.nan)
    if samples.shape[0]:
        covariance = np.cov(samples, rowvar=False)
        corrected_sd = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", design, covariance, design), 0.0))
    low, high = (np.percentile(samples, INTERVAL_PERCENTILES, axis=0) if samples.shape[0]
                 else np.full((2, theta.size), np.nan))
    sd = np.std(samples, axis=0, ddof=1) if samples.shape[0] else np.full(theta.size, np.nan)
    fitted = [Coefficient(name, term, unit, float(value), float(s), float(lo), float(hi))
              for (name, unit, term), value, s, lo, hi in zip(model.coefficient_labels(), theta, sd, low, high)]

    valid = np.isfinite(corrected)
    sums = _SumInputs(series.step, columns["fc"], offset, design, model.sign, theta, samples, valid, is_day)
    days = day_index(series.times)
    daily = sums.by_period(days - days[0], [iso(d * 86400)[:10] for d in range(days[0], days[-1] + 1)],
                           np.full(days[-1] - days[0] + 1, 86400 // series.step))
    years = years_of(series.times)
    year_list = list(range(years[0], years[-1] + 1))
    year_steps = [(_year_start(y + 1) - _year_start(y)) // series.step for y in year_list]
    annual = sums.by_period(years - years[0], [str(y) for y in year_list], np.array(year_steps))
    warnings += _coverage_warnings(annual, is_day, day_night_method)
    if progress:
        progress(1.0)
    return OpenPathResult(
        method=method, source=series.source, reference_source=reference.source if reference else None,
        times=series.times, step=series.step, utc_offset_hours=series.utc_offset_hours,
        fc_open_path=columns["fc"], fc_corrected=corrected, fc_corrected_sd=corrected_sd,
        fc_reference=reference_native, in_overlap=in_overlap, is_day=is_day, day_night_method=day_night_method,
        equation=model.equation(), coefficients=fitted, coefficient_samples=samples, validation=validation,
        validation_kind=validation_kind, overlap_steps=int(in_overlap.sum()), overlap_days=overlap_days,
        daily=daily, annual=annual, warnings=warnings, notes=notes)


def given_coefficients(coefficients: Iterable[float | str | None] | None) -> tuple | None:
    """(c0, c1) of the sensible-heat method as floats, or None to fit them: both or neither.

    The pairing rule of every shell (the C0 and C1 parameters come here as they are): None, or a pair
    of None, means neither is given.
    """
    if coefficients is None:
        return None
    values = tuple(coefficients)
    if len(values) == 2 and values[0] is None and values[1] is None:
        return None
    try:
        numbers = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        numbers = ()
    if len(numbers) != 2 or not np.all(np.isfinite(numbers)):
        raise InputError(f"Give both C0 and C1 (the sensible-heat correction's c0 and c1) as numbers, or leave both "
                         f"empty to fit them against the reference; not {values!r}.")
    return numbers


# ---- internals ---------------------------------------------------------------------------------

def _model(series, method, coefficients, reference, notes):
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(map(repr, METHODS))}, not {method!r}.")
    if "fc" not in series.columns:
        raise InputError(f"{series.source}: the table has no CO2 flux column (fc).")
    if method == "transfer":
        if coefficients is not None:
            raise InputError("given coefficients (c0, c1) belong to the sensible-heat method; the transfer "
                             "regression is always fitted against a reference.")
        if reference is None:
            raise InputError(f"{series.source}: the transfer regression needs a reference (closed-path or "
                             f"chamber CO2 flux) overlapping the open-path record.")
        present = tuple(name for name in ("fc", "rn", "ta", "h") if name in series.columns)
        for name in ("rn", "ta", "h"):
            if name not in series.columns:
                notes.append(f"{TRANSFER_TERMS[name][2]} is absent from {series.source} "
                             f"({series.provenance[name].note}): {TRANSFER_TERMS[name][0]} left out")
        return _Model(method, present, TRANSFER_TERMS, subtract_from_open_path=False)
    if "h" not in series.columns:
        raise InputError(f"{series.source}: the sensible-heat correction needs the sensible heat flux H "
                         f"(column h: AmeriFlux 'H', FLUXNET 'H_F_MDS'), which is absent "
                         f"({series.provenance['h'].note}); name its column in the column mapping "
                         f"(parameter MAPPING, e.g. {{\"h\": \"H\"}}).")
    if coefficients is None and reference is None:
        raise InputError(f"{series.source}: the sensible-heat correction needs c0 and c1, or a reference "
                         f"to fit them against.")
    return _Model(method, ("h",), HEAT_TERMS, subtract_from_open_path=True)


@dataclass
class _Overlap:
    """Joint observations on the fitting step (the coarser of the two tables' steps)."""
    design: np.ndarray
    target: np.ndarray
    offset: np.ndarray
    open_path: np.ndarray
    reference: np.ndarray
    days: np.ndarray
    ranges: dict                 # predictor -> (min, max) over the overlap
    reference_native: np.ndarray
    in_overlap: np.ndarray


def _overlap(series, reference, model, notes):
    step = max(series.step, reference.step)
    if reference.step > MAX_STEP:
        raise InputError(f"{reference.source}: the reference needs half-hourly or hourly data to fit the "
                         f"diel bias; this table has a {reference.step} s step.")
    # Averages of linear terms: coefficients fitted on hourly means apply to half-hours unchanged.
    coarse = series if series.step == step else resample(series, step)
    ref = reference if reference.step == step else resample(reference, step)
    if step != min(series.step, reference.step):
        notes.append(f"fitted on {step} s means (the coarser step of the two tables)")
    shift = 0
    if series.utc_offset_hours is not None and reference.utc_offset_hours is not None:
        shift = int(round((series.utc_offset_hours - reference.utc_offset_hours) * 3600))
        if shift:
            notes.append(f"{reference.source} shifted by {shift / 3600:+g} h to the open-path table's clock")
    else:
        notes.append(f"{reference.source} is taken to use the same clock as {series.source} (a UTC offset "
                     f"is unknown)")
    ref_times = ref.times + shift
    if (ref_times[0] - coarse.times[0]) % step:
        raise InputError(f"{reference.source}: its {step} s steps start at {iso(ref_times[0])} on the "
                         f"open-path clock, between the steps of {series.source} (from "
                         f"{iso(coarse.times[0])}); the two tables must share a time grid.")
    common, at_series, at_reference = np.intersect1d(coarse.times, ref_times, return_indices=True)
    if common.size == 0:
        raise InputError(f"{series.source} ({iso(coarse.times[0])} to {iso(coarse.times[-1])}) and "
                         f"{reference.source} ({iso(ref_times[0])} to {iso(ref_times[-1])}, open-path "
                         f"clock) do not overlap in time.")
    reference_fc = np.full(coarse.times.size, np.nan)
    reference_fc[at_series] = ref.columns["fc"][at_reference]
    design = model.design(coarse.columns)
    target = model.target(reference_fc, coarse.columns)
    joint = np.isfinite(target) & np.isfinite(design).all(axis=1)
    days = day_index(coarse.times[joint])
    needed = MIN_POINTS_PER_COEFFICIENT * design.shape[1]
    if joint.sum() < needed or np.unique(days).size < MIN_OVERLAP_DAYS:
        counted = {"reference fc": reference_fc,
                   **{name: coarse.columns[name] for name in dict.fromkeys(("fc",) + model.columns)}}
        present = ", ".join(f"{name} {int(np.isfinite(values[at_series]).sum())}" for name, values in counted.items())
        raise InputError(f"{series.source} and {reference.source}: the overlap ({iso(common[0])} to "
                         f"{iso(common[-1])}) has {int(joint.sum())} joint observations on "
                         f"{np.unique(days).size} days; at least {needed} on {MIN_OVERLAP_DAYS} days are needed "
                         f"for {design.shape[1]} coefficients. Values present at the {common.size} common "
                         f"steps: {present}.")
    # Back to the open-path axis: each native step takes its fitting step's reference and flag.
    native = series.times // step - series.times[0] // step
    return _Overlap(design[joint], target[joint], model.offset(coarse.columns)[joint],
                    coarse.columns["fc"][joint], reference_fc[joint], days,
                    {name: (float(np.min(coarse.columns[name][joint])), float(np.max(coarse.columns[name][joint])))
                     for name in model.columns},
                    reference_fc[native], joint[native])


def _fit_warnings(model, theta, samples, validation, validation_kind, overlap, design):
    warnings = []
    corrected, raw = validation["corrected"], validation["open_path"]
    if corrected.rmse >= raw.rmse:
        warnings.append(f"the corrected flux is no closer to the reference than the uncorrected one "
                        f"(RMSE {corrected.rmse:.4g} vs {raw.rmse:.4g} umol m-2 s-1, {validation_kind}).")
    if model.method == "transfer" and samples.shape[0]:
        low, high = np.percentile(samples[:, 1], INTERVAL_PERCENTILES)
        if not low <= 1.0 <= high:
            warnings.append(f"beta1 = {theta[1]:.3g} (95 % {low:.3g} to {high:.3g}) differs from 1: noise in "
                            f"Fc_OP draws it towards 0 (regression dilution), so the corrected flux is damped "
                            f"towards the overlap's mean; away from the overlap's conditions its sums may be "
                            f"biased. The sensible-heat method keeps Fc_OP's own variation.")
    scaled = overlap.design / np.maximum(np.sqrt(np.mean(overlap.design ** 2, axis=0)), np.finfo(float).tiny)
    singular = np.linalg.svd(scaled, compute_uv=False)
    if singular[-1] <= 0 or singular[0] / singular[-1] > CONDITION_LIMIT:
        warnings.append(f"the predictors {', '.join(model.columns)} are strongly collinear over the overlap "
                        f"(condition index {singular[0] / max(singular[-1], np.finfo(float).tiny):.0f} > "
                        f"{CONDITION_LIMIT:g}): single coefficients are poorly determined, though the corrected "
                        f"flux may still be; consider leaving a predictor out.")
    for j, name in enumerate(model.columns, start=1):
        low, high = overlap.ranges[name]
        values = design[:, j]
        with np.errstate(invalid="ignore"):
            outside = np.mean((values < low) | (values > high))
        if outside > 0.0:
            warnings.append(f"{name} lies outside the overlap's range ({low:.4g} to {high:.4g}) at "
                            f"{outside:.1%} of the steps: the correction extrapolates there.")
    return warnings


class _SumInputs:
    """What sums of the corrected flux over any set of steps need: they are linear in θ."""

    def __init__(self, step, open_path, offset, design, sign, theta, samples, valid, is_day):
        self.factor = step * GRAMS_CO2_PER_UMOL
        self.open_path, self.offset, self.design = open_path, offset, design
        self.sign, self.theta, self.samples = sign, theta, samples
        self.valid, self.is_day = valid, is_day

    def by_period(self, groups, labels, period_steps):
        """PeriodSums for each group (labels[g], period_steps[g] steps) and part: day, night, all."""
        count = len(labels)
        parts = {}
        members = {"day": self.is_day == 1.0, "night": self.is_day == 0.0, "all": np.ones(self.valid.size, dtype=bool)}
        for part, member in members.items():
            use = self.valid & member
            g = groups[use]

            def total(values, g=g, use=use):        # bound now: each part sums its own steps
                return np.bincount(g, weights=values[use], minlength=count)

            design_sums = np.column_stack([total(self.design[:, j]) for j in range(self.design.shape[1])])
            offset_sums = total(self.offset)
            after = (offset_sums + self.sign * design_sums @ self.theta) * self.factor
            if self.samples.shape[0]:
                draws = (offset_sums[:, None] + self.sign * design_sums @ self.samples.T) * self.factor
                sd = np.std(draws, axis=1, ddof=1)
                low, high = np.percentile(draws, INTERVAL_PERCENTILES, axis=1)
            else:
                sd = low = high = np.full(count, np.nan)
            parts[part] = (np.bincount(g, minlength=count), total(self.open_path) * self.factor, after, sd, low, high)
        return [PeriodSums(labels[k], part, int(steps[k]), int(period_steps[k]), float(before[k]), float(after[k]),
                           float(sd[k]), float(low[k]), float(high[k]))
                for k in range(count) for part, (steps, before, after, sd, low, high) in parts.items()]


def _year_start(year):
    return int(np.datetime64(f"{year:04d}-01-01", "s").astype(np.int64))


def _coverage_warnings(annual, is_day, day_night_method):
    warnings = []
    for sums in annual:
        if sums.part == "all" and sums.steps < sums.period_steps:
            warnings.append(f"{sums.period}: {1 - sums.steps / sums.period_steps:.1%} of the year's steps have no "
                            f"corrected value (outside the record, or Fc_OP or a predictor missing); its sums "
                            f"cover only the steps present, so gap-fill before comparing annual budgets.")
    unclassified = int(np.isnan(is_day).sum())
    if unclassified:
        warnings.append(f"{unclassified} steps are neither day nor night ({day_night_method}): they count only "
                        f"in the 'all' sums.")
    return warnings
