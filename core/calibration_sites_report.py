"""What a multi-site ``calibrate`` leaves behind: the map's parameter file and an HTML report.

The file is a ``desert_carbon.parameters`` document like a single station's: regressed and averaged
entries carry provenance "C" and their bootstrap interval, ``stations`` records each station's soil,
amplitudes and held-out scores, and ``ensemble`` the combined replicates (``load_ensemble``).
"""
from __future__ import annotations

import math

from .benchmarks import LABELS as MODEL_LABELS
from .calibration import MODELS, NOT_FITTED_BECAUSE
from .calibration_report import benchmark_summary, json_ready, write_document
from .calibration_sites import MultiSiteResult
from .parameters import FORMAT_NAME, REQUIRED_UNITS, parameters_from_document
from .text_output import PathLike, format_value, html_list, html_page, html_table, write_text_atomically


def multi_site_document(result: MultiSiteResult) -> dict:
    """The map's parameter set as a JSON-ready dict; it loads with ``parameters_from_document``."""
    level = f"{result.interval_level:.0%}"
    entries = {}
    for name, unit in REQUIRED_UNITS.items():
        entry = {"value": result.parameters.values[name], "unit": unit, "bounds": list(result.bounds[name]),
                 "provenance": result.parameters.provenance[name]}
        origin = result.regression.get(name) or result.shared.get(name)
        if origin is not None:
            entry["note"] = (origin["how"] if "how" in origin else
                             f"inverse-variance weighted mean over the {origin['sites']} stations that fitted it")
            entry["note"] += f"; uncertainty: {level} interval of the same on the stations' bootstrap replicates"
            if all(math.isfinite(v) for v in origin["interval"]):
                entry["uncertainty"] = list(origin["interval"])
        elif name == "theta_ref":
            entry["note"] = "theta_c plus the starting distance theta_ref - theta_c, as each station's fit kept it"
        else:
            entry["note"] = (f"kept from {result.initial.source}: "
                             f"{result.kept.get(name) or NOT_FITTED_BECAUSE.get(name, 'not fitted')}")
        entries[name] = entry
    step = int(result.parameters.time_step_seconds)
    document = {
        "format": FORMAT_NAME, "format_version": 1, "name": result.parameters.name, "provenance": "calibrated",
        "description": (f"Coefficients of Rs = R1 + R2 + R3 for the map from {len(result.sites)} stations "
                        f"(docs/SCIENCE.md section 2): each station calibrated on its own, its R3 amplitudes A and B "
                        f"regressed on its SOC, pH and salt into r3_a, aC, r3_b, aP, aS; the other coefficients are "
                        f"the stations' weighted means. [C] calibrated, other letters as in the starting file."),
        "time_step": {"seconds": step},
        "stations": [_station_entry(site, site_result) for site, site_result in result.sites],
        "parameters": entries,
        "ensemble": {"method": "each station's block bootstrap replicate r, combined as the central values",
                     "coefficients": list(result.ensemble_names),
                     "members": [[float(v) for v in row] for row in result.members]},
    }
    document = json_ready(document)
    parameters_from_document(document, "multi-site calibration result")
    return document


def write_multi_site_parameter_file(result: MultiSiteResult, path: PathLike) -> None:
    write_document(multi_site_document(result), path)


def write_multi_site_report(result: MultiSiteResult, path: PathLike) -> None:
    write_text_atomically(path, multi_site_report_html(result))


def multi_site_report_html(result: MultiSiteResult) -> str:
    """Stations, their amplitudes and benchmarks, the regressions and the map's coefficients."""
    level = f"{result.interval_level:.0%}"
    station_rows = []
    for site, r in result.sites:
        held_out = r.validation
        station_rows.append([site.name, site.soc, site.ph, site.salt]
                            + [_value_interval(r.parameters.values[n], r.intervals.get(n)) for n in ("r3_a", "r3_b",
                                                                                                  "q10c", "theta_c")]
                            + [held_out[m]["rmse"] for m in MODELS] + [", ".join(r.not_identified) or "—"])
    coefficient_rows = [[name, REQUIRED_UNITS[name], result.parameters.values[name],
                         _interval(origin["interval"]), origin.get("how") or f"mean of {origin['sites']} stations"]
                        for name, origin in {**result.regression, **result.shared}.items()]
    kept_rows = [[name, why] for name, why in result.kept.items()]
    sections = [
        f"<p>{len(result.sites)} stations, each calibrated on its own; R3's amplitudes A (r3_a) and B (r3_b) regressed "
        f"on the stations' soils; intervals are {level} percentile intervals over the stations' bootstrap replicates. "
        f"Units: SOC and salt g kg⁻¹, A and B µmol CO₂ m⁻² s⁻¹, RMSE µmol CO₂ m⁻² s⁻¹ (held out).</p>",
        "<h2>Stations</h2>",
        html_table(["station", "SOC", "pH", "salt", "A", "B", "Q10c", "θc"]
                   + [f"RMSE {MODEL_LABELS[m]}" for m in MODELS] + ["not identified"], station_rows),
        "<h2>Coefficients for the map</h2>",
        html_table(["coefficient", "unit", "value", f"{level} interval", "from"], coefficient_rows),
        "<h2>Kept at their starting values</h2>", html_table(["coefficient", "why"], kept_rows) if kept_rows else
        "<p>none</p>",
        "<h2>Warnings</h2>" + html_list(result.warnings),
    ]
    return html_page("Multi-site calibration of the flux scheme", "\n".join(sections))


def _station_entry(site, result):
    return {"station": site.name, "file": result.station["source_file"], "soc": site.soc, "ph": site.ph,
            "salt": site.salt, "period": list(result.period),
            "amplitudes": {name: {"value": result.parameters.values[name], "interval": list(result.intervals[name])}
                           for name in ("r3_a", "r3_b", "q10c") if name in result.fitted},
            "not_identified": list(result.not_identified), "benchmarks": benchmark_summary(result)}


def _interval(interval):
    low, high = interval
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"[{format_value(low, 4)}, {format_value(high, 4)}]"


def _value_interval(value, interval):
    return f"{format_value(value, 4)} {_interval(interval)}" if interval else format_value(value, 4)
