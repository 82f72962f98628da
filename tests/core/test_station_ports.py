"""Chamber ports: the PORTS text parsed once, a subset averaged per step, or each port its own series. On the real
COSORE ES-Agu 2012 file (ports 1 and 2) and on a SYNTHETIC four-port chamber table."""
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from desert_carbon.core.errors import InputError
from desert_carbon.core.stations import parse_ports, read_station_csv, read_station_ports

COSORE = Path(__file__).resolve().parents[1] / "data" / "cosore_ES-Agu_2012" / "data.csv"


@pytest.mark.parametrize("text, ports", [("", "mean"), (None, "mean"), (" mean ", "mean"), ("ALL", "mean"),
                                         ("2", (2,)), ("1-4", (1, 2, 3, 4)), ("1,3", (1, 3)),
                                         (" 3, 1 ", (1, 3)), ("1-2, 4", (1, 2, 4)), ("2;2", (2,))])
def test_ports_text(text, ports):
    assert parse_ports(text) == ports


@pytest.mark.parametrize("text", ["north", "1-", "4-1", "1,,3", "1.5"])
def test_ports_text_errors_name_the_parameter_and_show_an_example(text):
    with pytest.raises(InputError, match=r"^REFERENCE_PORTS: .*(e\.g\. 1-4, 1,3 or mean|low to high, e\.g\. 1-4)"):
        parse_ports(text, "REFERENCE_PORTS")


def test_cosore_ports_one_subset_and_separate_series():
    both = read_station_csv(COSORE, port=parse_ports("1-2"))
    every = read_station_csv(COSORE)                                       # port='mean': every port
    np.testing.assert_array_equal(both.times, every.times)
    for name, values in every.columns.items():
        np.testing.assert_array_equal(both.columns[name], values)
    one = read_station_csv(COSORE, port=parse_ports("2"))
    separate = read_station_ports(COSORE)
    assert sorted(separate) == [1, 2]
    np.testing.assert_array_equal(separate[2].columns["fc"], one.columns["fc"])
    assert any("rows of ports other than 2 not used" in line for line in one.report.dropped)
    with pytest.raises(InputError, match=r"port\(s\) 3 not in column 'CSR_PORT'; ports found: 1, 2\. Set PORTS to "
                                         r"some of them \(e\.g\. 1,2\) or to mean"):
        read_station_csv(COSORE, port=parse_ports("1,3"))


def write_four_ports(path):
    """SYNTHETIC: four chamber ports measured one after another every 15 min of each hour (port p at p*15 - 15 min),
    flux p + 0.01 h at hour h, for three days; a COSORE-style table."""
    lines = ["CSR_PORT,CSR_TIMESTAMP_BEGIN,CSR_FLUX_CO2,CSR_T5,CSR_SM5"]
    for h in range(72):
        for p in (1, 2, 3, 4):
            t = datetime(2020, 7, 1) + timedelta(hours=h, minutes=15 * (p - 1))
            lines.append(f"{p},{t:%Y-%m-%d %H:%M},{p + 0.01 * h:.2f},{20 + p},0.05")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_synthetic_ports_subset_averaged_per_step_after_binning(tmp_path):
    path = write_four_ports(tmp_path / "SYNTHETIC_ports.csv")
    # Each port alone is regular and hourly (port 3 at :30): together they are hourly but off the grid, not a
    # half-hourly series alternating between ports, so they are averaged per hour only when binned.
    with pytest.raises(InputError, match=r"line 4: 2020-07-01T00:30:00 is off the 3600 s grid.*set STEP to hourly"):
        read_station_csv(path, port=parse_ports("1,3"))
    odd = read_station_csv(path, port=parse_ports("1,3"), step="auto")
    assert odd.step == 3600 and list(odd.samples_per_step[:3]) == [2, 2, 2]
    assert odd.columns["fc"][0] == pytest.approx((1 + 3) / 2) and odd.columns["fc"][10] == pytest.approx(2.1)
    every = read_station_csv(path, port=parse_ports("1-4"), step="auto")
    assert every.columns["fc"][0] == pytest.approx(2.5) and every.samples_per_step[0] == 4
    assert every.columns["t10"][5] == pytest.approx(22.5)
    apart = read_station_ports(path, (2, 4), step="auto")
    assert apart[4].columns["fc"][1] == pytest.approx(4.01) and apart[4].samples_per_step is None


def test_trenched_ports_averaged_with_soil_respiration_ports_warn(tmp_path):
    """SYNTHETIC PORTS.txt, as COSORE writes it: ports 1, 2 and 4 measure Rs, port 3 is trenched (Rh)."""
    path = write_four_ports(tmp_path / "data.csv")
    (tmp_path / "PORTS.txt").write_text(
        "# PORTS.txt\n#\nCSR_PORT,\tCSR_MSMT_VAR,\tCSR_TREATMENT,\tCSR_AREA\n1,\tRs,\tNone,\t\n2,\tRs,\tNone,\t\n"
        "3,\tRh,\tTrenched,\t\n4,\tRs,\tNone,\t\n")
    mixed = read_station_csv(path, port=parse_ports("2-3"), step="auto")
    [warning] = mixed.report.warnings
    assert warning.endswith("the chamber ports averaged measure different things (PORTS.txt): Rh at port(s) 3 "
                            "(Trenched); Rs at port(s) 2. Trenched ports measure heterotrophic respiration (Rh) "
                            "only; set PORTS to the ports of one kind, e.g. 2.")
    assert "Rs at port(s) 1, 2, 4" in read_station_csv(path, step="auto").report.warnings[0]
    assert read_station_csv(path, port=parse_ports("1,2,4"), step="auto").report.warnings == []
    assert read_station_csv(COSORE).report.warnings == []                  # ES-Agu: port 0, one description
