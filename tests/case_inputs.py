"""The input files that tests/qgis/algorithm_cases.yaml names, written by the tests (SYNTHETIC data).

Each is small and built so that its expected results can be worked out by hand or in closed form;
the cases file says how next to each expected value.
"""
import json

import numpy as np
import rasterio
from rasterio.transform import from_origin

ORIGIN = (80.0, 40.0)            # top-left corner (lon, lat) of every raster here
CELL_DEGREES = 0.5
NODATA = -9999.0


def _annual_raster(path, values, first_year):
    """One band per year, band description the year, units in the band metadata (docs/DESIGN.md)."""
    bands, rows, cols = values.shape
    profile = {"driver": "GTiff", "width": cols, "height": rows, "count": bands, "dtype": "float32",
               "crs": "EPSG:4326", "transform": from_origin(*ORIGIN, CELL_DEGREES, CELL_DEGREES), "nodata": NODATA}
    with rasterio.open(path, "w", **profile) as target:
        target.write(values.astype(np.float32))
        for band in range(bands):
            target.set_band_description(band + 1, str(first_year + band))
            target.update_tags(band + 1, units="g CO2 m-2 a-1")
    return str(path)


def three_trends(path):
    """1 × 3 cells, 2001–2008 (k = 0..7): 1.5·k, the constant 4, and k + 0.5·(−1)^k."""
    k = np.arange(8, dtype=np.float64)
    values = np.stack([1.5 * k, np.full(8, 4.0), k + 0.5 * (-1.0) ** k], axis=-1)[:, None, :]
    return _annual_raster(path, values, 2001)


def constant_flux(path):
    """4 × 4 cells of 0.5° from 80 °E 40 °N, −5 g CO2 m-2 a-1 in each of 2001–2003."""
    return _annual_raster(path, np.full((3, 4, 4), -5.0), 2001)


def single_year(path):
    """One band (2001) only: no trend can be fitted."""
    return _annual_raster(path, np.full((1, 2, 2), 1.0), 2001)


def _daily_stack(path, values):
    """A time stack of 2001 at a daily step (365 bands, 1 × 2 cells); times come from START/STEP_HOURS."""
    stack = np.broadcast_to(np.asarray(values, dtype=np.float64), (365, 1, 2))
    profile = {"driver": "GTiff", "width": 2, "height": 1, "count": 365, "dtype": "float32", "crs": "EPSG:4326",
               "transform": from_origin(*ORIGIN, CELL_DEGREES, CELL_DEGREES), "interleave": "pixel"}
    with rasterio.open(path, "w", **profile) as target:
        target.write(stack.astype(np.float32))
    return str(path)


def dry_t0(path):
    """Surface 2.75 °C warmer than 10 cm in cell 0, as warm in cell 1, all year (°C; exact in float32)."""
    return _daily_stack(path, [[22.75, 20.0]])


def dry_t10(path):
    """10 cm at 20 °C all year."""
    return _daily_stack(path, [[20.0, 20.0]])


def dry_vwc10(path):
    """Dry sand, 0.03 m³ m⁻³, below the 0.05 threshold of R2."""
    return _daily_stack(path, [[0.03, 0.03]])


def percent_vwc10(path):
    """Soil water given in percent (3 %) instead of m³ m⁻³."""
    return _daily_stack(path, [[3.0, 3.0]])


def _polygons(path, features):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties,
         "geometry": {"type": "Polygon", "coordinates": [[list(corner) for corner in ring]]}}
        for properties, ring in features]}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return str(path)


def _box(west, south, east, north):
    return [(west, south), (east, south), (east, north), (west, north), (west, south)]


def box_80_81_38_39(path):
    """The lon/lat box 80–81 °E, 38–39 °N, on cell edges of the rasters above."""
    return _polygons(path, [({"name": "box"}, _box(80.0, 38.0, 81.0, 39.0))])


def overlapping_plantings(path):
    """Two shelter-forest plantings that share a quarter of their area."""
    return _polygons(path, [({"name": "a", "practice": "shelter_forest", "planting_year": 2025},
                             _box(80.0, 38.0, 80.2, 38.2)),
                            ({"name": "b", "practice": "shelter_forest", "planting_year": 2025},
                             _box(80.1, 38.1, 80.3, 38.3))])


BUILDERS = {"three_trends.tif": three_trends, "constant_flux.tif": constant_flux, "single_year.tif": single_year,
            "box_80_81_38_39.geojson": box_80_81_38_39, "overlapping_plantings.geojson": overlapping_plantings,
            "dry_t0.tif": dry_t0, "dry_t10.tif": dry_t10, "dry_vwc10.tif": dry_vwc10,
            "percent_vwc10.tif": percent_vwc10}


def write_inputs(folder):
    """Every input of the cases file in ``folder``; returns {file name: path}."""
    return {name: build(folder / name) for name, build in BUILDERS.items()}
