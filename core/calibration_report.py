"""What ``calibrate`` leaves behind: the parameter file every algorithm accepts, and an HTML report.

The parameter file is a ``desert_carbon.parameters`` document: fitted entries carry provenance "C"
and their bootstrap interval as "uncertainty"; the top level records the station, the period, the
fit statistics and the time step the coefficients were fitted at (``fluxscheme`` refuses them at
another step). The report draws its plots as inline SVG with the small helper below, so it needs
no plotting library and opens in any browser.
"""
from __future__ import annotations

import html
import json
import math
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike

from .benchmarks import LABELS as MODEL_LABELS
from .calibration import MODELS, NOT_FITTED_BECAUSE, NOT_IDENTIFIED_SPAN, CalibrationResult
from .parameters import FORMAT_NAME, REQUIRED_UNITS, parameters_from_document
from .text_output import (PathLike, finite_or_none, format_value, html_list, html_page, html_table,
                          write_text_atomically)

FLUX_UNIT = "µmol CO₂ m⁻² s⁻¹"
SUM_UNIT = "g CO₂ m⁻²"
MAX_POINTS = 3000           # scatter points per plot: beyond this an SVG gets slow and unreadable
PAGE_STYLE = ("svg{margin:0.3em 1em 0.3em 0;vertical-align:top}"
              "pre{background:#f6f6f6;padding:0.5em;white-space:pre-wrap}")
PALETTE = {"observed": "#222222", "fit": "#d95f02", "initial": "#7570b3", "reference": "#999999"}


def parameter_document(result: CalibrationResult) -> dict:
    """The calibrated parameter set as a JSON-ready dict; it loads with ``parameters_from_document``."""
    first, last = result.period
    station = result.station.get("id") or result.station["source_file"]
    level = f"{result.interval_level:.0%}"
    entries = {}
    for name, unit in REQUIRED_UNITS.items():
        entry = {"value": result.parameters.values[name], "unit": unit, "bounds": list(result.bounds[name]),
                 "provenance": result.parameters.provenance[name]}
        if name in result.fitted:
            entry["note"] = (f"fitted to {station}, {first} to {last}, at a {result.step} s step; uncertainty: "
                             f"{level} block-bootstrap percentile interval")
            if all(math.isfinite(v) for v in result.intervals[name]):
                entry["uncertainty"] = list(result.intervals[name])
            entry["identified"] = name not in result.not_identified
            if name in result.not_identified:
                entry["note"] += (f"; NOT IDENTIFIED: the interval covers at least {NOT_IDENTIFIED_SPAN:.0%} of the "
                                  f"bounds")
        else:
            why = result.fixed.get(name) or NOT_FITTED_BECAUSE.get(name, "not fitted")
            entry["note"] = f"kept from {result.initial.source}: {why}"
        entries[name] = entry
    document = {
        "format": FORMAT_NAME, "format_version": 1, "name": result.parameters.name, "provenance": "calibrated",
        "description": (f"Coefficients of Rs = R1 + R2 + R3 fitted to the station series "
                        f"{result.station['source_file']} (docs/SCIENCE.md section 4): dry-step linear fit, wet-step "
                        f"robust fit of R2, joint refit with an annual-sum penalty; [C] calibrated, other "
                        f"letters as in the starting file."),
        "time_step": {"seconds": result.step},
        "station": {**result.station, "column_mapping": result.column_mapping},
        "period": {"first": first, "last": last},
        "fit_statistics": _fit_statistics(result),
        "benchmarks": benchmark_summary(result),
        "parameters": entries,
        "ensemble": ensemble_block(result),
    }
    document = json_ready(document)
    parameters_from_document(document, "calibration result")     # what fluxscheme will check
    return document


def benchmark_summary(result: CalibrationResult) -> dict:
    """Held-out scores of the fit, the starting coefficients and the benchmark models, as the file keeps them."""
    validation = result.validation
    return {"scheme": validation["scheme"], "models": {name: MODEL_LABELS[name] for name in MODELS},
            "held_out": {name: validation[name] for name in MODELS},
            "loses_to": [name for name in ("null", "q10")
                         if validation["fit"]["rmse"] > validation[name]["rmse"]
                         or validation["fit"]["mean_abs_sum_error"] > validation[name]["mean_abs_sum_error"]]}


