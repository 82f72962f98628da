"""desertcarbon:openpathcorrection through processing.run: the core's numbers in the files, clear errors.

The algorithm joins the plugin's provider when provider.py registers it; here it runs in a
throwaway provider so that this test does not depend on that registration.
"""
import json
from datetime import datetime, timedelta

import numpy as np
import processing
import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingProvider

from desert_carbon.core.openpath import correct_open_path
from desert_carbon.core.openpath_report import write_corrected_csv, write_summary_html, write_sums_csv
from desert_carbon.core.stations import read_station_csv
from desert_carbon.processing_provider.openpathcorrection_algorithm import OpenPathCorrectionAlgorithm

ALGORITHM = "desertcarbontest:openpathcorrection"
MAPPING = {"fc": "FC_OP", "h": "H", "rn": "NETRAD", "ta": "TA"}
C0, C1 = 0.03, -0.0012
DAYS, CAMPAIGNS = 40, ((5, 13), (25, 33))       # reference campaigns: first and stop day


class ThrowawayProvider(QgsProcessingProvider):
    def id(self):
        return "desertcarbontest"

    def name(self):
        return "Open-path correction under test"

    def loadAlgorithms(self):  # noqa: N802
        self.addAlgorithm(OpenPathCorrectionAlgorithm())


@pytest.fixture
def registered(qgis_processing):
    provider = ThrowawayProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    yield
    QgsApplication.processingRegistry().removeProvider(provider)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """An open-path table (generic CSV, local time UTC+8) and an AmeriFlux-BASE-style reference."""
    folder = tmp_path_factory.mktemp("openpath")
    rng = np.random.default_rng(11)
    start = datetime(2021, 5, 1)
    hours = np.arange(DAYS * 24)
    hour_of_day = hours % 24
    h = np.maximum(0.0, 300 * np.sin(np.pi * (hour_of_day - 7) / 14)) - 15
    true = 0.25 * np.sin(2 * np.pi * (hour_of_day - 10) / 24) + rng.normal(0, 0.15, hours.size)
    open_path = true + C0 + C1 * h + rng.normal(0, 0.05, hours.size)
    ta = 20 + 8 * np.sin(2 * np.pi * (hour_of_day - 10) / 24)
    stamps = [start + timedelta(hours=int(k)) for k in hours]
    lines = ["time,FC_OP,H,NETRAD,TA"] + [f"{t:%Y-%m-%d %H:%M},{f:.6f},{x:.3f},{x + 40:.3f},{a:.3f}"
                                          for t, f, x, a in zip(stamps, open_path, h, ta)]
    (folder / "open_path.csv").write_text("\n".join(lines) + "\n")
    reference = true + rng.normal(0, 0.05, hours.size)
    rows = ["# Site: CN-Tak", "TIMESTAMP_START,TIMESTAMP_END,FC"]
    for first, stop in CAMPAIGNS:
        for k in range(first * 24, stop * 24):
            rows.append(f"{stamps[k]:%Y%m%d%H%M},{stamps[k] + timedelta(hours=1):%Y%m%d%H%M},{reference[k]:.6f}")
    (folder / "reference.csv").write_text("\n".join(rows) + "\n")
    return folder


def parameters(tables, tmp_path, **changes):
    base = {"INPUT": str(tables / "open_path.csv"), "REFERENCE": str(tables / "reference.csv"), "METHOD": 1,
            "FORMAT": 4, "TIME_COLUMN": "time", "MAPPING": json.dumps(MAPPING), "UTC_OFFSET_HOURS": 8,
            "REFERENCE_UTC_OFFSET_HOURS": 8, "BOOTSTRAP": 100, "SEED": 3, "OUTPUT": str(tmp_path / "corrected.csv"),
            "OUTPUT_SUMMARY": str(tmp_path / "summary.html"), "OUTPUT_SUMS": str(tmp_path / "sums.csv")}
    return {**base, **changes}


