"""The numbers behind the dock's plots, kept apart from the widgets (as Crayfish's plot.py).

Pure functions of core results: no Qt, no qgis and no pyqtgraph, so a test or a script gets exactly
the arrays the dock draws and exports. The modelled flux is ``core.calibration``'s (the steps of
``calibration_data`` and ``model_flux`` over ``core.fluxscheme``), so what the dock shows is what
desertcarbon:calibrate fits and desertcarbon:fluxscheme integrates. Sums are taken on the full
arrays; only the display is ever downsampled.
"""
import calendar
import csv
import re
from dataclasses import dataclass, field

import numpy as np

from ..core import fluxscheme as fs
from ..core.calibration import calibration_data, model_flux
from ..core.errors import InputError
from ..core.stations import resample
from ..core.text_output import finite_or_none
from ..core.timeaxis import day_index, years_of

# Display units (labels) and the ASCII units of the exported CSV headers.
LABEL_UNITS = {"flux": "µmol CO₂ m⁻² s⁻¹", "temperature": "°C", "delta_t": "K", "theta10": "m³ m⁻³",
               "rn": "W m⁻²", "p": "mm per step", "cumulative": "g CO₂ m⁻²", "annual": "g CO₂ m⁻² a⁻¹"}
CSV_UNITS = {"fc": "umol_m-2_s-1", "r1": "umol_m-2_s-1", "r2": "umol_m-2_s-1", "r3": "umol_m-2_s-1",
             "rs": "umol_m-2_s-1", "t0": "degC", "t10": "degC", "delta_t": "K", "theta10": "m3_m-3",
             "rn": "W_m-2", "p": "mm", "cumulative_observed": "gCO2_m-2", "cumulative_modelled": "gCO2_m-2"}
REGIMES = ("uptake season", "moisture-activated")
STEPS = {"as read": None, "hourly": 3600, "daily": 86400}
MODEL_DRIVERS = ("t0", "t10", "theta10")        # what the scheme needs besides the parameters
MIN_YEAR_COVERAGE = 1.0 / 365.0                  # a year with less than a day of compared steps is not plotted


@dataclass
class StationPlotData:
    """A station series and the scheme on it, every array on the series' regular time axis.

    ``times`` are the table clock's epoch seconds of the start of each step (float, for plotting).
    ``components`` (r1, r2, r3, rs) are NaN where a driver is missing and empty when the model
    cannot run (``model_note`` says why). Cumulative sums, diel cycles and annual totals use the
    ``compared`` steps only, so observed and modelled compare like with like.
    """
    times: np.ndarray
    step: int
    observed: np.ndarray
    drivers: dict
    components: dict
    thresholds: dict
    regimes: dict                   # regime name -> (n, 2) array of [start, end) epoch seconds
    cumulative: dict
    compared: np.ndarray            # steps with an observed flux and (when there is a model) a modelled one
    model_note: str = ""
    notes: list = field(default_factory=list)
    missing_drivers: tuple = ()     # the scheme's drivers the table lacks (the model is then not run)

    @property
    def modelled(self):
        return self.components.get("rs")

    @property
    def driver_rows(self):
        """Plots of drivers under the flux: T0 and T10 share one, every other driver has its own."""
        drivers = set(self.drivers)
        return bool(drivers & {"t0", "t10"}) + len(drivers - {"t0", "t10"})

    @property
    def month_count(self):
        """Calendar months the series touches (one diel-cycle plot each at most)."""
        return int(np.unique(self.times.astype(np.int64).astype("datetime64[s]").astype("datetime64[M]")).size)

    def time_series_table(self):
        """Every curve of the time-series view as CSV columns (header -> array)."""
        stamps = self.times.astype(np.int64)
        table = {"time": stamps.astype("datetime64[s]").astype(str), "epoch_s": stamps,
                 f"fc_observed_{CSV_UNITS['fc']}": self.observed}
        table.update({f"{k}_modelled_{CSV_UNITS[k]}": v for k, v in self.components.items()})
        table.update({f"{k}_{CSV_UNITS[k]}": v for k, v in self.drivers.items()})
        table.update({f"{k}_{CSV_UNITS[k]}": v for k, v in self.cumulative.items()})
        for name in REGIMES:
            table[name.replace(" ", "_").replace("-", "_")] = in_intervals(self.times, self.regimes[name])
        return table


