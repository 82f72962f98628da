"""Multi-site calibration: stations made (synthetic, labelled) from known aC, aP, aS and intercepts give them
back within their bootstrap intervals; the regression equals numpy's weighted least squares done here by
hand; the file loads with its ensemble; a station list is read with its soils, and refused when it is not one.
"""
import numpy as np
import pytest

from desert_carbon.core.calibration_sites import Site, calibrate_sites, read_site_list
from desert_carbon.core.calibration_sites_report import (multi_site_document, multi_site_report_html,
                                                         write_multi_site_parameter_file)
from desert_carbon.core.errors import InputError
from desert_carbon.core.parameters import load_ensemble, load_parameters
from synthetic_station import DEFAULTS, TRUE, synthetic_table

# The map's R3 the synthetic stations are made from: A_i = r3_a + aC*(SOC_i - SOCref),
# B_i = r3_b + aP*(pH_i - pHref) + aS*(salt_i - saltref), SOCref = 1, pHref = 9, saltref = 0.5 (defaults).
MAP_R3 = {"r3_a": 0.2, "a_soc": 0.05, "r3_b": 0.1, "a_ph": 0.08, "a_salt": 0.02}
SOILS = [(1.0, 8.5, 0.5), (3.0, 9.0, 2.0), (5.0, 9.6, 1.0), (2.0, 10.0, 4.0)]      # SOC g/kg, pH, salt g/kg
BOOTSTRAP = 40
LEVEL = 0.99                    # five coefficients at once: each at 99 % keeps the joint coverage near 95 %


def site_amplitudes(soc, ph, salt):
    a = MAP_R3["r3_a"] + MAP_R3["a_soc"] * (soc - DEFAULTS.soc_ref)
    b = MAP_R3["r3_b"] + MAP_R3["a_ph"] * (ph - DEFAULTS.ph_ref) + MAP_R3["a_salt"] * (salt - DEFAULTS.salt_ref)
    return a, b


@pytest.fixture(scope="module")
def multi_site():
    sites = []
    for number, (soc, ph, salt) in enumerate(SOILS):
        a, b = site_amplitudes(soc, ph, salt)
        series, _, _ = synthetic_table(years=1, seed=20 + number, truth_values={**TRUE, "r3_a": a, "r3_b": b})
        sites.append(Site(f"S{number}", series, soc, ph, salt))
    return calibrate_sites(sites, n_bootstrap=BOOTSTRAP, interval_level=LEVEL)


def test_known_soil_coefficients_lie_within_their_intervals(multi_site):
    for name, true_value in MAP_R3.items():
        low, high = multi_site.regression[name]["interval"]
        assert low <= true_value <= high, (name, true_value, low, high)
        assert multi_site.parameters.provenance[name] == "C"
    # each station's own A and B are recovered too
    for site, result in multi_site.sites:
        a, b = site_amplitudes(site.soc, site.ph, site.salt)
        assert result.intervals["r3_a"][0] <= a <= result.intervals["r3_a"][1]
        assert result.intervals["r3_b"][0] <= b <= result.intervals["r3_b"][1]


def test_regression_is_weighted_least_squares_by_hand(multi_site):
    """r3_b, aP, aS from numpy's normal equations with 1/var weights, written out here."""
    amplitudes = np.array([r.parameters.r3_b for _, r in multi_site.sites])
    column = [r.fitted.index("r3_b") for _, r in multi_site.sites]
    variance = np.array([np.var(r.bootstrap["members"][:, c], ddof=1) for (_, r), c in zip(multi_site.sites, column)])
    x = np.array([[1.0, ph - 9.0, salt - 0.5] for _, ph, salt in SOILS])
    w = np.diag(1.0 / variance)
    expected = np.linalg.solve(x.T @ w @ x, x.T @ w @ amplitudes)
    got = [multi_site.parameters.values[n] for n in ("r3_b", "a_ph", "a_salt")]
    assert got == pytest.approx(expected, rel=1e-9)


def test_shared_coefficients_are_weighted_means_of_the_stations(multi_site):
    k2 = np.array([r.parameters.k2 for _, r in multi_site.sites])
    weights = np.array([1.0 / np.var(r.bootstrap["members"][:, r.fitted.index("k2")], ddof=1)
                        for _, r in multi_site.sites])
    assert multi_site.parameters.k2 == pytest.approx(np.sum(weights * k2) / weights.sum(), rel=1e-12)
    assert multi_site.parameters.k2 == pytest.approx(TRUE["k2"], rel=0.05)


def test_the_map_file_gives_each_station_its_regressed_amplitudes_and_keeps_the_ensemble(multi_site, tmp_path):
    path = tmp_path / "map.json"
    write_multi_site_parameter_file(multi_site, path)
    params = load_parameters(path)
    assert params.values == multi_site.parameters.values and params.needs_soil_maps
    members = load_ensemble(path)
    assert len(members) == BOOTSTRAP
    document = multi_site_document(multi_site)
    assert [s["station"] for s in document["stations"]] == ["S0", "S1", "S2", "S3"]
    assert "a_soc" in document["ensemble"]["coefficients"]
    page = multi_site_report_html(multi_site)
    for text in ("Coefficients for the map", "S3", "null model (training mean)", "weighted least squares"):
        assert text in page


def test_a_station_list_is_read_with_its_soils(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    listing = tmp_path / "stations.csv"
    listing.write_text("station;file;soc;ph;salt\nTazhong;a.csv;1.2;9.1;0.8\nB;/abs/b.csv;2;8,5;1\n")
    with pytest.raises(InputError, match=r"stations\.csv, row 3, column ph: '8,5' is not a number"):
        read_site_list(listing)
    listing.write_text("station,file,soc,ph,salt\nTazhong,a.csv,1.2,9.1,0.8\nB,/abs/b.csv,2,8.5,1\n")
    entries = read_site_list(listing)
    assert [(e.name, e.path, e.soc, e.ph, e.salt) for e in entries] == [
        ("Tazhong", tmp_path / "a.csv", 1.2, 9.1, 0.8), ("B", __import__("pathlib").Path("/abs/b.csv"), 2.0, 8.5, 1.0)]


def test_a_station_list_without_soil_columns_is_refused(tmp_path):
    listing = tmp_path / "stations.csv"
    listing.write_text("station,file,soc\nA,a.csv,1\nB,b.csv,2\n")
    with pytest.raises(InputError, match=r"stations\.csv: column\(s\) \['ph', 'salt'\] missing"):
        read_site_list(listing)