@pytest.mark.parametrize("method", [0, 1])
def test_processing_run_writes_the_core_numbers(registered, tables, tmp_path, method):
    result = processing.run(ALGORITHM, parameters(tables, tmp_path, METHOD=method))
    assert result == {"OUTPUT": str(tmp_path / "corrected.csv"), "OUTPUT_SUMMARY": str(tmp_path / "summary.html"),
                      "OUTPUT_SUMS": str(tmp_path / "sums.csv")}
    series = read_station_csv(tables / "open_path.csv", table_format="generic", time_column="time", mapping=MAPPING,
                              required=("fc",), utc_offset_hours=8.0)
    reference = read_station_csv(tables / "reference.csv", required=("fc",), utc_offset_hours=8.0)
    core = correct_open_path(series, reference, method=("transfer", "sensible_heat")[method], n_bootstrap=100, seed=3)
    core_folder = tmp_path / "core"
    write_corrected_csv(core, core_folder / "corrected.csv")
    write_sums_csv(core, core_folder / "sums.csv")
    write_summary_html(core, core_folder / "summary.html")
    for name in ("corrected.csv", "sums.csv", "summary.html"):
        assert (tmp_path / name).read_bytes() == (core_folder / name).read_bytes(), name
    if method == 1:
        c0, c1 = core.coefficients
        assert abs(c0.value - C0) <= 3 * c0.sd and abs(c1.value - C1) <= 3 * c1.sd
    assert ("beta1", "c1")[method] in (tmp_path / "summary.html").read_text(encoding="utf-8")


def test_given_coefficients_need_no_reference(registered, tables, tmp_path):
    processing.run(ALGORITHM, parameters(tables, tmp_path, REFERENCE=None, C0=C0, C1=C1, OUTPUT_SUMS=None))
    first = (tmp_path / "corrected.csv").read_text().splitlines()[1].split(",")
    fc, corrected = float(first[1]), float(first[2])
    assert corrected == pytest.approx(fc - (C0 + C1 * -15.0), abs=1e-12)   # midnight: H = −15 W m-2
    assert not (tmp_path / "sums.csv").exists()


def test_bad_input_is_a_processing_error_naming_the_file_or_parameter(registered, tables, tmp_path):
    late = tmp_path / "late_reference.csv"
    late.write_text("TIMESTAMP_START,TIMESTAMP_END,FC\n" + "".join(
        f"2022{d:04d}{h:02d}00,2022{d:04d}{h + 1:02d}00,0.3\n" for d in (101, 102, 103) for h in range(23)))
    with pytest.raises(QgsProcessingException, match=r"late_reference\.csv .*do not overlap"):
        processing.run(ALGORITHM, parameters(tables, tmp_path, REFERENCE=str(late)))
    with pytest.raises(QgsProcessingException, match=r"open_path\.csv: the sensible-heat correction needs the "
                                                     r"sensible heat flux H"):
        processing.run(ALGORITHM, parameters(tables, tmp_path, MAPPING=json.dumps({"fc": "FC_OP", "rn": "NETRAD"})))
    with pytest.raises(QgsProcessingException, match=r"MAPPING is not valid JSON"):
        processing.run(ALGORITHM, parameters(tables, tmp_path, MAPPING="{fc: FC_OP}"))
    with pytest.raises(QgsProcessingException, match=r"Give both C0 and C1"):
        processing.run(ALGORITHM, parameters(tables, tmp_path, C0=0.1))
    assert not (tmp_path / "corrected.csv").exists()


def test_a_chamber_reference_on_its_own_cycle_is_binned_unless_reference_step_is_none(registered, tables, tmp_path):
    """SYNTHETIC chamber reference sampled every 3,456 s over the two campaigns, in mg CO2 m-2 s-1."""
    start, rng = datetime(2021, 5, 1), np.random.default_rng(5)
    rows = ["time,FC"]
    for first, stop in CAMPAIGNS:
        for s in range(first * 86400, stop * 86400, 3456):
            hour_of_day = (s / 3600) % 24
            flux = 0.25 * np.sin(2 * np.pi * (hour_of_day - 10) / 24) + 0.3 + rng.normal(0, 0.05)
            rows.append(f"{start + timedelta(seconds=s):%Y-%m-%d %H:%M:%S},{flux / 22.722:.8f}")
    chamber = tmp_path / "SYNTHETIC_chamber.csv"
    chamber.write_text("\n".join(rows) + "\n")
    given = dict(REFERENCE=str(chamber), REFERENCE_FORMAT=4, REFERENCE_TIME_COLUMN="time",
                 REFERENCE_MAPPING='{"fc": "FC"}', REFERENCE_FLUX_UNIT=2)
    with pytest.raises(QgsProcessingException, match=r"SYNTHETIC_chamber\.csv: column 'time': the most common "
                                                     r"spacing of timestamps is 3456 s.*set REFERENCE_STEP to hourly"):
        processing.run(ALGORITHM, parameters(tables, tmp_path, REFERENCE_STEP=4, **given))
    processing.run(ALGORITHM, parameters(tables, tmp_path, **given))
    assert (tmp_path / "corrected.csv").exists()