def station_plot_data(series, params, step=None):
    """Observed and modelled flux, drivers, regimes, thresholds and cumulative sums of a series.

    ``step`` (3600 or 86400) averages the series first with ``core.stations.resample``.
    """
    notes = []
    if step and step != series.step:
        series = resample(series, step)
        notes.append(series.report.notes[-1])
    if params.time_step_seconds and params.time_step_seconds != series.step:
        notes.append(f"the parameters were fitted at a {params.time_step_seconds:g} s step; the series has "
                     f"{series.step} s steps")
    columns = series.columns
    drivers = {name: columns[name] for name in ("t0", "t10") if name in columns}
    if len(drivers) == 2:
        drivers["delta_t"] = columns["t0"] - columns["t10"]
    drivers.update({name: columns[name] for name in ("theta10", "rn", "p") if name in columns})
    observed = columns.get("fc", np.full(series.times.size, np.nan))
    components, model_note = {}, ""
    missing = tuple(name for name in MODEL_DRIVERS if name not in columns)
    try:
        components = {} if missing else model_components(series, params)
    except InputError as error:
        model_note = str(error)
    regimes = {name: np.zeros((0, 2)) for name in REGIMES}
    if "t0" in columns and "t10" in columns and "theta10" in columns:
        uptake, wet = fs.regime_masks(columns["t0"], columns["t10"], columns["theta10"], day_index(series.times),
                                      params, net_radiation=columns.get("rn"))
        regimes = {"uptake season": mask_intervals(series.times, uptake, series.step),
                   "moisture-activated": mask_intervals(series.times, wet, series.step)}
    compared = np.isfinite(observed)
    if components:
        compared &= np.isfinite(components["rs"])
    cumulative = {"cumulative_observed": np.cumsum(fs.step_grams_co2(np.where(compared, observed, 0.0), series.step))}
    if components:
        cumulative["cumulative_modelled"] = np.cumsum(
            fs.step_grams_co2(np.where(compared, components["rs"], 0.0), series.step))
    thresholds = {"delta_t0": params.delta_t0, "regime_delta_t": params.regime_delta_t,
                  "theta_c": params.theta_c, "regime_rn": params.regime_rn}
    return StationPlotData(times=series.times.astype(np.float64), step=series.step,
                           observed=observed, drivers=drivers, components=components, thresholds=thresholds,
                           regimes=regimes, cumulative=cumulative, compared=compared, model_note=model_note,
                           notes=notes, missing_drivers=missing)


def model_components(series, params):
    """R1, R2, R3 and Rs on the full time axis (NaN where a driver is missing).

    Rs is ``core.calibration.model_flux`` itself; the components are ``core.fluxscheme``'s with R3
    at the station's reference state, as model_flux evaluates it.
    """
    data = calibration_data(series)
    rows = np.searchsorted(series.times, data.times)
    r1, r2, r3 = fs.flux_components(data.t0, data.t10, data.theta10, data.tendency, params,
                                    soc=params.soc_ref, ph=params.ph_ref, salt=params.salt_ref)
    out = {}
    for name, values in (("r1", r1), ("r2", r2), ("r3", r3), ("rs", model_flux(data, params))):
        out[name] = np.full(series.times.size, np.nan)
        out[name][rows] = values
    return out


def mask_intervals(times, mask, step):
    """Runs of True in ``mask`` as an (n, 2) array of [start, end) times."""
    edges = np.diff(np.r_[0, np.asarray(mask, dtype=np.int8), 0])
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return np.column_stack([times[starts], times[stops - 1] + step]).astype(np.float64)


def in_intervals(times, intervals):
    """Whether each time lies in one of the [start, end) intervals (sorted, not overlapping)."""
    at = np.searchsorted(intervals[:, 0], times, side="right") - 1
    inside = at >= 0
    inside[inside] = times[inside] < intervals[at[inside], 1]
    return inside


