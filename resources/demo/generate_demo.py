#!/usr/bin/python3
"""SYNTHETIC demo forcing over the Taklimakan desert, in the layout of ERA5-Land hourly NetCDF.

THE DATA THIS MAKES ARE SYNTHETIC. They are not ERA5-Land, not observations and not a model run:
they are closed-form functions of time and place with deterministic pseudo-random weather, made so
the plugin can be tried, taught and tested without a Copernicus account. Every number below is
illustrative, chosen to look like the Tazhong hinterland station (83.67 E, 38.97 N) and the desert
around it, and each is a named field of :class:`Physics`.

Layout (what the old Copernicus CDS delivered for ERA5-Land hourly NetCDF): NetCDF3 64-bit offset,
one file per calendar year (``era5land_taklimakan_2000.nc``), dimensions ``time`` (unlimited),
``latitude`` (north first), ``longitude``; ``time`` int32 hours since 1900-01-01; ``skt``, ``stl1``,
``stl2`` (K) and ``swvl1``, ``swvl2`` (m**3 m**-3) packed as int16 with a scale_factor and add_offset
per variable and per file, ``_FillValue`` = ``missing_value`` = -32767. Hourly steps, UTC.

Grid: cells of ``resolution`` degrees from the north-west corner of ``bbox`` (default 77.5-88.5 E,
36.5-41.5 N, 0.5 degree: 22 x 10 cells), enough to cover the box. Cells outside the desert outline
(``resources/geo/taklimakan_desert.geojson``) are kept: the desert-edge gradients continue outside
it for ``edge_depth_km`` and then stay constant, so a mask is the user's choice, not the generator's.

Physics, all [illustrative]:

* Edge index e of a cell: 0 deeper than ``edge_depth_km`` inside the outline, 1 on the outline, 2
  at ``edge_depth_km`` outside it and beyond (signed distance to the outline on a local
  equirectangular projection). Towards the edge the sand is wetter, it rains more, the mean and the
  summer temperature are lower and the diel range is smaller; the mean also falls to the north.
* Temperature of the conducting surface = slow part (cell mean, a linear warming trend from
  ``trend_reference_year``, and an interannual anomaly drawn per year, blended over
  ``interannual_ramp_days`` either side of 1 January so the series has no jump) + an annual
  harmonic (warmest on day ``warmest_day``) + a diel cycle + synoptic weather. The diel cycle has the
  shape of the Goettsche & Olesen (2001) model of land-surface temperature (cosine by day, exponential
  cooling at night; peak at ``diel_peak_hour`` local solar time), kept to its first three harmonics; its
  range varies with the season (``diel_range_mean_k`` +- ``diel_range_amplitude_k``, largest at the
  summer solstice). Synoptic weather is a sum of ``synoptic_components`` sinusoids with periods of
  2-20 days and fixed random phases that travel eastwards at ``synoptic_speed_km_per_day``.
* Soil layers (ERA5: 0-7 and 7-28 cm) follow the periodic solution of the heat-diffusion equation in
  a uniform soil of diffusivity ``thermal_diffusivity``: each harmonic of angular frequency w has
  damping depth d = sqrt(2 kappa / w) and is multiplied by the layer average of exp(-(1 + i) z / d),
  so its amplitude decays and its phase lags with depth (diel: d = 9 cm, stl1 keeps 68 % of the
  surface amplitude with a 1.3 h lag; annual: d = 1.7 m). The slow part (trend, interannual, spatial)
  is the same in every layer: on those time scales 0-28 cm is in equilibrium.
* Skin temperature ``skt`` = conducting surface + a radiative skin offset whose daily mean follows
  insolation and dryness (``skin_offset_mean_k`` + ``skin_offset_amplitude_k``, largest on day
  ``skin_offset_peak_day``). With the damping of the annual wave this makes the daily-mean T0 - T10
  about +3 K in July and -2 K in January, crossing the review's 0.8 K threshold at the end of March
  and in the first half of September (at Tazhong the daily-mean skt is about -10 degC in January,
  +27 degC in July). Its annual mean is exactly ``skin_offset_mean_k`` = 0.35 K, chosen so that with
  the bundled default parameters (k1 = 0.01, Delta T0 = 0.8 K) dry sand gets R1 = -0.0045 umol m-2 s-1
  on average, about -6 g CO2 m-2 a-1: the order of the review's Tazhong rate BY CONSTRUCTION, which
  therefore proves nothing about the scheme.
* Rain comes in storms: per year a Poisson number (``storms_per_year_per_100k_km2`` over the box
  widened by ``storm_margin_degrees``), onset hours weighted towards summer (Gaussian around day
  ``rain_season_peak_day``), random centres, Gaussian footprints of random radius, exponentially
  distributed depths. A cell's rain is multiplied by 1 + ``edge_rain_gain`` e; less than
  ``min_rain_mm`` wets nothing. A few wetting events a year reach the hinterland, more the edge.
* swvl1 jumps by the retained fraction of the rain spread over 7 cm and dries exponentially (e-folding
  ``swvl1_drying_days``); swvl2 receives a smaller share spread over 21 cm, rises over about a day
  and dries more slowly (a difference of exponentials peaking after ~1.4 days). Both sit on a dry
  baseline (hinterland swvl1 0.025, rising by ``edge_swvl_rise`` per unit of e; swvl2 slightly
  wetter) and are capped at ``swvl_max``. The baseline keeps theta10 below the review's 0.05
  threshold everywhere (0.029 in the hinterland, 0.049 far outside), so only rain activates R2.
  Rain does not cool the surface here.

Deterministic: every pseudo-random draw comes from numpy's PCG64 seeded by (seed, stream, year), so
the same arguments give byte-identical files, and a year's file does not depend on which other years
were generated. Memory: one year's packed int16 data twice (scipy's NetCDF writer keeps the variables
until the file is closed, and the file is assembled in memory) plus one chunk of whole days of
float64 work arrays; each year is computed twice (a pass for the packing range of every variable,
then a pass that packs and writes).

Run ``/usr/bin/python3 resources/demo/generate_demo.py OUTDIR`` (``--help`` for options), or import it
and call :func:`generate`. Needs numpy and scipy only.
"""
import argparse
import dataclasses
import io
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
from scipy.io import netcdf_file

