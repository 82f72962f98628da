"""θ10 of the forcing quantile-mapped onto a station's θ10 (docs/SCIENCE.md section 3).

The station's cell of the forcing grid is found from its coordinates (given, or the station table's own
metadata), the cell's whole θ10 series is read once before the windowed run, and ``fit_quantile_mapping``
pairs its quantiles with the station's over the period both cover. The mapping (arrays only) is then
applied to θ10 everywhere, inside the run's pure per-window function, before the R2 threshold.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
from rasterio.crs import CRS
from rasterio.warp import transform as warp_transform
from rasterio.windows import Window

from .errors import InputError
from .grid import apply_affine
from .quantile_mapping import QuantileMapping, fit_quantile_mapping
from .stations import StationSeries

WGS84 = CRS.from_epsg(4326)


def station_cell(forcing, longitude: float, latitude: float, label: str) -> tuple[int, int]:
    """(row, col) of the forcing cell holding the point; InputError naming ``label`` when it is outside."""
    x, y = longitude, latitude
    crs = forcing.grid.crs
    if crs is not None and CRS.from_user_input(crs) != WGS84:
        xs, ys = warp_transform(WGS84, crs, [longitude], [latitude])
        x, y = xs[0], ys[0]
    col, row = (int(np.floor(v)) for v in apply_affine(~forcing.grid.transform, x, y))
    if not (0 <= row < forcing.grid.height and 0 <= col < forcing.grid.width):
        raise InputError(f"{label} ({longitude:g} E, {latitude:g} N) lies outside the forcing grid "
                         f"({forcing.grid.width} x {forcing.grid.height} cells, {forcing.source}).")
    return row, col


def station_theta10_mapping(forcing, station: StationSeries, longitude: Optional[float] = None,
                            latitude: Optional[float] = None) -> tuple[QuantileMapping, str]:
    """The quantile mapping of the forcing's θ10 at the station's cell onto the station's θ10, and a line
    for the log saying where the station and its cell are.

    ``longitude``/``latitude`` (degrees, WGS 84) win over the coordinates in the station table's metadata;
    without either the mapping is refused, naming STATION_LONGITUDE and STATION_LATITUDE.
    """
    if longitude is not None and latitude is not None:
        where = "STATION_LONGITUDE / STATION_LATITUDE"
    elif station.longitude is not None and station.latitude is not None:
        longitude, latitude, where = station.longitude, station.latitude, f"the metadata of {station.source}"
    else:
        raise InputError(f"VWC10_STATION ({station.source}): the table carries no coordinates; give "
                         f"STATION_LONGITUDE and STATION_LATITUDE (degrees) to pick the forcing cell it is "
                         f"compared with.")
    if "theta10" not in station.columns or not np.isfinite(station.columns["theta10"]).any():
        raise InputError(f"VWC10_STATION ({station.source}): no theta10 values; map the soil water column "
                         f'(MAPPING, e.g. {{"theta10": "SWC_1_1_1"}}).')
    row, col = station_cell(forcing, float(longitude), float(latitude), f"VWC10_STATION ({station.source})")
    _, _, theta10 = forcing.read(0, len(forcing.times), Window(col, row, 1, 1))
    label = station.station_id or station.source
    mapping = fit_quantile_mapping(forcing.times, theta10[:, 0, 0], station.times_utc,
                                   station.columns["theta10"], label)
    return mapping, (f"station {label} at {float(longitude):g} E, {float(latitude):g} N (from {where}) "
                     f"compared with forcing cell row {row}, column {col}")
