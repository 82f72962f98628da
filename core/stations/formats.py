"""Station table formats and units: which columns AmeriFlux BASE, FLUXNET2015 and COSORE tables hold, the
canonical columns of the scheme and their units, declared units converted into them, and the checks that
catch a unit declared wrongly (flux magnitudes, kelvin read as degC, percent read as m3 m-3)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..units import (KELVIN, SECONDS_PER_HOUR, UMOL_PER_MG_CO2, UMOL_S_PER_G_C_DAY,
                     UMOL_S_PER_G_CO2_DAY)

CANONICAL_UNITS = {"fc": "umol CO2 m-2 s-1", "t0": "degC", "t10": "degC", "theta10": "m3 m-3",
                   "rn": "W m-2", "p": "mm per step", "h": "W m-2", "ta": "degC"}
QUANTITY = {"fc": "CO2 flux", "t0": "temperature", "t10": "temperature", "ta": "temperature",
            "theta10": "water content", "rn": "energy flux", "h": "energy flux", "p": "precipitation"}

MG_CO2_IN_UMOL = UMOL_PER_MG_CO2        # 1 mg CO2 m-2 s-1 = 22.72 umol m-2 s-1 (the name older code imports)
# Declared unit (normalised by _unit_key) -> (scale, offset) into the canonical unit.
UNITS = {
    "CO2 flux": {"umol m-2 s-1": (1.0, 0.0), "mg m-2 s-1": (UMOL_PER_MG_CO2, 0.0),
                 "mg m-2 h-1": (UMOL_PER_MG_CO2 / SECONDS_PER_HOUR, 0.0),
                 "g m-2 d-1": (UMOL_S_PER_G_CO2_DAY, 0.0), "gc m-2 d-1": (UMOL_S_PER_G_C_DAY, 0.0)},
    "temperature": {"degc": (1.0, 0.0), "c": (1.0, 0.0), "k": (1.0, -KELVIN)},
    "water content": {"m3 m-3": (1.0, 0.0), "m3/m3": (1.0, 0.0), "%": (0.01, 0.0)},
    "energy flux": {"w m-2": (1.0, 0.0)},
    "precipitation": {"mm": (1.0, 0.0), "mm per step": (1.0, 0.0)},
}
PHYSICAL_RANGE = {"CO2 flux": (-100.0, 100.0), "temperature": (-60.0, 80.0),
                  "water content": (0.0, 1.0), "energy flux": (-500.0, 1500.0),
                  "precipitation": (0.0, 500.0)}
# 95th percentile of |Fc| in umol m-2 s-1: quiet desert soils reach a few tenths, crops tens.
TYPICAL_FLUX_MAGNITUDE = (0.1, 100.0)
FORMATS = ("ameriflux_base", "fluxnet2015", "cosore", "generic")
# The flux units a QGIS user chooses from (FLUX_UNIT), as the reader's unit keys and as the dialog writes them.
FLUX_UNIT_LABELS = {"umol m-2 s-1": "µmol CO₂ m⁻² s⁻¹", "mg m-2 s-1": "mg CO₂ m⁻² s⁻¹",
                    "gc m-2 d-1": "g C m⁻² d⁻¹", "g m-2 d-1": "g CO₂ m⁻² d⁻¹"}
# Plausibility of a declared flux unit: the median |Fc| (umol m-2 s-1) of a soil or ecosystem CO2 flux series.
# When the declared unit puts it outside this range and another unit of FLUX_UNIT_LABELS puts it inside, the
# reader warns and names that unit (a desert night is ~0.1-1, a crop's day tens; mg CO2 m-2 s-1 read as umol
# gives ~0.005-0.05).
PLAUSIBLE_MEDIAN_FLUX = (0.05, 20.0)


@dataclass
class TableFormat:
    """What a table format says about its columns: the time column, default sources, profiles, units."""
    name: str
    time_column: str = None
    columns: dict = field(default_factory=dict)     # canonical -> default source column
    profiles: dict = field(default_factory=dict)    # quantity -> [(column, depth_cm or None, level)]
    units: dict = field(default_factory=dict)       # canonical -> unit of the source columns
    port_column: str = None
    qc_skipped_because: str = ""


def detect_format(names: list) -> str:
    """The format whose tell-tale columns the table has; 'generic' when none."""
    if "CSR_FLUX_CO2" in names or any(n.startswith("CSR_TIMESTAMP_BEGIN") for n in names):
        return "cosore"
    if "NEE_VUT_REF" in names or any("_F_MDS" in n for n in names):
        return "fluxnet2015"
    if "TIMESTAMP_START" in names and "TIMESTAMP_END" in names:
        return "ameriflux_base"
    return "generic"


def format_defaults(name: str, names: list) -> TableFormat:
    """The default columns, soil profiles and units of format ``name`` among the table's ``names``."""
    present = set(names)

    def first_of(*candidates):
        return next((c for c in candidates if c in present), None)

    def profile(pattern, depth_group, level_groups):
        out = []
        for column in names:
            match = re.fullmatch(pattern, column)
            if match:
                depth = float(match.group(depth_group)) if depth_group else None
                level = next((int(match.group(g)) for g in level_groups if match.group(g)), 1)
                out.append((column, depth, level))
        return out

    if name == "ameriflux_base":
        # TS_<H>_<V>_<R>: V is the profile level (1 = shallowest); TS_<n> is level n; bare TS level 1.
        return TableFormat(name, "TIMESTAMP_START",
                       columns={"fc": first_of("FC", "NEE_PI", "NEE"), "rn": first_of("NETRAD"),
                                "p": first_of("P"), "h": first_of("H"), "ta": first_of("TA")},
                       profiles={"temperature": profile(r"TS(?:_\d+_(\d+)_\d+|_(\d+))?", None, (1, 2)),
                                 "water content": profile(r"SWC(?:_\d+_(\d+)_\d+|_(\d+))?", None, (1, 2))},
                       units={"theta10": "%"})
    if name == "fluxnet2015":
        daily = "TIMESTAMP_START" not in present and "TIMESTAMP" in present
        return TableFormat(name, "TIMESTAMP" if daily else "TIMESTAMP_START",
                       columns={"fc": first_of("NEE_VUT_REF"), "rn": first_of("NETRAD"),
                                "p": first_of("P_F"), "h": first_of("H_F_MDS"), "ta": first_of("TA_F")},
                       profiles={"temperature": profile(r"TS_F_MDS_(\d+)", None, (1,)),
                                 "water content": profile(r"SWC_F_MDS_(\d+)", None, (1,))},
                       # FLUXNET daily files give NEE in g C m-2 d-1 and QC as a share of good data.
                       units={"theta10": "%", "fc": "gC m-2 d-1" if daily else "umol m-2 s-1"},
                       qc_skipped_because="daily FLUXNET QC flags are shares of good data; not applied"
                       if daily else "")
    if name == "cosore":
        time_column = first_of("CSR_TIMESTAMP_BEGIN_LOCAL", "CSR_TIMESTAMP_BEGIN")
        return TableFormat(name, time_column or "CSR_TIMESTAMP_BEGIN_LOCAL",
                       columns={"fc": first_of("CSR_FLUX_CO2"), "ta": first_of("CSR_TAIR")},
                       profiles={"temperature": profile(r"CSR_T(\d+)", 1, ()),
                                 "water content": profile(r"CSR_SM(\d+)", 1, ())},
                       port_column=first_of("CSR_PORT"))
    return TableFormat(name)