VERSION = "1.0"
DEFAULT_SEED = 20250101
DEFAULT_BBOX = (77.5, 36.5, 88.5, 41.5)           # west, south, east, north (degrees)
DEFAULT_PREFIX = "era5land_taklimakan"
OUTLINE = Path(__file__).resolve().parents[1] / "geo" / "taklimakan_desert.geojson"
TAZHONG = (83.67, 38.97)                          # lon, lat: the reference site of the numbers

KELVIN = 273.15
HOURS_PER_YEAR = 365.2425 * 24                    # Gregorian mean year keeps the seasons on the calendar
DAY = 2 * math.pi / 24.0                          # rad per hour
YEAR = 2 * math.pi / HOURS_PER_YEAR
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_EQUATOR = 111.32
LAYERS_M = {"stl1": (0.0, 0.07), "stl2": (0.07, 0.28)}   # ERA5 soil layers 1 and 2
WATER_LAYERS_MM = {"swvl1": 70.0, "swvl2": 210.0}        # the same two layers
PACKED_MISSING = -32767
PACKED_HALF_RANGE = 32766                         # packed values use -32766..32766; -32767 is missing
CHUNK_BYTES = 64 * 2**20                          # float64 work arrays alive per chunk
WORK_ARRAYS = 16                                  # of shape (steps, cells) while a chunk is computed
STREAM_SYNOPTIC, STREAM_INTERANNUAL, STREAM_STORMS = 1, 2, 3
VARIABLES = (("skt", "Skin temperature", "K"),
             ("stl1", "Soil temperature level 1", "K"),
             ("stl2", "Soil temperature level 2", "K"),
             ("swvl1", "Volumetric soil water layer 1", "m**3 m**-3"),
             ("swvl2", "Volumetric soil water layer 2", "m**3 m**-3"))


