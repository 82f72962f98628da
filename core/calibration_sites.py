"""Several stations: R3's soil coefficients for the map from the stations' site amplitudes (docs/SCIENCE.md section 2).

Each station is calibrated on its own (``calibration.calibrate``: A, B, Q10c and the rest per site).
Then, with each station's SOC, pH and salt,

    A_i = r3_a + aC*(SOC_i - SOCref)                         (weighted least squares over stations)
    B_i = r3_b + aP*(pH_i - pHref) + aS*(Salt_i - Saltref)

with weights 1/var from each station's bootstrap (equal weights without a bootstrap). The intercepts
r3_a and r3_b are A and B at the reference soil, so the map's R3 (``fluxscheme.soil_property_flux``)
gives each station back its regressed A and B. A slope whose soil property does not vary across the
stations, or that more slopes than stations leave undetermined, is kept at its starting value and
the reason is recorded. The map's other coefficients (k1, k2, R2's, Q10c, theta_c) are the
inverse-variance weighted means over the stations that fitted them, a summary of the sites rather
than a joint fit [P].

Uncertainty: the same regression and means on each bootstrap replicate (replicate r of every
station together), so the file's ensemble carries the stations' uncertainty into aC, aP and aS.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from .calibration import (DEFAULT_BOOTSTRAP, DEFAULT_INTERVAL, DEFAULT_SEED, FitOptions,
                          calibrate, load_initial)
from .delimited import sniff_delimiter
from .errors import InputError, check_cancel
from .parameters import ParameterSet
from .stations import StationSeries
from .text_output import PathLike

SITE_LIST_COLUMNS = ("station", "file", "soc", "ph", "salt")
SITE_LIST_UNITS = {"soc": "g kg-1", "ph": "1", "salt": "g kg-1"}
# (coefficient, soil property, reference) of the two regressions
RELEASE_TERMS = (("a_soc", "soc", "soc_ref"),)
UPTAKE_TERMS = (("a_ph", "ph", "ph_ref"), ("a_salt", "salt", "salt_ref"))
SHARED = ("k1", "delta_t0", "k2", "a2", "p", "q10w", "q10c", "theta_c")


@dataclass(frozen=True)
class Site:
    """One station of a multi-site calibration: its series and its soil (SOC g kg-1, pH, salt g kg-1)."""
    name: str
    series: StationSeries
    soc: float
    ph: float
    salt: float


@dataclass
class SiteListEntry:
    name: str
    path: Path
    soc: float
    ph: float
    salt: float


@dataclass
class MultiSiteResult:
    parameters: ParameterSet            # the map's coefficients: regressed R3, site means of the rest
    initial: ParameterSet
    bounds: dict
    sites: list                         # (Site, CalibrationResult) per station
    regression: dict                    # coefficient -> {"value", "interval", "how"}
    shared: dict                        # coefficient -> {"value", "interval", "sites"}
    kept: dict                          # coefficient -> why it kept its starting value
    members: np.ndarray                 # ensemble: replicates x ``ensemble_names``
    ensemble_names: tuple
    interval_level: float
    warnings: list = field(default_factory=list)


def read_site_list(path: PathLike) -> list:
    """The stations of a site list: a CSV with columns station, file, soc, ph, salt (files relative to the list)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Station list {path}: cannot be read as UTF-8 text ({error}).") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"Station list {path} is empty; expected a header {', '.join(SITE_LIST_COLUMNS)}.")
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(lines[0])))
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in SITE_LIST_COLUMNS if name not in header]
    if missing:
        raise InputError(f"Station list {path}: column(s) {missing} missing; expected {', '.join(SITE_LIST_COLUMNS)} "
                         f"(SOC and salt in g kg-1, pH in pH units), one row per station.")
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (cell.strip() for cell in row)))
        numbers = {}
        for name, unit in SITE_LIST_UNITS.items():
            try:
                numbers[name] = float(cells.get(name, ""))
            except ValueError:
                raise InputError(f"Station list {path}, row {number}, column {name}: {cells.get(name)!r} is not a "
                                 f"number ({unit}).") from None
        file = Path(cells["file"])
        entries.append(SiteListEntry(cells["station"] or file.stem, file if file.is_absolute() else path.parent / file,
                                     **numbers))
    if len(entries) < 2:
        raise InputError(f"Station list {path}: {len(entries)} station(s); a multi-site calibration needs at least "
                         f"2 (give one station as STATION instead).")
    return entries