def _unit_key(text):
    key = (str(text).lower().replace("µ", "u").replace("μ", "u").replace("°", "deg")
           .replace("⁻", "-").replace("²", "2").replace("³", "3").replace("¹", "1").replace("₂", "2")
           .replace("~", "").replace("^", "").replace("co2", ""))
    # COSORE writes 'µmol CO~2~/m^2^/s': per-unit slashes as negative powers
    key = re.sub(r"\s*/\s*m2", " m-2", key)
    key = re.sub(r"\s*/\s*(s|h|d)\b", r" \1-1", key)
    return " ".join(key.replace("g c ", "gc ").split())


def conversion(canonical: str, declared: str, source: str) -> tuple:
    """(scale, offset) from the ``declared`` unit into the canonical unit of ``canonical``."""
    quantity = QUANTITY[canonical]
    known = UNITS[quantity]
    key = _unit_key(declared)
    if key not in known:
        raise InputError(f"{source}: unit {declared!r} declared for {canonical} ({quantity}) is not "
                         f"known; use one of {', '.join(known)}.")
    return known[key]


def check_magnitude(values: np.ndarray, canonical: str, where: str, check_flux_magnitude) -> list:
    """Stop when magnitudes (already in the canonical unit) contradict the declared unit; the warnings found.

    ``check_flux_magnitude``: True stops on a CO2 flux whose typical magnitude lies outside
    TYPICAL_FLUX_MAGNITUDE, 'warn' only warns (the user chose the unit), False checks nothing of the flux.
    """
    finite = values[np.isfinite(values)]
    quantity = QUANTITY[canonical]
    warnings = []
    if quantity == "CO2 flux" and check_flux_magnitude:
        typical = float(np.percentile(np.abs(finite), 95))
        low, high = TYPICAL_FLUX_MAGNITUDE
        problem = None
        if typical < low:
            problem = (f"{where}: its typical magnitude (95th percentile of |Fc|) is {typical:.3g} umol m-2 s-1, "
                       f"about {low / max(typical, 1e-12):.0f}x too small for a CO2 flux ({low:g}-{high:g} "
                       f"expected). If it is in mg CO2 m-2 s-1 (mg m-2 s-1; 1 mg CO2 m-2 s-1 = 22.72 umol m-2 "
                       f"s-1), set FLUX_UNIT to mg CO₂ m⁻² s⁻¹")
        elif typical > high:
            problem = (f"{where}: its typical magnitude (95th percentile of |Fc|) is {typical:.3g} umol m-2 s-1, "
                       f"about {typical / high:.0f}x too large for a CO2 flux ({low:g}-{high:g} expected). If it "
                       f"is a daily sum, set FLUX_UNIT to g C m⁻² d⁻¹ or g CO₂ m⁻² d⁻¹")
        if problem and check_flux_magnitude == "warn":
            warnings.append(problem + ".")
        elif problem:
            raise InputError(problem + "; if the values are right, set FLUX_UNIT to their unit (a unit chosen "
                             "there only warns).")
    median = float(np.median(finite))
    if quantity == "temperature" and median > 150.0:
        raise InputError(f"{where}: median {median:.1f} degC looks like kelvin; declare the column's unit as K.")
    if quantity == "temperature" and median < -100.0:
        raise InputError(f"{where}: median {median:.1f} degC after conversion looks like the values were degC "
                         f"already; declare the column's unit as degC.")
    if quantity == "water content" and median > 1.0:
        raise InputError(f"{where}: median {median:.3g} m3 m-3 looks like percent; declare the column's unit "
                         f"as %.")
    return warnings


