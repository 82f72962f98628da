"""Net radiation and rain from the forcing's accumulated fields (docs/SCIENCE.md sections 2 and 3).

When the ERA5 / ERA5-Land files hold ``ssr`` and ``str`` (J m⁻², accumulated) the run de-accumulates
them into Rn (W m⁻²) for the uptake-season criterion and the optional mean-Rn output; ``tp`` gives rain
in mm per step for the optional annual-rain output. The de-accumulation needs the step before each one
(ERA5-Land differences), so reads take the one-step halo the runner already reads for the temperature
tendency: amounts are then the same whatever the window and chunk layout.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from rasterio.windows import Window

from .accumulation import ERA5_LAND, accumulation_rule, net_radiation, precipitation_mm
from .errors import InputError
from .parameters import ParameterSet

RN_VARIABLES = ("ssr", "str")
RAIN_VARIABLES = ("tp",)
RULE_NAMES = {ERA5_LAND: "ERA5-Land (sums from 00 UTC)", "era5": "ERA5 (hourly sums)"}


@dataclass(frozen=True)
class ExtraFields:
    """Which of Rn and rain the run reads, and the de-accumulation rule (None when it reads neither)."""
    rule: Optional[str] = None
    net_radiation: bool = False
    rain: bool = False
    without_rn: str = "no ssr/str in FORCING"      # why Rn is not used, for the regime criteria

    @property
    def any(self) -> bool:
        return self.net_radiation or self.rain

    def regime_criteria(self, params: ParameterSet) -> str:
        """The uptake-season criteria used, as REGIME_CRITERIA records them."""
        dt = f"daily-mean dT < {params.regime_delta_t:g} K"
        if self.net_radiation:
            return f"{dt} and daily-mean Rn < {params.regime_rn:g} W m-2"
        return f"{dt} only ({self.without_rn})"

    def describe(self) -> str:
        """One line for the log and the outputs' metadata."""
        if not self.any:
            return "accumulated fields not read"
        read = [name for name, used in (("Rn from ssr + str", self.net_radiation), ("rain from tp", self.rain))
                if used]
        return f"{' and '.join(read)}, de-accumulated as {RULE_NAMES.get(self.rule, self.rule)}"


def plan_extra_fields(forcing, accumulation: Optional[str], rain_wanted: bool, rn_wanted: bool,
                      warnings_out: list) -> ExtraFields:
    """What the run reads beside T0, T10 and θ10: Rn whenever the files hold ssr and str, rain when asked.

    ``accumulation`` (auto, era5-land, era5) is the ACCUMULATION parameter; None reads no accumulated
    field (the core's default, for callers from before Rn was used). An output that needs a variable the
    files lack is refused, naming both.
    """
    has = getattr(forcing, "has", None)       # raster stacks carry no accumulated fields
    if accumulation is None:
        if rain_wanted or rn_wanted:
            raise InputError("OUTPUT_RAIN and OUTPUT_RN need the de-accumulation rule: set ACCUMULATION "
                             "(auto, era5-land or era5).")
        return ExtraFields(without_rn="accumulated fields not read: no ACCUMULATION given")
    if has is None:
        if rain_wanted or rn_wanted:
            raise InputError("OUTPUT_RAIN and OUTPUT_RN need ERA5 / ERA5-Land files as FORCING (tp, ssr and str); "
                             "the T0, T10 and VWC10 raster stacks carry no rain or radiation.")
        return ExtraFields(without_rn="no ssr/str in FORCING: raster stacks")
    rn = has(*RN_VARIABLES)
    rain = rain_wanted and has(*RAIN_VARIABLES)
    found = [v for v in RN_VARIABLES if has(v)]
    if len(found) == 1:
        warnings_out.append(f"FORCING holds {found[0]} but not {'str' if found[0] == 'ssr' else 'ssr'}: net "
                            f"radiation needs both, so the regimes use daily-mean dT only.")
    if rn_wanted and not rn:
        raise InputError(f"OUTPUT_RN needs ssr and str in FORCING ({forcing.source}); found "
                         f"{forcing.catalog.variables}.")
    if rain_wanted and not rain:
        raise InputError(f"OUTPUT_RAIN needs tp in FORCING ({forcing.source}); found {forcing.catalog.variables}.")
    if not (rn or rain):
        return ExtraFields(without_rn="no ssr/str in FORCING")
    used = (RN_VARIABLES if rn else ()) + (RAIN_VARIABLES if rain else ())
    hints = [hint for name in used for hint in forcing.catalog.attributes(name)]
    sources = ", ".join(sorted({s for name in used for s in forcing.catalog.sources(name, 0, len(forcing.times))}))
    rule = accumulation_rule(accumulation, hints, f"FORCING ({sources})")
    return ExtraFields(rule=rule, net_radiation=rn, rain=rain)


def read_extra_fields(forcing, extras: ExtraFields, first: int, stop: int, window: Window) -> dict:
    """Rn (W m⁻²) and rain (mm) of steps [first, stop) as far as ``extras`` asks: {"rn": ..., "rain": ...}.

    Step ``first`` has no predecessor in this read, so under ERA5-Land it is NaN: callers read from one
    step before the first step they count (the runner's halo).
    """
    out = {}
    if extras.net_radiation:
        ssr = forcing.accumulated("ssr", first, stop, window, extras.rule)
        out["rn"] = net_radiation(ssr, forcing.accumulated("str", first, stop, window, extras.rule))
    if extras.rain:
        out["rain"] = precipitation_mm(forcing.accumulated("tp", first, stop, window, extras.rule))
    return out


def climate_sums(extras: dict, first: int, stop: int, shape: tuple) -> np.ndarray:
    """(4, rows, cols): rain sum (mm), steps with rain, Rn sum (W m⁻² · steps), steps with Rn, over steps
    [first, stop) of the arrays in ``extras`` (the hours present: NaN is left out and not counted)."""
    out = np.zeros((4,) + tuple(shape))
    for row, key in ((0, "rain"), (2, "rn")):
        if key in extras:
            values = extras[key][first:stop]
            present = np.isfinite(values)
            # time made the contiguous axis: the same summation order whatever the window's shape
            out[row] = np.ascontiguousarray(np.moveaxis(np.where(present, values, 0.0), 0, -1)).sum(axis=-1)
            out[row + 1] = present.sum(axis=0)
    return out