@dataclass
class DielCycles:
    """Mean diel cycle per calendar month, over the steps where observed and modelled both exist."""
    months: list                    # 'YYYY-MM'
    hours: np.ndarray               # hour of day of each bin start (table clock)
    observed: np.ndarray            # (months, bins), µmol m-2 s-1
    modelled: np.ndarray            # (months, bins), NaN rows when there is no model
    counts: np.ndarray              # (months, bins) steps averaged

    @property
    def centres(self):
        """Hour of day of each bin's middle, where its mean is drawn."""
        return self.hours + self.hours[1] / 2

    def complete(self):
        """Indices of the months with a value in every bin of the day (the others are in the CSV only)."""
        return [i for i in range(len(self.months)) if (self.counts[i] > 0).all()]

    def value_range(self, months):
        """(lowest, highest) observed or modelled mean of ``months``: one y range for all their plots."""
        shown = np.concatenate([self.observed[months], self.modelled[months]])
        return float(np.nanmin(shown)), float(np.nanmax(shown))

    def table(self):
        month = np.repeat(self.months, self.hours.size)
        return {"month": month, "hour": np.tile(self.hours, len(self.months)),
                f"fc_observed_{CSV_UNITS['fc']}": self.observed.ravel(),
                f"rs_modelled_{CSV_UNITS['rs']}": self.modelled.ravel(), "steps": self.counts.ravel()}


def diel_cycles(data):
    if data.step >= 86400:
        raise InputError("A diel cycle needs sub-daily steps; this series has daily steps.")
    stamps = data.times.astype(np.int64).astype("datetime64[s]")
    month_number = stamps.astype("datetime64[M]").astype(np.int64)
    bins_per_day = 86400 // data.step
    hour_bin = (data.times.astype(np.int64) % 86400) // data.step
    months = np.unique(month_number)
    keys = np.searchsorted(months, month_number) * bins_per_day + hour_bin
    size = months.size * bins_per_day
    counts = np.bincount(keys[data.compared], minlength=size)

    def mean(values):
        if values is None:
            return np.full((months.size, bins_per_day), np.nan)
        sums = np.bincount(keys[data.compared], weights=values[data.compared], minlength=size)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (sums / counts).reshape(months.size, bins_per_day)

    labels = [str(m) for m in months.astype("datetime64[M]")]
    return DielCycles(months=labels, hours=np.arange(bins_per_day) * data.step / 3600.0,
                      observed=mean(data.observed), modelled=mean(data.modelled),
                      counts=counts.reshape(months.size, bins_per_day))


@dataclass
class AnnualTotals:
    """Per calendar year, g CO2 m-2: observed and modelled over the same steps, and gap-filled."""
    years: np.ndarray
    observed: np.ndarray            # Σ observed over the compared steps
    modelled: np.ndarray            # Σ modelled over the same steps
    modelled_all: np.ndarray        # Σ modelled over every step with drivers (gaps in Fc filled)
    coverage: np.ndarray            # compared steps / steps of a full year

    def shown(self):
        """The years worth a bar: at least a day of steps with observed (and modelled) flux."""
        return self.coverage >= MIN_YEAR_COVERAGE

    def table(self):
        return {"year": self.years, "observed_gCO2_m-2": self.observed, "modelled_gCO2_m-2": self.modelled,
                "modelled_gapfilled_gCO2_m-2": self.modelled_all, "coverage": self.coverage}


def annual_totals(data):
    times = data.times.astype(np.int64)
    years = years_of(times)
    labels, index = np.unique(years, return_inverse=True)

    def total(values, use):
        if values is None:
            return np.full(labels.size, np.nan)
        return np.bincount(index[use], weights=fs.step_grams_co2(values[use], data.step), minlength=labels.size)

    days = np.array([366 if calendar.isleap(y) else 365 for y in labels])
    coverage = np.bincount(index[data.compared], minlength=labels.size) / (days * 86400 / data.step)
    modelled = data.modelled
    return AnnualTotals(years=labels, observed=total(data.observed, data.compared),
                        modelled=total(modelled, data.compared),
                        modelled_all=total(modelled, None if modelled is None else np.isfinite(modelled)),
                        coverage=coverage)


def robust_y_range(arrays, share=0.002):
    """(low, high) covering the bulk of the values, from 0 when all are above it: a few flux spikes would
    flatten the rest. None when there are no finite values."""
    values = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.zeros(0)
    if not values.size:
        return None
    low, high = np.quantile(values, [share, 1 - share])
    return min(low, 0.0), high