def flux_unit_plausibility(values: np.ndarray, declared: str, where: str,
                           plausible: tuple = PLAUSIBLE_MEDIAN_FLUX) -> str | None:
    """A warning when the median |Fc| (``values`` in umol m-2 s-1, converted from ``declared``) lies outside
    ``plausible`` and another FLUX_UNIT choice would put it inside; None otherwise.

    The rule: a flux series' median magnitude is a property of the site that no unit error hides; the units
    a QGIS user can choose differ by factors of 0.26 to 22.7, so a median that is implausible as declared and
    plausible in another unit points at that unit. It warns only, since a quiet desert soil may be near zero.
    """
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size:
        return None
    median = float(np.median(finite))
    low, high = plausible
    if low <= median <= high:
        return None
    key = _unit_key(declared)
    scale = UNITS["CO2 flux"].get(key, (1.0, 0.0))[0]
    fits = [(label, median / scale * UNITS["CO2 flux"][other][0]) for other, label in FLUX_UNIT_LABELS.items()
            if other != key and low <= median / scale * UNITS["CO2 flux"][other][0] <= high]
    if not fits:
        return None
    label, value = min(fits, key=lambda f: abs(np.log(f[1] / np.sqrt(low * high))))
    return (f"{where}: the median |Fc| is {median:.3g} umol m-2 s-1 as declared ({declared}), outside the "
            f"{low:g}-{high:g} expected of a soil or ecosystem CO2 flux; read as {label} it would be {value:.3g} "
            f"umol m-2 s-1. If the table is in {label}, set FLUX_UNIT to {label}.")