def ensemble_block(result: CalibrationResult) -> dict:
    """The bootstrap replicates' fitted coefficients: one member per replicate (``load_ensemble`` reads them)."""
    return {"method": f"block bootstrap, {result.bootstrap['scheme']}, seed {result.bootstrap['seed']}",
            "coefficients": list(result.fitted),
            "members": [[float(v) for v in row] for row in np.asarray(result.bootstrap["members"])]}


def write_parameter_file(result: CalibrationResult, path: PathLike) -> None:
    """``parameter_document`` as JSON, written atomically."""
    write_document(parameter_document(result), path)


def write_document(document: dict, path: PathLike) -> None:
    """A parameter document as strict JSON (no NaN), written atomically."""
    write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def write_report_html(result: CalibrationResult, path: PathLike) -> None:
    """``report_html`` written atomically."""
    write_text_atomically(path, report_html(result))


def report_html(result: CalibrationResult) -> str:
    """The calibration report: coefficients, statistics, folds, annual sums, plots (inline SVG), warnings."""
    data = result.data
    residual = result.modelled - data.fc
    first, last = result.period
    station = result.station
    where = ", ".join(str(v) for v in (station.get("name"), station.get("id")) if v) or station["source_file"]
    level = f"{result.interval_level:.0%}"
    shown = _subsample(data.fc.size)
    sections = [
        f"<p>Station table {_e(station['source_file'])}; latitude {_e(station.get('lat'))}, longitude "
        f"{_e(station.get('lon'))}; {data.fc.size} steps of {result.step} s with Fc and every driver, {first} to "
        f"{last} (table clock). Sign: positive = release to the atmosphere.</p>",
        "<h2>Coefficients</h2>", _coefficient_table(result),
        f"<p>Intervals: {level} percentile intervals of {result.bootstrap['used']} bootstrap replicates "
        f"({_e(result.bootstrap['scheme'])}; seed {result.bootstrap['seed']}). Robust (soft-L1) loss scale "
        f"{result.robust_scale:.3g} {FLUX_UNIT}; annual-sum penalty weight {result.annual_penalty_weight:g}.</p>",
        "<h2>Fit statistics</h2>", _statistics_table(result),
        "<p>Benchmarks on the same held-out steps: the null model is the training mean; the Q10 × moisture "
        "model is R10·Q10^((T10−10)/10)·θ10/(θ10 + K), fitted with the same robust loss. The fitted scheme should "
        "beat both out of sample; the warnings say when it does not.</p>",
        f"<h3>Held-out folds ({_e(result.validation['scheme'])})</h3>", _fold_table(result),
        f"<h2>Annual sums ({SUM_UNIT})</h2>", _annual_table(result), _annual_plot(result),
        "<h2>Observed and modelled</h2>",
        _scatter_plot(data.fc[shown], result.modelled[shown], "Observed vs modelled Rs",
                      f"observed Fc ({FLUX_UNIT})", f"modelled Rs ({FLUX_UNIT})", one_to_one=True),
        _time_series_plot(result),
        "<h2>Residuals (modelled − observed) against the drivers</h2>",
        f"<p>{len(shown)} of {data.fc.size} steps shown (evenly spaced) in each scatter plot.</p>",
        *(_scatter_plot(values[shown], residual[shown], f"Residual vs {label}", f"{label} ({unit})",
                        f"residual ({FLUX_UNIT})", zero_line=True)
          for label, values, unit in (("ΔT = T0 − T10", data.delta_t, "K"), ("dT̄/dt", data.tendency, "K h⁻¹"),
                                      ("θ10", data.theta10, "m³ m⁻³"), ("T10", data.t10, "°C"))),
        "<h2>Station series</h2><p>Where each column came from (depth mapping):</p>"
        + html_list(result.column_mapping),
        f"<pre>{_e(result.series_summary)}</pre>",
        "<h2>Warnings</h2>" + html_list(result.warnings),
    ]
    return html_page(f"Calibration of the flux scheme: {where}", "\n".join(sections), extra_style=PAGE_STYLE)


# ---- document ----------------------------------------------------------------------------------

