"""The sun's position for a station (NOAA's solar calculator) and the day/night split of a station series."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .errors import InputError
from .stations import StationSeries


def solar_elevation(times_utc: ArrayLike, latitude: float, longitude: float) -> np.ndarray:
    """Geometric solar elevation (degrees, no refraction) at epoch seconds UTC, NOAA's solar calculator
    equations (after Meeus 1991, Astronomical Algorithms) [L]; longitude positive east."""
    julian_century = (np.asarray(times_utc, dtype=np.float64) / 86400.0 + 2440587.5 - 2451545.0) / 36525.0
    t = julian_century
    mean_longitude = np.radians((280.46646 + t * (36000.76983 + t * 0.0003032)) % 360.0)
    mean_anomaly = np.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = np.radians(np.sin(mean_anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
                        + np.sin(2 * mean_anomaly) * (0.019993 - 0.000101 * t)
                        + np.sin(3 * mean_anomaly) * 0.000289)
    omega = np.radians(125.04 - 1934.136 * t)
    apparent_longitude = mean_longitude + centre - np.radians(0.00569 + 0.00478 * np.sin(omega))
    mean_obliquity = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    obliquity = np.radians(mean_obliquity + 0.00256 * np.cos(omega))
    declination = np.arcsin(np.sin(obliquity) * np.sin(apparent_longitude))
    y = np.tan(obliquity / 2.0) ** 2
    equation_of_time = 4.0 * np.degrees(
        y * np.sin(2 * mean_longitude) - 2 * eccentricity * np.sin(mean_anomaly)
        + 4 * eccentricity * y * np.sin(mean_anomaly) * np.cos(2 * mean_longitude)
        - 0.5 * y * y * np.sin(4 * mean_longitude) - 1.25 * eccentricity ** 2 * np.sin(2 * mean_anomaly))
    minutes_utc = (np.asarray(times_utc, dtype=np.float64) % 86400.0) / 60.0
    true_solar_minutes = (minutes_utc + equation_of_time + 4.0 * longitude) % 1440.0
    hour_angle = np.radians(true_solar_minutes / 4.0 - 180.0)
    phi = np.radians(latitude)
    cos_zenith = np.sin(phi) * np.sin(declination) + np.cos(phi) * np.cos(declination) * np.cos(hour_angle)
    return 90.0 - np.degrees(np.arccos(np.clip(cos_zenith, -1.0, 1.0)))


def day_night(series: StationSeries) -> tuple:
    """(1 for day / 0 for night / NaN unclassified per step, how it was decided).

    Rn > 0 where net radiation is measured; elsewhere the solar elevation at the middle of the step
    above 0°, as FLUXNET2015's NIGHT flag (potential radiation 0) [L], when the station's latitude,
    longitude and UTC offset are known.
    """
    rn = series.columns.get("rn")
    located = (series.latitude is not None and series.longitude is not None
               and series.utc_offset_hours is not None)
    if rn is None and not located:
        known = ", ".join(f"{name} = {value}" for name, value in (
            ("latitude", series.latitude), ("longitude", series.longitude),
            ("UTC offset", series.utc_offset_hours)))
        raise InputError(f"{series.source}: the day/night split needs net radiation (column rn, e.g. AmeriFlux "
                         f"NETRAD) or the station's latitude, longitude and UTC offset for the solar elevation; "
                         f"the table has no Rn and {known}.")
    is_day = np.full(series.times.size, np.nan)
    how = []
    if located:
        middle = series.times_utc + series.step / 2.0
        is_day = (solar_elevation(middle, series.latitude, series.longitude) > 0.0).astype(np.float64)
    if rn is not None:
        measured = np.isfinite(rn)
        is_day[measured] = rn[measured] > 0.0
        how.append(f"Rn > 0 at {int(measured.sum())} steps")
        if located and not measured.all():
            how.append(f"solar elevation > 0° at mid-step where Rn is missing ({int((~measured).sum())} steps)")
    else:
        how.append(f"solar elevation > 0° at mid-step (latitude {series.latitude:g}, longitude "
                   f"{series.longitude:g}, UTC offset {series.utc_offset_hours:+g} h)")
    unclassified = int(np.isnan(is_day).sum())
    if unclassified:
        how.append(f"{unclassified} steps unclassified (no Rn, position unknown)")
    return is_day, "; ".join(how)
