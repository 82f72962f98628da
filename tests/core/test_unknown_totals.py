"""Silent successes that now warn: totals over a raster without data are unknown (not 0 Pg), and a polygon
layer without features says so; on SYNTHETIC rasters written here."""
import math

import numpy as np
from rasterio.transform import from_origin

from desert_carbon.core.aggregate import aggregate_totals
from forcing_files import write_annual

BOX = [[np.array([(80.2, 39.8), (80.8, 39.8), (80.8, 39.2), (80.2, 39.2), (80.2, 39.8)])]]


def test_totals_over_an_all_nodata_raster_are_unknown_and_warned(tmp_path):
    flux = np.full((2, 4, 4), -9999.0)
    flux[1, 0, 0] = 5.0                      # 2001 has one value inside the box; 2000 has none
    path = write_annual(tmp_path / "flux.tif", flux, from_origin(80.0, 40.0, 0.25, 0.25))
    result = aggregate_totals(path, [("box", BOX)])
    totals = result.polygons[0]
    assert math.isnan(totals.total_pg_co2[0]) and totals.total_pg_co2[1] > 0
    assert totals.area_summed_m2[0] == 0 and totals.area_nodata_m2[0] > 0
    warning, = [w for w in result.warnings if "unknown" in w]
    assert "Polygon box" in warning and "1 year(s) (2000)" in warning and "not 0" in warning
    mean_row = [row for row in result.rows() if row["year"] == "mean"][0]
    assert math.isnan(mean_row["total_PgCO2_a"])          # a mean over an unknown year is unknown


def test_a_polygon_layer_without_features_is_warned_about(tmp_path):
    path = write_annual(tmp_path / "flux.tif", np.ones((1, 4, 4)), from_origin(80.0, 40.0, 0.25, 0.25))
    result = aggregate_totals(path, [])
    assert result.rows() == []
    assert any("POLYGONS) has no features" in w for w in result.warnings)