@dataclasses.dataclass(frozen=True)
class Physics:
    """Every coefficient of the synthetic climate. All values are illustrative, not fitted."""
    mean_surface_c: float = 8.0              # annual mean of the conducting surface at Tazhong, degC
    annual_amplitude_k: float = 17.5
    warmest_day: float = 200.0               # day of year of the annual temperature maximum
    skin_offset_mean_k: float = 0.35         # annual mean of skt minus conducting surface
    skin_offset_amplitude_k: float = 1.5
    skin_offset_peak_day: float = 190.0
    solstice_day: float = 172.0
    diel_range_mean_k: float = 20.0          # daily max - min of skt: 15 K in winter, 25 K in summer
    diel_range_amplitude_k: float = 5.0
    diel_peak_hour: float = 13.0             # local solar time of the daily maximum
    diel_half_width_hours: float = 13.0      # Goettsche-Olesen omega: width of the daytime cosine
    diel_cooling_start_hour: float = 17.0    # Goettsche-Olesen t_s: start of the exponential cooling
    thermal_diffusivity: float = 3.0e-7      # m2 s-1, dry sand
    trend_k_per_year: float = 0.03
    trend_reference_year: int = 2011         # the trend term is zero on 1 January of this year
    interannual_sd_k: float = 0.3
    interannual_ramp_days: float = 15.0
    synoptic_sd_k: float = 2.5
    synoptic_components: int = 24
    synoptic_period_days: tuple = (2.0, 20.0)
    synoptic_speed_km_per_day: float = 800.0
    edge_depth_km: float = 100.0
    edge_cooling_k: float = 1.0              # per unit of edge index
    edge_summer_damping_k: float = 1.5       # smaller annual amplitude per unit of edge index
    edge_diel_damping: float = 0.2           # relative diel range lost per unit of edge index
    latitude_gradient_k_per_degree: float = -0.4
    dry_swvl1: float = 0.025
    edge_swvl_rise: float = 0.010            # per unit of edge index, both layers
    swvl2_excess: float = 0.008              # deeper sand is a little wetter
    swvl_max: float = 0.30
    storms_per_year_per_100k_km2: float = 5.0
    storm_margin_degrees: float = 2.0
    storm_radius_km: tuple = (80.0, 250.0)
    storm_mean_depth_mm: float = 5.0
    rain_season_peak_day: float = 190.0
    rain_season_width_days: float = 45.0
    rain_offseason_weight: float = 0.15      # relative to the peak of the rainy season
    edge_rain_gain: float = 0.75
    min_rain_mm: float = 0.5
    swvl1_retained_fraction: float = 0.5     # of the rain, spread over the 7 cm of layer 1
    swvl2_received_fraction: float = 0.4     # of the rain, spread over the 21 cm of layer 2
    swvl1_drying_days: float = 2.0
    swvl2_rise_hours: float = 12.0
    swvl2_drying_days: float = 6.0