def write_csv(table, path):
    """Columns ({header: array}) or rows ([{header: value}]) as CSV; NaN and None as empty cells,
    floats in full precision (repr)."""
    if isinstance(table, dict):
        header = list(table)
        rows = zip(*(np.asarray(values).tolist() for values in table.values()))
    else:
        header = list(table[0]) if table else []
        rows = ([row[name] for name in header] for row in table)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])


def _cell(value):
    """A CSV cell: floats in full precision (repr), NaN, inf and None empty."""
    if isinstance(value, float):
        value = finite_or_none(value)
        return "" if value is None else repr(value)
    return "" if value is None else value


# ---- scenario tables -----------------------------------------------------------------------------

SCENARIO_ROLES = ("year", "polygon", "baseline", "baseline_low", "baseline_high", "scenario", "scenario_low",
                  "scenario_high", "cumulative", "cumulative_low", "cumulative_high", "parameter_low",
                  "parameter_high", "interannual_sd")
POLYGON_NAMES = ("feature_id", "polygon", "polygon_id", "feature", "region", "zone", "name", "id", "fid")
REGION_LABELS = ("region", "total", "all", "sum")
LOW_WORDS = ("low", "lower", "lo", "min", "p05", "p025", "p2.5", "p5", "q05", "q025")
HIGH_WORDS = ("high", "upper", "hi", "max", "p95", "p975", "p97.5", "q95", "q975")


def detect_scenario_columns(names):
    """role (SCENARIO_ROLES) -> column name or None, from the words of the names (case-insensitive).

    desertcarbon:scenario's table is found as it is (feature_id, year, baseline_PgCO2_a,
    scenario_PgCO2_a, scenario_min/max_PgCO2_a, its cumulative column and that one's min/max);
    other tables by the same words: a column is a band edge when one of its words is in LOW_WORDS
    or HIGH_WORDS, "cumulative" (or "cum") makes the cumulative change or gain, "baseline" and
    "scenario" the two trajectories; "parameter" with an edge word the parameter ensemble's band of the
    scenario, "interannual" with "sd" the baseline's interannual sd.
    """
    words = {name: set(re.split(r"[^a-z0-9.]+", name.lower())) for name in names}
    roles = dict.fromkeys(SCENARIO_ROLES)
    roles["year"] = next((n for n in names if n.lower() in ("year", "years")), None)
    roles["polygon"] = next((n for key in POLYGON_NAMES for n in names if n.lower() == key), None)
    for name, found in words.items():
        edge = "_low" if found & set(LOW_WORDS) else "_high" if found & set(HIGH_WORDS) else ""
        if "interannual" in found and "sd" in found:
            roles["interannual_sd"] = roles["interannual_sd"] or name
            continue
        if "parameter" in found:          # the parameter ensemble's 5-95 % of the scenario (scenario_parameter_p05...)
            if edge and not roles["parameter" + edge]:
                roles["parameter" + edge] = name
            continue
        kind = ("cumulative" if found & {"cumulative", "cum"} else "baseline" if "baseline" in found
                else "scenario" if "scenario" in found else None)
        if kind and not roles[kind + edge]:
            roles[kind + edge] = name
    return roles


def cumulative_meaning(column):
    """What the cumulative column's sign means, from its name."""
    name = (column or "").lower()
    if "gain" in name:
        return "uptake gain over the baseline (positive = more uptake)" if "uptake" in name else "gain"
    if "change" in name:
        return "change, scenario − baseline (negative = more uptake)"
    return column or ""


@dataclass
class ScenarioData:
    """Per year (sorted), the region's and each polygon's values of every role found (NaN elsewhere)."""
    years: np.ndarray
    region_label: str               # the table's region rows, or 'sum of polygons'
    region: dict                    # role -> array over years
    polygons: dict                  # polygon label -> {role: array over years}
    roles: dict

    def table(self):
        rows = [("region: " + self.region_label, self.region)] + list(self.polygons.items())
        values = [role for role in SCENARIO_ROLES[2:] if self.roles.get(role)]
        out = {"polygon": np.repeat([label for label, _ in rows], self.years.size),
               "year": np.tile(self.years, len(rows))}
        for role in values:
            out[f"{role}_{SCENARIO_UNITS[role]}"] = np.concatenate([series[role] for _, series in rows])
        return out


