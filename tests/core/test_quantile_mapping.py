"""Quantile mapping of θ10: monotone relations between reanalysis and station are undone (SYNTHETIC series)."""
import numpy as np
import pytest

from desert_carbon.core.errors import InputError
from desert_carbon.core.quantile_mapping import fit_quantile_mapping

HOURS = 3600 * np.arange(24 * 120, dtype=np.int64)


def station_series(seed=3):
    rng = np.random.default_rng(seed)
    return np.clip(0.02 + rng.gamma(2.0, 0.01, HOURS.size), 0.0, 0.4)


def test_a_wet_bias_is_removed_inside_the_range():
    station = station_series()
    model = station + 0.04                          # reanalysis sand 0.04 m3 m-3 too wet, same shape
    mapping = fit_quantile_mapping(HOURS, model, HOURS, station, "TZ")
    inner = (model > mapping.model_quantiles[0]) & (model < mapping.model_quantiles[-1])
    np.testing.assert_allclose(mapping.apply(model)[inner], station[inner], atol=1e-12)


def test_a_scaled_distribution_is_unscaled_and_the_ends_keep_their_shift():
    station = station_series()
    model = 2.0 * station                           # a monotone map: quantiles map exactly
    mapping = fit_quantile_mapping(HOURS, model, HOURS, station, "TZ")
    np.testing.assert_allclose(mapping.station_quantiles, mapping.model_quantiles / 2.0, rtol=1e-12)
    top = mapping.model_quantiles[-1]
    assert mapping.apply(np.array([top + 0.01]))[0] == pytest.approx(top / 2.0 + 0.01, abs=1e-12)
    assert np.isnan(mapping.apply(np.array([np.nan]))[0])
    assert "station TZ" in mapping.describe() and "99 quantiles" in mapping.describe()


def test_only_the_common_period_counts():
    station = station_series()
    model = np.r_[station[:1440] + 0.04, np.full(HOURS.size - 1440, 0.9)]    # wet nonsense after the station ends
    mapping = fit_quantile_mapping(HOURS, model, HOURS[:1440], station[:1440], "TZ")
    assert mapping.period[1] == str(np.datetime64(int(HOURS[1439]), "s"))
    np.testing.assert_allclose(mapping.station_quantiles, mapping.model_quantiles - 0.04, atol=1e-12)


def test_no_common_period_is_refused_with_both_periods_named():
    with pytest.raises(InputError, match="Station TZ .* share no period"):
        fit_quantile_mapping(HOURS, station_series(), HOURS + 10**9, station_series(), "TZ")