def generate(outdir, first_year=2000, last_year=2022, resolution=0.5, bbox=DEFAULT_BBOX,
             seed=DEFAULT_SEED, physics=Physics(), outline=OUTLINE, prefix=DEFAULT_PREFIX,
             progress=None):
    """Write one SYNTHETIC ERA5-Land-style NetCDF file per year into ``outdir``; return their paths.

    ``progress`` is called with (year, path) after each file is written.
    """
    if last_year < first_year:
        raise ValueError(f"last year {last_year} is before first year {first_year}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    site = Site(bbox, resolution, physics, outline)
    weather = Weather(seed, physics, bbox)
    settings = {"generator": f"resources/demo/generate_demo.py {VERSION}", "seed": seed,
                "resolution": resolution, "bbox": list(bbox), "outline": Path(outline).name,
                "physics": dataclasses.asdict(physics)}
    paths = []
    for year in range(first_year, last_year + 1):
        path = outdir / f"{prefix}_{year}.nc"
        _write_year(path, year, site, weather, settings)
        paths.append(path)
        if progress:
            progress(year, path)
    return paths


def grid_centres(bbox, resolution):
    """Cell centres: latitudes north first, longitudes west first, covering ``bbox``."""
    west, south, east, north = bbox
    columns = max(2, math.ceil((east - west) / resolution - 1e-9))
    rows = max(2, math.ceil((north - south) / resolution - 1e-9))
    return north - resolution * (np.arange(rows) + 0.5), west + resolution * (np.arange(columns) + 0.5)


def edge_index(lat, lon, depth_km, outline=OUTLINE):
    """0 deep in the desert, 1 on the outline, 2 at ``depth_km`` outside it and beyond (arrays alike)."""
    lat, lon = np.broadcast_arrays(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
    rings = _outline_rings(outline)
    inside = np.zeros(lat.shape, dtype=bool)
    distance = np.full(lat.shape, np.inf)
    km_per_degree_lon = KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(lat))[..., None]
    for ring in rings:
        x0, y0 = ring[:-1, 0], ring[:-1, 1]
        x1, y1 = ring[1:, 0], ring[1:, 1]
        # Even-odd rule: count edges crossed by a ray going east from the point.
        straddles = (y0 > lat[..., None]) != (y1 > lat[..., None])
        crossing = x0 + (lat[..., None] - y0) * (x1 - x0) / np.where(y1 != y0, y1 - y0, 1.0)
        inside ^= (straddles & (lon[..., None] < crossing)).sum(axis=-1) % 2 == 1
        # Distance to each edge on a local equirectangular projection, in km.
        ax, ay = (x0 - lon[..., None]) * km_per_degree_lon, (y0 - lat[..., None]) * KM_PER_DEGREE_LAT
        bx, by = (x1 - lon[..., None]) * km_per_degree_lon, (y1 - lat[..., None]) * KM_PER_DEGREE_LAT
        dx, dy = bx - ax, by - ay
        along = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
        distance = np.minimum(distance, np.hypot(ax + along * dx, ay + along * dy).min(axis=-1))
    depth = np.where(inside, distance, -distance)
    return np.clip((depth_km - depth) / depth_km, 0.0, 2.0)


def _outline_rings(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings += [np.asarray(ring, dtype=np.float64)[:, :2] for polygon in polygons for ring in polygon]
    return rings


def layer_response(omega_per_hour, layer, diffusivity):
    """Complex factor of a surface harmonic averaged over a soil layer (heat diffusion, uniform soil).

    A surface wave Re(A exp(i w t)) becomes Re(A exp(i w t) K) with K the layer average of
    exp(-(1 + i) z / d), d = sqrt(2 kappa / w): |K| < 1 is the damping, -arg K the phase lag.
    """
    top, bottom = LAYERS_M[layer]
    omega = np.asarray(omega_per_hour, dtype=np.float64) / 3600.0
    damping_depth = np.sqrt(2.0 * diffusivity / omega)
    q = (1.0 + 1.0j) / damping_depth
    return (np.exp(-q * top) - np.exp(-q * bottom)) / (q * (bottom - top))


def diel_harmonics(physics, count=3):
    """Complex coefficients c_h (h = 1..count) of the diel shape Re(sum c_h exp(i h DAY tau)).

    tau is local solar time in hours; the truncated shape has zero mean and a range of exactly 1.
    The full shape is the Goettsche & Olesen (2001) diurnal temperature cycle.
    """
    tau = np.arange(0, 24, 1.0 / 60)
    peak, width, cooling = physics.diel_peak_hour, physics.diel_half_width_hours, physics.diel_cooling_start_hour
    sunrise = peak - width / 2
    at_cooling = math.cos(math.pi / width * (cooling - peak))
    decay_hours = width / math.pi / math.tan(math.pi / width * (cooling - peak))
    since_cooling = (tau - cooling) % 24
    shape = np.where((tau >= sunrise) & (tau < cooling), np.cos(math.pi / width * (tau - peak)),
                     at_cooling * np.exp(-since_cooling / decay_hours))
    coefficients = 2 * np.fft.rfft(shape)[1:count + 1] / tau.size
    harmonics = np.arange(1, count + 1)
    truncated = np.real(np.exp(1j * DAY * np.outer(tau, harmonics)) @ coefficients)
    return coefficients / (truncated.max() - truncated.min())


class Site:
    """The grid and every per-cell constant, cells flattened north row first."""

    def __init__(self, bbox, resolution, physics, outline=OUTLINE):
        self.physics = physics
        self.latitudes, self.longitudes = grid_centres(bbox, resolution)
        lat, lon = np.meshgrid(self.latitudes, self.longitudes, indexing="ij")
        self.shape = lat.shape
        self.lat, self.lon = lat.ravel(), lon.ravel()
        self.edge = edge_index(self.lat, self.lon, physics.edge_depth_km, outline)
        p = physics
        self.mean_c = (p.mean_surface_c - p.edge_cooling_k * self.edge
                       + p.latitude_gradient_k_per_degree * (self.lat - TAZHONG[1]))
        self.annual_amplitude = p.annual_amplitude_k - p.edge_summer_damping_k * self.edge
        self.diel_scale = 1.0 - p.edge_diel_damping * self.edge
        self.dry_swvl1 = p.dry_swvl1 + p.edge_swvl_rise * self.edge
        self.dry_swvl2 = self.dry_swvl1 + p.swvl2_excess
        self.rain_gain = 1.0 + p.edge_rain_gain * self.edge
        # Distance east of Tazhong, for eastward-travelling weather.
        self.east_km = (self.lon - TAZHONG[0]) * KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(TAZHONG[1]))


class Weather:
    """The deterministic pseudo-random parts: synoptic waves, interannual anomalies, storms."""

    def __init__(self, seed, physics, bbox):
        self.seed, self.physics = seed, physics
        rng = np.random.default_rng([seed, STREAM_SYNOPTIC])
        shortest, longest = physics.synoptic_period_days
        periods_h = 24 * np.exp(rng.uniform(math.log(shortest), math.log(longest), physics.synoptic_components))
        self.synoptic_omega = 2 * math.pi / periods_h
        self.synoptic_phase = rng.uniform(0, 2 * math.pi, physics.synoptic_components)
        # Equal amplitudes whose summed variance is synoptic_sd_k squared.
        self.synoptic_amplitude = physics.synoptic_sd_k * math.sqrt(2.0 / physics.synoptic_components)
        west, south, east, north = bbox
        margin = physics.storm_margin_degrees
        self.storm_box = (west - margin, south - margin, east + margin, north + margin)
        width_km = ((east - west + 2 * margin) * KM_PER_DEGREE_LON_EQUATOR
                    * math.cos(math.radians((south + north) / 2)))
        self.storm_box_km2 = width_km * (north - south + 2 * margin) * KM_PER_DEGREE_LAT

    def interannual_anomaly(self, year):
        """The year's temperature anomaly in K (the same whatever years are generated)."""
        rng = np.random.default_rng([self.seed, STREAM_INTERANNUAL, year])
        return float(rng.normal(0.0, self.physics.interannual_sd_k))

    def storms(self, year):
        """Onset (hours since 1900), centre lon/lat, radius (km) and central depth (mm) of each storm."""
        p = self.physics
        rng = np.random.default_rng([self.seed, STREAM_STORMS, year])
        count = rng.poisson(p.storms_per_year_per_100k_km2 * self.storm_box_km2 / 1e5)
        start, stop = year_start_hours(year), year_start_hours(year + 1)
        day_of_year = np.arange(stop - start) / 24.0 + 1
        weight = p.rain_offseason_weight + np.exp(-((day_of_year - p.rain_season_peak_day)
                                                    / p.rain_season_width_days) ** 2)
        onset = start + np.sort(rng.choice(stop - start, size=count, p=weight / weight.sum()))
        west, south, east, north = self.storm_box
        return (onset, rng.uniform(west, east, count), rng.uniform(south, north, count),
                rng.uniform(*p.storm_radius_km, count), rng.exponential(p.storm_mean_depth_mm, count))

    def rain(self, year, site):
        """Storm onsets of ``year`` and the rain (mm) each leaves in each cell, (storms, cells)."""
        onset, lon, lat, radius, depth = self.storms(year)
        dx = (site.lon[None, :] - lon[:, None]) * KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(site.lat))[None, :]
        dy = (site.lat[None, :] - lat[:, None]) * KM_PER_DEGREE_LAT
        amount = depth[:, None] * np.exp(-(dx ** 2 + dy ** 2) / radius[:, None] ** 2) * site.rain_gain[None, :]
        return onset, np.where(amount >= self.physics.min_rain_mm, amount, 0.0)