def calibrate_sites(sites: list, initial: ParameterSet | None = None, bounds: dict | None = None, *,
                    n_bootstrap: int = DEFAULT_BOOTSTRAP, interval_level: float = DEFAULT_INTERVAL,
                    seed: int = DEFAULT_SEED, options: FitOptions | None = None,
                    annual_penalty_weight: float | None = None,
                    progress: Callable[[float], None] | None = None,
                    is_cancelled: Callable[[], bool] | None = None) -> MultiSiteResult:
    """Calibrate each ``Site`` and regress their A and B on their soils (see the module text)."""
    if initial is None or bounds is None:
        default_params, default_bounds = load_initial()
        initial, bounds = initial or default_params, bounds or default_bounds
    options = options or FitOptions()
    if len(sites) < 2:
        raise InputError(f"A multi-site calibration needs at least 2 stations, got {len(sites)}.")
    if not options.site_r3:
        raise InputError("A multi-site calibration regresses each station's R3 amplitudes A and B: SITE_R3 must be on.")
    results = []
    extra = {} if annual_penalty_weight is None else {"annual_penalty_weight": annual_penalty_weight}
    for number, site in enumerate(sites):
        check_cancel(is_cancelled)

        def site_progress(fraction, number=number):
            if progress:
                progress((number + fraction) / len(sites))

        results.append(calibrate(site.series, initial, bounds, n_bootstrap=n_bootstrap, interval_level=interval_level,
                                 seed=seed + number, options=options, progress=site_progress,
                                 is_cancelled=is_cancelled, **extra))
    return combine_sites(list(zip(sites, results)), initial, bounds, interval_level)