SCENARIO_UNITS = {role: "PgCO2" if role.startswith("cumulative") else "PgCO2_a-1" for role in SCENARIO_ROLES[2:]}


@dataclass
class TotalsBands:
    """A drawn polygon's yearly totals with their uncertainty parts, in Pg CO2 a-1 (NaN where a part is missing)."""
    labels: list                    # the flux raster's band labels (years)
    total: np.ndarray
    parameter_low: np.ndarray       # 5 % of the ensemble members' totals, per year
    parameter_high: np.ndarray      # 95 %
    mean: float
    interannual_sd: float
    parameter_sd: float             # of the members' means over the years
    combined: float
    headline: str


def totals_bands(result) -> TotalsBands:
    """What the totals tab draws from a core.aggregate.AggregateResult of one polygon (its first)."""
    rows = [row for row in result.rows() if row["feature_id"] == result.polygons[0].feature_id]
    yearly, mean = rows[:-1], rows[-1]
    return TotalsBands(labels=[row["year"] for row in yearly],
                       total=np.array([row["total_PgCO2_a"] for row in yearly], dtype=np.float64),
                       parameter_low=np.array([row["ensemble_p05_PgCO2_a"] for row in yearly], dtype=np.float64),
                       parameter_high=np.array([row["ensemble_p95_PgCO2_a"] for row in yearly], dtype=np.float64),
                       mean=float(mean["total_PgCO2_a"]), interannual_sd=float(mean["interannual_sd_PgCO2_a"]),
                       parameter_sd=float(mean["ensemble_sd_PgCO2_a"]),
                       combined=float(mean["combined_uncertainty_PgCO2_a"]), headline=result.headlines()[0])
SUMMABLE = ("baseline", "scenario", "cumulative")     # band edges (quantiles, envelopes) do not add up


def scenario_data(columns, roles):
    """Trajectories from a scenario table given as {column: values} (text or numbers) and the roles."""
    if not roles.get("year"):
        raise InputError("The scenario table needs a year column; choose it under Columns.")
    if not any(roles.get(r) for r in SUMMABLE):
        raise InputError("The scenario table needs at least one of a baseline, a scenario or a cumulative "
                         "column; choose them under Columns.")
    year_values = _numbers(columns[roles["year"]], roles["year"])
    rows = np.isfinite(year_values)
    years = np.unique(year_values[rows])
    labels = (np.array([str(v) for v in columns[roles["polygon"]]]) if roles.get("polygon")
              else np.full(year_values.size, REGION_LABELS[0]))
    present = [role for role in SCENARIO_ROLES[2:] if roles.get(role)]
    values = {role: _numbers(columns[roles[role]], roles[role]) for role in present}

    def series_of(selected):
        out = {}
        position = np.searchsorted(years, year_values[selected])
        for role in SCENARIO_ROLES[2:]:
            out[role] = np.full(years.size, np.nan)
            if role in values:
                out[role][position] = values[role][selected]
        return out

    is_region = np.isin(np.char.lower(labels.astype(str)), REGION_LABELS)
    polygons = {str(label): series_of(rows & (labels == label)) for label in dict.fromkeys(labels[rows & ~is_region])}
    if (rows & is_region).any():
        region_label = str(labels[rows & is_region][0])
        region = series_of(rows & is_region)
    else:
        region_label = "sum of polygons"
        region = {role: np.full(years.size, np.nan) for role in SCENARIO_ROLES[2:]}
        for role in SUMMABLE:
            if role in values:
                region[role] = np.sum([p[role] for p in polygons.values()], axis=0)
    return ScenarioData(years=years, region_label=region_label, region=region, polygons=polygons, roles=dict(roles))


def _numbers(values, column):
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "na", "nan", "null")):
            continue
        try:
            out[i] = float(value)
        except (TypeError, ValueError):
            raise InputError(f"Scenario table, column {column!r}, row {i + 1}: {value!r} is not a number.") from None
    return out