def year_start_hours(year):
    return int((np.datetime64(f"{year:04d}-01-01", "h") - np.datetime64("1900-01-01", "h")).astype(np.int64))


class YearFields:
    """All five variables of one year at one site, computed chunk by chunk as pure functions of time."""

    def __init__(self, year, site, weather):
        p = site.physics
        self.site, self.weather, self.physics = site, weather, p
        self.start, self.stop = year_start_hours(year), year_start_hours(year + 1)
        self.anomalies = [weather.interannual_anomaly(y) for y in (year - 1, year, year + 1)]
        self.warmest = year_start_hours(2000) + 24 * (p.warmest_day - 1)
        self.solstice = year_start_hours(2000) + 24 * (p.solstice_day - 1)
        self.skin_peak = year_start_hours(2000) + 24 * (p.skin_offset_peak_day - 1)
        self.trend_origin = year_start_hours(p.trend_reference_year)
        harmonics = np.arange(1, 4)
        solar_shift = np.exp(1j * DAY * np.outer(harmonics, site.lon / 15.0))
        travel = np.exp(1j * (weather.synoptic_phase[:, None]
                              - np.outer(weather.synoptic_omega, site.east_km) * 24 / p.synoptic_speed_km_per_day))
        diel = diel_harmonics(p)[:, None] * solar_shift
        synoptic = weather.synoptic_amplitude * travel
        self.layers = {"surface": (1.0, diel, synoptic)}
        for layer in LAYERS_M:
            annual, daily, waves = (layer_response(omega, layer, p.thermal_diffusivity)
                                    for omega in (YEAR, DAY * harmonics, weather.synoptic_omega))
            self.layers[layer] = (annual, diel * daily[:, None], synoptic * waves[:, None])
        # Storms of the previous year still wet the sand in January.
        events = [weather.rain(y, site) for y in (year - 1, year)]
        self.onsets = np.concatenate([onset for onset, _ in events])
        rain = np.concatenate([amount for _, amount in events])
        self.jump1 = p.swvl1_retained_fraction * rain / WATER_LAYERS_MM["swvl1"]
        self.jump2 = p.swvl2_received_fraction * rain / WATER_LAYERS_MM["swvl2"]

    def chunks(self):
        """[start, stop) hours since 1900 of runs of whole days that fit CHUNK_BYTES."""
        days = max(1, CHUNK_BYTES // (WORK_ARRAYS * 8 * 24 * self.site.lat.size))
        return [(a, min(a + 24 * days, self.stop)) for a in range(self.start, self.stop, 24 * days)]

    def compute(self, first, stop):
        """{variable: (steps, cells) float64} for hours [first, stop), temperatures in K."""
        p, site = self.physics, self.site
        t = np.arange(first, stop, dtype=np.float64)
        slow = (site.mean_c[None, :] + (p.trend_k_per_year * (t - self.trend_origin) / HOURS_PER_YEAR
                                        + self._anomaly(t))[:, None])
        seasonal_wave = np.exp(1j * YEAR * (t - self.warmest))[:, None] * site.annual_amplitude[None, :]
        solar_season = np.cos(YEAR * (t - self.solstice))[:, None]
        diel_range = (p.diel_range_mean_k + p.diel_range_amplitude_k * solar_season) * site.diel_scale[None, :]
        diel_basis = np.exp(1j * DAY * np.outer(t, np.arange(1, 4)))
        synoptic_basis = np.exp(1j * np.outer(t, self.weather.synoptic_omega))
        out = {}
        for layer, (annual, diel, synoptic) in self.layers.items():
            out[layer] = (slow + np.real(seasonal_wave * annual) + diel_range * np.real(diel_basis @ diel)
                          + np.real(synoptic_basis @ synoptic) + KELVIN)
        skin_offset = p.skin_offset_mean_k + p.skin_offset_amplitude_k * np.cos(YEAR * (t - self.skin_peak))
        out["skt"] = out.pop("surface") + skin_offset[:, None]
        wet1, wet2 = self._wetting(first, stop)
        out["swvl1"] = np.minimum(site.dry_swvl1[None, :] + wet1, p.swvl_max)
        out["swvl2"] = np.minimum(site.dry_swvl2[None, :] + wet2, p.swvl_max)
        return out

    def _anomaly(self, t):
        """The year's anomaly, blended linearly into its neighbours' over the ramp around 1 January."""
        before, this, after = self.anomalies
        ramp = 24 * self.physics.interannual_ramp_days
        from_start = np.clip(1 - (t - self.start) / ramp, 0, 1)
        to_stop = np.clip(1 - (self.stop - t) / ramp, 0, 1)
        return this + 0.5 * (before - this) * from_start + 0.5 * (after - this) * to_stop

    def _wetting(self, first, stop):
        """Water added to layers 1 and 2 by the storms, (steps, cells) each."""
        p = self.physics
        tau1, tau2, rise = 24 * p.swvl1_drying_days, 24 * p.swvl2_drying_days, p.swvl2_rise_hours
        peak = math.log(tau2 / rise) * tau2 * rise / (tau2 - rise)
        norm2 = math.exp(-peak / tau2) - math.exp(-peak / rise)
        # Tails are cut where they fall below 1e-6 of the jump, far under the int16 packing step.
        layers = ((self.jump1, int(14 * tau1), lambda age: np.exp(-age / tau1)),
                  (self.jump2, int(14 * tau2), lambda age: (np.exp(-age / tau2) - np.exp(-age / rise)) / norm2))
        added = []
        for jumps, reach, kernel in layers:
            wet = np.zeros((stop - first, self.site.lat.size))
            for onset, jump in zip(self.onsets, jumps):
                hit = jump > 0
                lo, hi = max(first, onset), min(stop, onset + reach)
                if lo < hi and hit.any():
                    age = np.arange(lo - onset, hi - onset, dtype=np.float64)
                    wet[lo - first:hi - first, hit] += kernel(age)[:, None] * jump[hit][None, :]
            added.append(wet)
        return added


def packing(low, high):
    """scale_factor and add_offset that map [low, high] onto -32766..32766 (-32767 is missing)."""
    scale = (high - low) / (2 * PACKED_HALF_RANGE) if high > low else 1.0
    return scale, (high + low) / 2


def _write_year(path, year, site, weather, settings):
    fields = YearFields(year, site, weather)
    chunks = fields.chunks()
    names = [name for name, _, _ in VARIABLES]
    low = dict.fromkeys(names, np.inf)
    high = dict.fromkeys(names, -np.inf)
    # The CDS packed each variable of each file over its own range: a first pass finds it.
    for first, stop in chunks:
        for name, values in fields.compute(first, stop).items():
            low[name], high[name] = min(low[name], values.min()), max(high[name], values.max())
    partial = path.with_name(path.name + ".part")
    rows, columns = site.shape
    with netcdf_file(_MemoryFile(partial), "w", version=2) as nc:
        _global_attributes(nc, year, weather, settings)
        nc.createDimension("time", None)
        nc.createDimension("latitude", rows)
        nc.createDimension("longitude", columns)
        for axis, values, units in (("longitude", site.longitudes, "degrees_east"),
                                    ("latitude", site.latitudes, "degrees_north")):
            variable = nc.createVariable(axis, "f4", (axis,))
            variable.units, variable.long_name = units, axis
            variable[:] = values.astype(np.float32)
        time = nc.createVariable("time", "i4", ("time",))
        time.units, time.long_name, time.calendar = "hours since 1900-01-01 00:00:00.0", "time", "gregorian"
        time[:] = np.arange(fields.start, fields.stop, dtype=np.int32)
        scales = {}
        for name, long_name, units in VARIABLES:
            variable = nc.createVariable(name, "i2", ("time", "latitude", "longitude"))
            scale, offset = packing(float(low[name]), float(high[name]))
            variable.scale_factor, variable.add_offset = np.float64(scale), np.float64(offset)
            variable._FillValue = variable.missing_value = np.int16(PACKED_MISSING)
            variable.units, variable.long_name = units, long_name
            scales[name] = (scale, offset)
        for first, stop in chunks:
            for name, values in fields.compute(first, stop).items():
                scale, offset = scales[name]
                packed = np.clip(np.round((values - offset) / scale), -PACKED_HALF_RANGE, PACKED_HALF_RANGE)
                nc.variables[name][first - fields.start:stop - fields.start] = (
                    packed.astype(np.int16).reshape((stop - first,) + site.shape))
    os.replace(partial, path)


class _MemoryFile(io.BytesIO):
    """The file is assembled in memory, where scipy's two seeks per record and variable are cheap
    (on disk they took 80 % of the run time), and written out when scipy closes it."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def close(self):
        if not self.closed:
            with open(self.path, "wb") as f, self.getbuffer() as content:
                f.write(content)
        super().close()


def _global_attributes(nc, year, weather, settings):
    nc.Conventions = "CF-1.6"
    nc.title = "SYNTHETIC demo forcing over the Taklimakan desert in the ERA5-Land NetCDF layout (NOT ERA5-Land)"
    nc.source = f"synthetic: {settings['generator']}, seed {weather.seed}"
    nc.history = (f"Made by {settings['generator']} of the desert_carbon QGIS plugin with seed "
                  f"{weather.seed}, year {year}. SYNTHETIC demo data: not ERA5-Land, not observations.")
    nc.comment = ("SYNTHETIC data for trying the plugin: closed-form seasonal, diel and synoptic temperature "
                  "cycles with heat-diffusion damping in the soil layers, a linear warming trend and "
                  "deterministic pseudo-random rain events. All coefficients are illustrative "
                  "(see resources/demo/README.md). Do not use for science.")
    nc.synthetic = "yes"
    nc.generator_settings = json.dumps(settings, sort_keys=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="The files are SYNTHETIC demo data, not ERA5-Land.")
    parser.add_argument("outdir", help="folder for the yearly NetCDF files (created if missing)")
    parser.add_argument("--first-year", type=int, default=2000)
    parser.add_argument("--last-year", type=int, default=2022)
    parser.add_argument("--resolution", type=float, default=0.5, help="cell size in degrees (default 0.5)")
    parser.add_argument("--bbox", type=float, nargs=4, default=DEFAULT_BBOX,
                        metavar=("WEST", "SOUTH", "EAST", "NORTH"), help="degrees (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--trend", type=float, default=Physics.trend_k_per_year,
                        help="warming trend in K per year (default %(default)s)")
    parser.add_argument("--prefix", default=DEFAULT_PREFIX, help="file names are PREFIX_YEAR.nc")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    report = None if args.quiet else (lambda year, path: print(f"{year}: {path}", file=sys.stderr))
    generate(args.outdir, args.first_year, args.last_year, args.resolution, tuple(args.bbox), args.seed,
             Physics(trend_k_per_year=args.trend), prefix=args.prefix, progress=report)


if __name__ == "__main__":
    main()