def combine_sites(site_results: list, initial: ParameterSet, bounds: dict, interval_level: float) -> MultiSiteResult:
    """The map's parameter set from calibrated stations: regressions of A and B, weighted means of the rest."""
    warnings, kept = [], {}
    for site, result in site_results:
        missing = [name for name in ("r3_a", "r3_b") if name not in result.fitted]
        if missing:
            why = "; ".join(result.fixed[name] for name in missing)
            raise InputError(f"Station {site.name} ({site.series.source}): {', '.join(missing)} could not be fitted "
                             f"({why}), so its R3 amplitudes cannot enter the regression; leave the station out of "
                             f"the list.")
    n_members = min(result.bootstrap["used"] for _, result in site_results)
    if n_members < max(r.bootstrap["used"] for _, r in site_results):
        warnings.append(f"Stations kept different numbers of bootstrap replicates; the first {n_members} of each "
                        f"are combined.")
    central = {name: np.array([r.parameters.values[name] for _, r in site_results]) for name in initial.values}
    replicates = {name: _replicates(site_results, name, n_members) for name in initial.values}
    weights = {name: _weights(replicates[name]) for name in ("r3_a", "r3_b") + SHARED}

    values = dict(initial.values)
    regression, ensemble = {}, {}
    soils = {key: np.array([getattr(site, key) for site, _ in site_results]) for key in ("soc", "ph", "salt")}
    for amplitude, intercept, terms in (("r3_a", "r3_a", RELEASE_TERMS), ("r3_b", "r3_b", UPTAKE_TERMS)):
        used = _usable_terms(terms, soils, initial, len(site_results), kept)
        design = np.column_stack([np.ones(len(site_results))]
                                 + [soils[prop] - initial.values[ref] for _, prop, ref in used])
        names = [intercept] + [name for name, _, _ in used]
        solution = _weighted_fit(design, central[amplitude], weights[amplitude])
        members = np.array([_weighted_fit(design, row, weights[amplitude]) for row in replicates[amplitude]])
        for column, name in enumerate(names):
            values[name] = float(solution[column])
            ensemble[name] = members[:, column] if members.size else np.zeros(0)
            regression[name] = {"value": values[name], "how": f"weighted least squares of {amplitude} on "
                                f"{', '.join(['1'] + [prop + ' - ' + ref for _, prop, ref in used])} over "
                                f"{len(site_results)} stations"}
    shared = {}
    for name in SHARED:
        fitted = np.array([name in r.fitted for _, r in site_results])
        if not fitted.any():
            continue
        w = weights[name] * fitted
        values[name] = float(np.sum(w * central[name]) / np.sum(w))
        ensemble[name] = (replicates[name] @ w) / np.sum(w) if replicates[name].size else np.zeros(0)
        shared[name] = {"value": values[name], "sites": int(fitted.sum())}
    values.update(_theta_ref_for(values, initial))
    for name in list(ensemble):
        low, high = bounds[name]
        if not low <= values[name] <= high:
            warnings.append(f"{name} = {values[name]:.4g} from the stations lies outside its bounds "
                            f"[{low:g}, {high:g}] and is clipped to them.")
            values[name] = float(np.clip(values[name], low, high))
        ensemble[name] = np.clip(ensemble[name], low, high)
    tail = 50.0 * (1.0 - interval_level)
    for name, samples in ensemble.items():
        interval = tuple(float(v) for v in np.percentile(samples, [tail, 100 - tail])) if samples.size else (
            float("nan"), float("nan"))
        (regression if name in regression else shared)[name]["interval"] = interval
    names = tuple(ensemble)
    provenance = {**initial.provenance, **{name: "C" for name in names}}
    step = {r.step for _, r in site_results}
    if len(step) > 1:
        raise InputError(f"The stations were fitted at different steps ({sorted(step)} s); give them one STEP.")
    params = replace(initial, values=values, provenance=provenance, name=f"calibrated on {len(site_results)} stations",
                     source="multi-site calibration", time_step_seconds=float(step.pop()), not_identified=())
    for site, result in site_results:
        warnings.extend(f"{site.name}: {w}" for w in result.warnings)
    return MultiSiteResult(parameters=params, initial=initial, bounds=dict(bounds), sites=site_results,
                           regression=regression, shared=shared, kept=kept,
                           members=np.column_stack([ensemble[n] for n in names]) if n_members else np.zeros((0, 0)),
                           ensemble_names=names, interval_level=interval_level, warnings=warnings)


def _replicates(site_results, name, n_members):
    """replicates x stations: a coefficient's bootstrap values (its central value where it was not fitted)."""
    columns = []
    for _, result in site_results:
        if name in result.fitted:
            columns.append(result.bootstrap["members"][:n_members, result.fitted.index(name)])
        else:
            columns.append(np.full(n_members, result.parameters.values[name]))
    return np.column_stack(columns) if n_members else np.zeros((0, len(site_results)))


def _weights(replicates):
    """1/variance per station from its replicates; equal weights without replicates or with zero variance."""
    if replicates.shape[0] < 2:
        return np.ones(replicates.shape[1])
    variance = replicates.var(axis=0, ddof=1)
    if not np.all(variance > 0):
        return np.ones(replicates.shape[1])
    return 1.0 / variance


def _usable_terms(terms, soils, initial, n_sites, kept):
    """The slopes the stations can determine: their property varies, and there are more stations than unknowns."""
    used = []
    for name, prop, reference in terms:
        if np.ptp(soils[prop]) == 0.0:
            kept[name] = f"every station has the same {prop} ({soils[prop][0]:g}), so its slope cannot be fitted"
        elif n_sites <= len(used) + 1:
            kept[name] = f"{n_sites} stations determine only {n_sites - 1} slope(s) beside the intercept"
        else:
            used.append((name, prop, reference))
    for name, why in kept.items():
        if name in {t[0] for t in terms}:
            kept[name] = f"{why}; kept at {initial.values[name]:g}"
    return used


def _weighted_fit(design, target, weights):
    root = np.sqrt(weights)
    return np.linalg.lstsq(design * root[:, None], target * root, rcond=None)[0]


def _theta_ref_for(values, initial):
    """theta_ref at theta_c plus the starting distance, as each station's fit kept it."""
    return {"theta_ref": values["theta_c"] + initial.theta_ref - initial.theta_c}
