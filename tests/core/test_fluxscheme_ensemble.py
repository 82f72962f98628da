"""fluxscheme with a parameter ensemble: each member's annual sums are the hand-worked value of its k1 on a forcing
of constant ΔT (1e-12), a member equal to the central set gives OUTPUT, the members' totals over a polygon spread
as the k1 values do (analytic, 1e-9), and the member folder is refused when it is not an ensemble's."""
from pathlib import Path

import numpy as np
import pytest
import rasterio

from desert_carbon.core.aggregate import aggregate_totals
from desert_carbon.core.ensemble_files import member_rasters
from desert_carbon.core.errors import InputError
from desert_carbon.core.fluxscheme_run import run_flux_scheme
from desert_carbon.core.forcing import RasterStackForcing
from desert_carbon.core.parameters import load_parameter_ensemble, load_parameters
from desert_carbon.core.units import GRAMS_CO2_PER_UMOL
from case_inputs import CELL_DEGREES, ORIGIN, dry_t0, dry_t10, dry_vwc10
from ensemble_files_for_tests import MEMBER_K1, parameter_folder
from oracles import lonlat_box

SECONDS = 365 * 86400
DELTA_T = np.array([2.75, 0.0])          # the dry stacks' T0 - T10 in the two cells (°C)


def dry_forcing(folder):
    return RasterStackForcing(dry_t0(folder / "t0.tif"), dry_t10(folder / "t10.tif"), dry_vwc10(folder / "vwc.tif"),
                              start="2001-01-01T00:00", step_seconds=86400)


def run_ensemble(folder, parameters, output):
    """fluxscheme on the dry forcing with the parameter files in ``parameters`` as its ensemble, members to
    ``folder``/members."""
    forcing = dry_forcing(folder)
    try:
        return run_flux_scheme(forcing, load_parameters(None), folder / output,
                               ensemble=load_parameter_ensemble(parameters), ensemble_output=folder / "members")
    finally:
        forcing.close()


@pytest.fixture
def ensemble_run(tmp_path):
    return tmp_path, run_ensemble(tmp_path, parameter_folder(tmp_path / "parameters"), "annual.tif")


def read(path):
    with rasterio.open(path) as source:
        return source.read(1), source.descriptions, source.tags(1)


def test_each_member_is_its_hand_worked_sum(ensemble_run):
    folder, result = ensemble_run
    paths = member_rasters(folder / "members")
    assert [Path(p).name for p in paths] == [f"member_{n:03d}.tif" for n in range(1, 5)]
    for path, k1 in zip(paths, MEMBER_K1):
        values, names, tags = read(path)
        expected = k1 * (DELTA_T - 0.8) * SECONDS * GRAMS_CO2_PER_UMOL       # R1 only: dry, tendency 0, R3 off
        np.testing.assert_allclose(values[0], expected, rtol=1e-12)
        assert names == ("2001",) and tags["units"] == "g CO2 m-2 a-1"
    central, _, _ = read(folder / "annual.tif")
    np.testing.assert_allclose(read(paths[1])[0], central, rtol=1e-12)        # k1 = 0.01 is the default
    assert any("4 members summed from the same reads" in note for note in result.notes)


def test_the_members_totals_spread_as_their_k1(ensemble_run):
    """Totals are linear in k1 here: the members' sd is the central total × sd(k1)/k1_default (1e-9)."""
    folder, _ = ensemble_run
    west, north = ORIGIN
    box = [[lonlat_box(west, north - CELL_DEGREES, west + 2 * CELL_DEGREES, north)]]       # both cells, whole
    totals = aggregate_totals(folder / "annual.tif", [("all", box)],
                              ensemble_paths=member_rasters(folder / "members"))
    mean = totals.rows()[-1]
    expected_sd = abs(mean["total_PgCO2_a"]) * np.std(MEMBER_K1, ddof=1) / 0.01
    assert mean["ensemble_sd_PgCO2_a"] == pytest.approx(expected_sd, rel=1e-9)


def test_a_rerun_with_fewer_members_removes_the_stale_ones(ensemble_run):
    folder, _ = ensemble_run
    result = run_ensemble(folder, parameter_folder(folder / "two", MEMBER_K1[:2]), "annual2.tif")
    assert sorted(p.name for p in (folder / "members").iterdir()) == ["member_001.tif", "member_002.tif"]
    assert any("Removed 2 member file(s)" in note for note in result.notes)


def test_a_member_folder_holding_other_files_is_refused(tmp_path):
    members = load_parameter_ensemble(parameter_folder(tmp_path / "parameters"))
    (tmp_path / "forcing").mkdir()
    (tmp_path / "forcing" / "era5land_2001.nc").write_bytes(b"not ours")
    forcing = dry_forcing(tmp_path)
    try:
        with pytest.raises(InputError, match=r"OUTPUT_ENSEMBLE \(.*forcing\) holds files that are not ensemble "
                                             r"members \(era5land_2001\.nc\)"):
            run_flux_scheme(forcing, load_parameters(None), tmp_path / "annual.tif", ensemble=members,
                            ensemble_output=tmp_path / "forcing")
    finally:
        forcing.close()
    assert not (tmp_path / "annual.tif").exists()


def test_an_ensemble_of_one_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"PARAMETER_ENSEMBLE_FOLDER.*holds 1 parameter file.*at least two"):
        load_parameter_ensemble(parameter_folder(tmp_path / "one", MEMBER_K1[:1]), "PARAMETER_ENSEMBLE_FOLDER")