def _fit_statistics(result):
    return {
        "units": {"rmse, bias, mae": "umol m-2 s-1", "sums": "g CO2 m-2 over the steps named"},
        "in_sample": result.statistics,
        "validation": result.validation,
        "annual_sums": [{
            "year": a.year, "steps": a.steps, "observed_steps": a.observed_steps, "expected_steps": a.expected_steps,
            "observed": a.observed, "modelled": a.modelled, "modelled_interval": list(a.modelled_interval),
            "annual_sum_error": a.modelled - a.observed, "initial": a.initial,
            "modelled_total": a.modelled_total, "modelled_total_interval": list(a.modelled_total_interval)}
            for a in result.annual],
        "bootstrap": {**{k: v for k, v in result.bootstrap.items() if k != "members"},
                      "interval_level": result.interval_level},
        "fitted": list(result.fitted), "kept": result.fixed, "not_identified": list(result.not_identified),
        "annual_penalty_weight": result.annual_penalty_weight, "robust_scale": result.robust_scale,
        "starting_parameters": result.initial.source, "warnings": result.warnings,
    }


def json_ready(value):
    """Plain JSON types; NaN (no interval, no score) becomes null."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return finite_or_none(value)
    return value


# ---- tables ------------------------------------------------------------------------------------

def _e(value):
    return html.escape(str(value))


def _interval(low, high, digits=4):
    """'[low, high]' for a cell; empty when the interval is unknown (NaN), as html_table shows a missing number."""
    if finite_or_none(low) is None or finite_or_none(high) is None:
        return ""
    return f"[{format_value(low, digits)}, {format_value(high, digits)}]"


def _coefficient_table(result):
    rows = []
    for name in REQUIRED_UNITS:
        fitted = name in result.fitted
        interval = result.intervals.get(name)
        rows.append([name, REQUIRED_UNITS[name], result.initial.values[name], result.parameters.values[name],
                     _interval(*interval) if fitted else "",
                     result.parameters.provenance[name], "[{:g}, {:g}]".format(*result.bounds[name]),
                     _status(result, name)])
    return html_table(["coefficient", "unit", "start", "value", f"{result.interval_level:.0%} interval",
                       "provenance", "bounds", "status"], rows)


def _status(result, name):
    if name in result.not_identified:
        return "fitted, NOT IDENTIFIED (the interval covers at least half the bounds)"
    if name in result.fitted:
        return "fitted"
    return result.fixed.get(name) or NOT_FITTED_BECAUSE.get(name, "")


def _statistics_table(result):
    rows = []
    for label, group, models in (("all steps (in sample)", result.statistics, ("fit", "initial")),
                                 ("held out", result.validation, MODELS)):
        for which in models:
            s = group[which]
            rows.append([label, MODEL_LABELS[which], s["n"], s["r2"], s["rmse"], s["bias"], s["mae"],
                         s.get("mean_abs_sum_error", "")])
    return html_table(["steps", "model", "n", "R²", f"RMSE ({FLUX_UNIT})", f"bias ({FLUX_UNIT})",
                       f"MAE ({FLUX_UNIT})", f"mean |fold-sum error| ({SUM_UNIT})"], rows)


def _fold_table(result):
    rows = [[f["fold"], f["n"], f["observed_sum"]] + [f[f"rmse_{m}"] for m in MODELS]
            + [f[f"sum_error_{m}"] for m in MODELS] for f in result.validation["folds"]]
    return html_table(["held out", "n", f"observed sum ({SUM_UNIT})"]
                      + [f"RMSE {MODEL_LABELS[m]}" for m in MODELS]
                      + [f"sum error {MODEL_LABELS[m]}" for m in MODELS], rows)


def _annual_table(result):
    # sums to 6 significant digits, their error to 4
    rows = [[a.year, f"{a.observed_steps} / {a.expected_steps}", a.observed, a.modelled,
             _interval(*a.modelled_interval, digits=6), format_value(a.modelled - a.observed, 4), a.initial,
             a.modelled_total, _interval(*a.modelled_total_interval, digits=6)]
            for a in result.annual]
    return (html_table(["year", "steps with Fc / in a full year", "observed", "modelled", "interval", "error",
                        "starting coefficients", "modelled, gaps filled", "interval"], rows, digits=6)
            + "<p>Observed, modelled and starting sums are over the same steps, those with Fc; "
              "“gaps filled” sums the model over every step with drivers.</p>")


# ---- plots -------------------------------------------------------------------------------------

def _subsample(n):
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS)).astype(np.int64))


def _scatter_plot(x, y, title, x_label, y_label, one_to_one=False, zero_line=False):
    chart = SvgChart(title, x_label, y_label, [x], [y])
    if one_to_one:
        low, high = max(chart.x_range[0], chart.y_range[0]), min(chart.x_range[1], chart.y_range[1])
        chart.line([low, high], [low, high], PALETTE["reference"], "1:1", dash=True)
    if zero_line:
        chart.line(chart.x_range, [0.0, 0.0], PALETTE["reference"], dash=True)
    chart.points(x, y, PALETTE["fit"])
    return chart.svg()


def _time_series_plot(result):
    data = result.data
    days, index = np.unique(data.days, return_inverse=True)
    counts = np.bincount(index)

    def daily(values):
        return np.bincount(index, weights=values) / counts

    series = [(daily(data.fc), "observed", PALETTE["observed"]), (daily(result.modelled), "calibrated", PALETTE["fit"]),
              (daily(result.modelled_initial), "starting coefficients", PALETTE["initial"])]
    chart = SvgChart("Daily means of the steps with Fc", "date", f"Rs ({FLUX_UNIT})", [days.astype(float)],
                     [values for values, _, _ in series], x_format=_day_label)
    for values, label, colour in series:
        chart.line(days.astype(float), values, colour, label, gaps=True)
    return chart.svg()


def _annual_plot(result):
    years = np.array([a.year for a in result.annual], dtype=float)
    observed = np.array([a.observed for a in result.annual])
    modelled = np.array([a.modelled for a in result.annual])
    low = np.array([a.modelled_interval[0] for a in result.annual])
    high = np.array([a.modelled_interval[1] for a in result.annual])
    initial = np.array([a.initial for a in result.annual])
    chart = SvgChart(f"Annual sums over the steps with Fc, {result.interval_level:.0%} intervals", "year",
                     f"sum ({SUM_UNIT})", [years - 0.3, years + 0.3],
                     [observed, modelled, low, high, initial, [0.0]], x_format=lambda v: f"{v:.0f}",
                     integer_ticks=True)
    chart.bars(years, low, high, PALETTE["fit"])
    chart.points(years - 0.1, observed, PALETTE["observed"], "observed", radius=4)
    chart.points(years, modelled, PALETTE["fit"], "calibrated", radius=4)
    chart.points(years + 0.1, initial, PALETTE["initial"], "starting coefficients", radius=4)
    return chart.svg()


def _day_label(day_number):
    return str(np.datetime64(int(round(day_number)), "D"))


def nice_ticks(low: float, high: float, count: int = 5) -> list:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    raw = (high - low) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [first + i * step for i in range(int(math.floor((high - first) / step + 1e-9)) + 1)]


class SvgChart:
    """A small SVG chart: linear axes with ticks, labels and units; points, lines, error bars, legend."""
    WIDTH, HEIGHT = 560, 340
    LEFT, RIGHT, TOP, BOTTOM = 78, 16, 30, 52

    def __init__(self, title, x_label, y_label, x_values, y_values, x_format=None, integer_ticks=False):
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.x_range = _padded_range(x_values)
        self.y_range = _padded_range(y_values)
        self.x_format = x_format or _tick_label
        self.integer_ticks = integer_ticks
        self.items, self.legend = [], []

    def _x(self, value):
        low, high = self.x_range
        return self.LEFT + (value - low) / (high - low) * (self.WIDTH - self.LEFT - self.RIGHT)

    def _y(self, value):
        low, high = self.y_range
        return self.HEIGHT - self.BOTTOM - (value - low) / (high - low) * (self.HEIGHT - self.TOP - self.BOTTOM)

    def points(self, x: Iterable[float], y: Iterable[float], colour: str, label: str | None = None,
               radius: float = 1.6) -> None:
        self.items += [f'<circle cx="{self._x(a):.1f}" cy="{self._y(b):.1f}" r="{radius}" fill="{colour}" '
                       f'fill-opacity="0.6"/>' for a, b in zip(x, y) if math.isfinite(a) and math.isfinite(b)]
        if label:
            self.legend.append((label, colour))

    def line(self, x: ArrayLike, y: ArrayLike, colour: str, label: str | None = None, dash: bool = False,
             gaps: bool = False) -> None:
        """A polyline; with ``gaps`` it breaks where consecutive x differ by more than one."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        breaks = np.flatnonzero(np.diff(x) > 1) + 1 if gaps else []
        for xs, ys in zip(np.split(x, breaks), np.split(y, breaks)):
            coordinates = " ".join(f"{self._x(a):.1f},{self._y(b):.1f}" for a, b in zip(xs, ys))
            self.items.append(f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="1.3"'
                              + (' stroke-dasharray="5,4"' if dash else "") + "/>")
        if label:
            self.legend.append((label, colour))

    def bars(self, x: Iterable[float], low: Iterable[float], high: Iterable[float], colour: str) -> None:
        for a, b, c in zip(x, low, high):
            if math.isfinite(b) and math.isfinite(c):
                px = self._x(a)
                self.items.append(f'<path d="M{px - 5:.1f},{self._y(b):.1f}h10M{px:.1f},{self._y(b):.1f}'
                                  f'V{self._y(c):.1f}M{px - 5:.1f},{self._y(c):.1f}h10" stroke="{colour}" '
                                  f'stroke-width="1.5" fill="none"/>')

    def svg(self) -> str:
        w, h = self.WIDTH, self.HEIGHT
        bottom, right = h - self.BOTTOM, w - self.RIGHT
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                 f'font-family="sans-serif" font-size="11" role="img" aria-label="{_e(self.title)}">',
                 f'<text x="{w / 2}" y="16" text-anchor="middle" font-size="13">{_e(self.title)}</text>',
                 f'<rect x="{self.LEFT}" y="{self.TOP}" width="{right - self.LEFT}" height="{bottom - self.TOP}" '
                 f'fill="none" stroke="#444"/>']
        x_ticks = nice_ticks(*self.x_range, count=5)
        if self.integer_ticks:
            x_ticks = sorted({round(t) for t in x_ticks if self.x_range[0] <= round(t) <= self.x_range[1]})
        for tick in x_ticks:
            px = self._x(tick)
            parts.append(f'<line x1="{px:.1f}" y1="{bottom}" x2="{px:.1f}" y2="{bottom + 4}" stroke="#444"/>'
                         f'<text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">{_e(self.x_format(tick))}</text>')
        for tick in nice_ticks(*self.y_range, count=5):
            py = self._y(tick)
            parts.append(f'<line x1="{self.LEFT - 4}" y1="{py:.1f}" x2="{self.LEFT}" y2="{py:.1f}" stroke="#444"/>'
                         f'<line x1="{self.LEFT}" y1="{py:.1f}" x2="{right}" y2="{py:.1f}" stroke="#eee"/>'
                         f'<text x="{self.LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{_e(_tick_label(tick))}</text>')
        parts.append(f'<text x="{(self.LEFT + right) / 2}" y="{h - 12}" text-anchor="middle">{_e(self.x_label)}</text>')
        parts.append(f'<text transform="translate(16,{(self.TOP + bottom) / 2}) rotate(-90)" text-anchor="middle">'
                     f'{_e(self.y_label)}</text>')
        parts += self.items
        for row, (label, colour) in enumerate(self.legend):
            y = self.TOP + 14 + 14 * row
            parts.append(f'<rect x="{self.LEFT + 8}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
                         f'<text x="{self.LEFT + 22}" y="{y + 1}">{_e(label)}</text>')
        parts.append("</svg>")
        return "".join(parts)


def _padded_range(groups):
    values = np.concatenate([np.asarray(g, dtype=float).ravel() for g in groups])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (0.0, 1.0)
    low, high = float(values.min()), float(values.max())
    pad = 0.05 * (high - low) if high > low else max(abs(low) * 0.1, 1.0)
    return (low - pad, high + pad)


def _tick_label(value):
    return f"{value:.6g}" if abs(value) > 1e-12 else "0"
