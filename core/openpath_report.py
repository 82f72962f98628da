"""What ``openpathcorrection`` leaves behind: the corrected series and the daily and annual sums as CSV, and
a one-page HTML summary, all written atomically through ``text_output``."""
from __future__ import annotations

import html

import numpy as np

from .openpath import OpenPathResult
from .text_output import PathLike, html_list, html_page, html_table, write_csv_atomically, write_text_atomically
from .timeaxis import iso

SERIES_FIELDS = ("time_start", "fc_open_path_umol_m2_s", "fc_corrected_umol_m2_s",
                 "fc_corrected_sd_umol_m2_s", "fc_reference_umol_m2_s", "in_overlap", "is_day")
SUMS_FIELDS = ("scale", "period", "part", "steps", "period_steps", "before_gCO2_m2", "after_gCO2_m2",
               "change_gCO2_m2", "change_sd_gCO2_m2", "change_low95_gCO2_m2", "change_high95_gCO2_m2")
SUMS_HEADER = ("period", "part", "steps", "of period steps", "before (g CO₂ m⁻²)", "after", "change", "change sd",
               "change 95 % low", "change 95 % high")
DIGITS = 5                          # significant digits of the summary's tables


def write_corrected_csv(result: OpenPathResult, path: PathLike) -> None:
    """The corrected series, one row per step (empty field for missing)."""
    rows = ([iso(time), fc, corrected, sd, reference, int(overlap), None if np.isnan(day) else int(day)]
            for time, fc, corrected, sd, reference, overlap, day in zip(
                result.times, result.fc_open_path, result.fc_corrected, result.fc_corrected_sd,
                result.fc_reference, result.in_overlap, result.is_day))
    write_csv_atomically(path, SERIES_FIELDS, rows)


def sums_rows(result: OpenPathResult) -> list:
    """The daily and annual sums as dicts keyed by SUMS_FIELDS (g CO2 m-2 per day or year)."""
    return [dict(zip(SUMS_FIELDS, (scale, s.period, s.part, s.steps, s.period_steps, s.before, s.after,
                                   s.change, s.after_sd, s.change_low, s.change_high)))
            for scale, rows in (("year", result.annual), ("day", result.daily)) for s in rows]


def write_sums_csv(result: OpenPathResult, path: PathLike) -> None:
    """Annual then daily sums before and after the correction."""
    write_csv_atomically(path, SUMS_FIELDS, [list(row.values()) for row in sums_rows(result)])


def summary_html(result: OpenPathResult) -> str:
    """One page: inputs, model, coefficients, validation, annual sums, warnings, then daily sums."""
    offset = "unknown" if result.utc_offset_hours is None else f"{result.utc_offset_hours:+g} h"
    inputs = [f"Open-path flux: {result.source} ({result.times.size} steps of {result.step} s, "
              f"{iso(result.times[0])} to {iso(result.times[-1])}, table clock, UTC offset {offset})",
              f"Reference: {result.reference_source or 'none'}",
              f"Overlap used in the fit: {result.overlap_steps} steps on {result.overlap_days} days",
              f"Day/night: {result.day_night_method}"]
    coefficient_rows = [(c.name, c.term, c.unit, c.value, c.sd, c.low, c.high) for c in result.coefficients]
    validation = (html_table(["estimate of the reference", "n", "RMSE", "MAE", "bias", "R²"],
                             [(label, s.n, s.rmse, s.mae, s.bias, s.r2) for label, s in (
                                 ("corrected flux", result.validation["corrected"]),
                                 ("uncorrected open-path flux", result.validation["open_path"]))], DIGITS)
                  if result.validation else "<p>No reference: not validated.</p>")
    body = (
        html_list(inputs)
        + f"<p><b>{html.escape(result.equation)}</b>; fluxes in µmol m⁻² s⁻¹, H and Rn in W m⁻², Ta in °C. "
          "Positive = release. Uncertainty: day-block bootstrap of the overlap (sd and 2.5–97.5 percentiles); "
          "it covers the coefficients only, not the random error of the flux.</p>"
        + "<h2>Coefficients</h2>"
        + html_table(["name", "term", "unit", "value", "sd", "95 % low", "95 % high"], coefficient_rows, DIGITS)
        + f"<h2>Validation ({html.escape(result.validation_kind)}), µmol m⁻² s⁻¹</h2>" + validation
        + "<h2>Annual sums (g CO₂ m⁻² a⁻¹)</h2>" + _sums_table(result.annual)
        + "<h2>Warnings</h2>" + html_list(result.warnings)
        + "<h2>Notes</h2>" + html_list(result.notes)
        + "<h2>Daily sums (g CO₂ m⁻² d⁻¹, local days)</h2><details><summary>show</summary>"
        + _sums_table(result.daily) + "</details>")
    return html_page(f"Open-path CO₂ flux correction ({result.method})", body)


def write_summary_html(result: OpenPathResult, path: PathLike) -> None:
    """``summary_html`` written atomically."""
    write_text_atomically(path, summary_html(result))


def _sums_table(rows):
    return html_table(SUMS_HEADER, [(s.period, s.part, s.steps, s.period_steps, s.before, s.after, s.change,
                                     s.after_sd, s.change_low, s.change_high) for s in rows], DIGITS)

