"""Station tables: the real COSORE and AmeriFlux samples in tests/data (read unchanged), a
synthetic FLUXNET2015 table, and every kind of bad input named in the requirement.

Expected values are taken from the CSV text with the csv module, independently of the reader.
"""
import calendar
import csv
import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from desert_carbon.core.delimited import sniff_delimiter
from desert_carbon.core.errors import InputError
from desert_carbon.core.stations import (CANONICAL_UNITS, FORMAT_DEFAULT, LEAVE_OUT, MG_CO2_IN_UMOL,
                                         choices_from_mapping, mapping_from_choices, mapping_text, parse_mapping,
                                         parse_port, read_station_columns, read_station_csv, resample)

DATA = Path(__file__).resolve().parents[1] / "data"
COSORE = DATA / "cosore_ES-Agu_2012" / "data.csv"
AMERIFLUX = DATA / "ameriflux_base_US-CRT" / "AMF_US-CRT_BASE_HH_2-5.csv"


def csv_records(path):
    """Rows of a CSV as dicts, '#' lines before the header skipped."""
    with open(path, newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def epoch(text, fmt="%Y-%m-%d %H:%M:%S"):
    return calendar.timegm(datetime.strptime(text, fmt).timetuple())


def value(text):
    return math.nan if text in ("", "-9999") else float(text)


@pytest.fixture(scope="module")
def cosore_records():
    return csv_records(COSORE)


@pytest.fixture(scope="module")
def cosore():
    return read_station_csv(COSORE)


@pytest.fixture(scope="module")
def cosore_port1():
    return read_station_csv(COSORE, port=1)


@pytest.fixture(scope="module")
def ameriflux_records():
    return csv_records(AMERIFLUX)


@pytest.fixture(scope="module")
def ameriflux():
    return read_station_csv(AMERIFLUX)


# ---- COSORE (real sample) ----------------------------------------------------------------------

def test_cosore_is_detected_with_its_site_description(cosore, cosore_records):
    assert cosore.table_format == "cosore"
    assert (cosore.station_id, cosore.station_name) == ("ES-Agu", "Agua Amarga")
    assert (cosore.latitude, cosore.longitude, cosore.elevation) == (36.940046, -2.033208, 208.0)
    assert cosore.report.rows_read == len(cosore_records) == 35132
    assert cosore.step == cosore.report.step_found == 1800


def test_cosore_time_axis_gaps_and_utc_offset(cosore, cosore_records):
    first = cosore_records[0]
    assert cosore.times[0] == epoch(first["CSR_TIMESTAMP_BEGIN_LOCAL"])
    assert cosore.times_utc[0] == epoch(first["CSR_TIMESTAMP_BEGIN_UTC"], "%Y-%m-%dT%H:%M:%SZ")
    assert cosore.utc_offset_hours == 1.0
    assert np.all(np.diff(cosore.times) == 1800)
    # Independently: distinct local start times, and the missing half-hours between them.
    distinct = sorted({epoch(r["CSR_TIMESTAMP_BEGIN_LOCAL"]) for r in cosore_records})
    assert cosore.times[-1] == distinct[-1]
    assert cosore.report.steps == len(cosore.times) == (distinct[-1] - distinct[0]) // 1800 + 1
    missing = [(t, (u - t) // 1800 - 1) for t, u in zip(distinct, distinct[1:]) if u - t != 1800]
    assert [(epoch(start, "%Y-%m-%dT%H:%M:%S") - 1800, n) for start, n in cosore.report.gaps] == missing
    assert cosore.report.gaps == [("2012-05-03T11:30:00", 2)]
    assert cosore.report.duplicated.count == cosore.report.non_monotonic.count == 0


def test_cosore_first_row_of_port_1_equals_the_csv_text(cosore_port1, cosore_records):
    port1 = [r for r in cosore_records if r["CSR_PORT"] == "1"]
    first = port1[0]
    assert cosore_port1.times[0] == epoch(first["CSR_TIMESTAMP_BEGIN_LOCAL"])
    assert cosore_port1.columns["fc"][0] == float(first["CSR_FLUX_CO2"]) == 1.674258319
    assert cosore_port1.columns["t10"][0] == float(first["CSR_T5"]) == 10.14
    assert cosore_port1.columns["theta10"][0] == float(first["CSR_SM5"])
    assert np.isfinite(cosore_port1.columns["fc"]).sum() == len(port1) == 17566
    assert any("17566 rows of ports other than 1" in line for line in cosore_port1.report.dropped)


def test_cosore_ports_are_averaged_per_timestamp(cosore, cosore_records):
    stamp = "2012-06-15 12:00:00"
    rows = [r for r in cosore_records if r["CSR_TIMESTAMP_BEGIN_LOCAL"] == stamp]
    assert sorted(r["CSR_PORT"] for r in rows) == ["1", "2"]
    at = int(np.flatnonzero(cosore.times == epoch(stamp))[0])
    for canonical, column in (("fc", "CSR_FLUX_CO2"), ("t10", "CSR_T5"), ("theta10", "CSR_SM5")):
        expected = (float(rows[0][column]) + float(rows[1][column])) / 2
        assert cosore.columns[canonical][at] == pytest.approx(expected, rel=1e-12)
    assert any("ports [1, 2]" in note for note in cosore.report.notes)


def test_cosore_depth_mapping_is_recorded_not_silent(cosore):
    t10 = cosore.provenance["t10"]
    assert (t10.sources, t10.weights, t10.source_depths_cm, t10.target_depth_cm) == (
        ("CSR_T5",), (1.0,), (5.0,), 10.0)
    assert "nearest depth" in t10.method
    theta = cosore.provenance["theta10"]
    assert (theta.sources, theta.source_depths_cm, theta.source_unit) == (("CSR_SM5",), (5.0,), "m3 m-3")
    assert "t0" not in cosore.columns
    assert cosore.provenance["t0"].sources == ()
    assert "no sensor within 2 cm" in cosore.provenance["t0"].note
    assert "CSR_T5 @ 5 cm" in cosore.summary()


def test_cosore_caller_mapping_overrides_the_default_and_is_recorded():
    series = read_station_csv(COSORE, port=2, mapping={"t0": "CSR_T5", "ta": None})
    t0 = series.provenance["t0"]
    assert (t0.sources, t0.source_depths_cm, t0.method) == (("CSR_T5",), (5.0,), "caller mapping")
    np.testing.assert_array_equal(series.columns["t0"], series.columns["t10"])
    assert series.provenance["ta"].note == "left out by the caller"


def test_cosore_missing_shares_match_an_independent_count(cosore, cosore_records):
    for column in cosore_records[0]:
        if column != "CSR_TIMESTAMP_BEGIN_LOCAL":
            expected = sum(r[column] in ("", "NA", "-9999") for r in cosore_records) / len(cosore_records)
            assert cosore.report.missing_share[column] == expected


def test_a_utc_offset_contradicting_the_table_is_an_error():
    with pytest.raises(InputError, match=r"UTC offset given \(parameter UTC_OFFSET_HOURS, \+8 h\) contradicts "
                                         r".* \+1 h"):
        read_station_csv(COSORE, utc_offset_hours=8)


# ---- AmeriFlux BASE (real sample) --------------------------------------------------------------

def test_ameriflux_values_equal_the_csv_text(ameriflux, ameriflux_records):
    assert ameriflux.table_format == "ameriflux_base"
    assert ameriflux.station_id == "US-CRT"                      # from '# Site: US-CRT'
    assert ameriflux.report.rows_read == len(ameriflux_records) == 96
    assert ameriflux.step == 1800 and ameriflux.report.gaps == []
    assert ameriflux.times[0] == epoch("201101010000", "%Y%m%d%H%M")
    first = ameriflux_records[0]
    # AmeriFlux SWC is in percent: 45.13234 % -> 0.4513234 m3 m-3.
    assert ameriflux.columns["theta10"][0] == pytest.approx(float(first["SWC"]) / 100, rel=1e-15)
    assert ameriflux.columns["t10"][0] == pytest.approx(
        0.5 * float(first["TS_1_1_1"]) + 0.5 * float(first["TS_2_1_1"]), rel=1e-15)
    assert ameriflux.columns["ta"][0] == float(first["TA"])
    assert ameriflux.columns["rn"][0] == float(first["NETRAD"])
    for canonical, column in (("fc", "FC"), ("h", "H"), ("p", "P")):
        expected = np.array([value(r[column]) for r in ameriflux_records])
        np.testing.assert_array_equal(ameriflux.columns[canonical], expected)


def test_ameriflux_mapping_and_missing_shares_are_reported(ameriflux, ameriflux_records):
    theta = ameriflux.provenance["theta10"]
    assert (theta.sources, theta.source_unit, theta.source_depths_cm) == (("SWC",), "%", (None,))
    t10 = ameriflux.provenance["t10"]
    assert t10.sources == ("TS_1_1_1", "TS_2_1_1") and t10.weights == (0.5, 0.5)
    assert "shallowest profile level" in t10.method and "depth unknown" in t10.note
    assert "t0" not in ameriflux.columns and "map t0 explicitly" in ameriflux.provenance["t0"].note
    for column in ameriflux_records[0]:
        if column != "TIMESTAMP_START":
            expected = sum(r[column] == "-9999" for r in ameriflux_records) / 96
            assert ameriflux.report.missing_share[column] == expected
    assert ameriflux.report.missing_share["FC"] == 58 / 96
    assert ameriflux.report.missing_share["CH4"] == 1.0


def test_ameriflux_utc_offset_is_a_parameter_when_the_header_lacks_it(ameriflux):
    assert ameriflux.utc_offset_hours is None
    with pytest.raises(InputError, match="UTC offset .* unknown"):
        _ = ameriflux.times_utc
    ohio = read_station_csv(AMERIFLUX, utc_offset_hours=-5)
    np.testing.assert_array_equal(ohio.times_utc, ohio.times + 5 * 3600)


def test_ameriflux_depths_given_by_the_caller_are_interpolated():
    series = read_station_csv(AMERIFLUX, mapping={"t10": [("TS_1_1_1", 5), ("TS_2_1_1", 20)]})
    t10 = series.provenance["t10"]
    assert t10.weights == pytest.approx((2 / 3, 1 / 3)) and t10.source_depths_cm == (5.0, 20.0)
    assert "linear interpolation between 5 and 20 cm" in t10.method
    assert series.columns["t10"][0] == pytest.approx(2 / 3 * 3.468005 + 1 / 3 * 3.130502, rel=1e-12)


def test_half_hours_averaged_to_hours_by_hand(ameriflux, ameriflux_records):
    hourly = resample(ameriflux, 3600)
    assert hourly.step == 3600 and len(hourly.times) == 48 and hourly.times[0] == ameriflux.times[0]
    # Hand-worked from the file: TA 11.17954 and 11.69442 at 00:00 and 00:30 are averaged;
    # P (mm per step) is summed: 0 + 0.254 at 00:00, 0 + 0 at 01:00, 0 + 0.762 at 02:00, 2.286 + 0 at 03:00.
    assert hourly.columns["ta"][0] == pytest.approx((11.17954 + 11.69442) / 2, rel=1e-12)
    assert hourly.columns["p"][:4] == pytest.approx([0.254, 0.0, 0.762, 2.286], rel=1e-12)
    fc = [value(r["FC"]) for r in ameriflux_records]
    halves = list(zip(fc[0::2], fc[1::2]))
    both = next(i for i, (a, b) in enumerate(halves) if not math.isnan(a) and not math.isnan(b))
    one = next(i for i, (a, b) in enumerate(halves) if math.isnan(a) != math.isnan(b))
    assert hourly.columns["fc"][both] == pytest.approx(sum(halves[both]) / 2, rel=1e-12)
    assert math.isnan(hourly.columns["fc"][one])                         # one half missing
    lenient = resample(ameriflux, 3600, min_coverage=0.5)
    assert lenient.columns["fc"][one] == [v for v in halves[one] if not math.isnan(v)][0]
    assert "resampled from 1800 s to 3600 s" in hourly.report.notes[-1]


def test_daily_aggregation_follows_the_local_day(ameriflux, ameriflux_records):
    daily = resample(ameriflux, 86400)
    assert daily.step == 86400 and len(daily.times) == 2
    ta = [float(r["TA"]) for r in ameriflux_records]
    precipitation = [float(r["P"]) for r in ameriflux_records]
    assert daily.columns["ta"] == pytest.approx([sum(ta[:48]) / 48, sum(ta[48:]) / 48], rel=1e-12)
    assert daily.columns["p"] == pytest.approx([sum(precipitation[:48]), sum(precipitation[48:])],
                                               rel=1e-12)
    fc = np.array([value(r["FC"]) for r in ameriflux_records]).reshape(2, 48)
    assert np.isnan(daily.columns["fc"]).all()                           # FC has gaps every day
    coverage = np.isfinite(fc).mean(axis=1)
    lenient = resample(ameriflux, 86400, min_coverage=coverage.min())
    assert lenient.columns["fc"] == pytest.approx(np.nanmean(fc, axis=1), rel=1e-12)


def test_in_memory_columns_give_the_same_series_as_the_file(ameriflux, ameriflux_records):
    # As a QGIS layer provider hands them over: numbers, timestamps as integers, None for NULL.
    columns = {name: [None if r[name] == "-9999" else float(r[name]) for r in ameriflux_records]
               for name in ameriflux_records[0]}
    columns["TIMESTAMP_START"] = [int(r["TIMESTAMP_START"]) for r in ameriflux_records]
    series = read_station_columns(columns, "layer US-CRT", station_id="US-CRT")
    np.testing.assert_array_equal(series.times, ameriflux.times)
    for name, values in ameriflux.columns.items():
        np.testing.assert_array_equal(series.columns[name], values)
    assert series.report.missing_share == ameriflux.report.missing_share
    columns["TA"][3] = "warm"
    with pytest.raises(InputError, match=r"layer US-CRT: column 'TA', row 4: 'warm' is not a number"):
        read_station_columns(columns, "layer US-CRT")


# ---- FLUXNET2015 (synthetic: no real sample is available) --------------------------------------

def write_fluxnet(path, days=3):
    """A synthetic FLUXNET2015 half-hourly table; SWC in percent, -9999 missing, NEE QC flags."""
    lines = ["TIMESTAMP_START,TIMESTAMP_END,TA_F,P_F,TS_F_MDS_1,TS_F_MDS_2,SWC_F_MDS_1,"
             "NEE_VUT_REF,NEE_VUT_REF_QC"]
    start = datetime(2015, 6, 1)
    for i in range(days * 48):
        t = start + timedelta(minutes=30 * i)
        nee = 0.8 + 0.5 * math.sin(2 * math.pi * i / 48)
        qc = (0, 1, 2, 3)[i % 4]
        swc = "-9999" if i == 5 else f"{12.5 + 0.01 * i:.2f}"
        lines.append(f"{t:%Y%m%d%H%M},{t + timedelta(minutes=30):%Y%m%d%H%M},{20 + i % 48 / 4:.2f},"
                     f"0,{22 + i % 48 / 8:.3f},{21:.1f},{swc},{nee:.4f},{qc}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_fluxnet2015_percent_moisture_qc_flags_and_missing(tmp_path):
    path = write_fluxnet(tmp_path / "FLX_XX-Syn_FLUXNET2015_FULLSET_HH.csv")
    series = read_station_csv(path)
    assert series.table_format == "fluxnet2015" and series.step == 1800
    rows = csv_records(path)
    assert series.columns["theta10"][0] == pytest.approx(float(rows[0]["SWC_F_MDS_1"]) / 100)
    assert math.isnan(series.columns["theta10"][5])                     # -9999
    assert series.columns["t10"][0] == float(rows[0]["TS_F_MDS_1"])     # shallowest level
    assert series.provenance["theta10"].source_unit == "%"
    # Default max_qc=1: medium (2) and poor (3) gap-fills are dropped, and said so.
    nee = np.array([float(r["NEE_VUT_REF"]) for r in rows])
    qc = np.array([int(r["NEE_VUT_REF_QC"]) for r in rows])
    np.testing.assert_array_equal(series.columns["fc"], np.where(qc <= 1, nee, np.nan))
    assert "NEE_VUT_REF: 72 values with NEE_VUT_REF_QC > 1 set missing" in series.report.dropped
    everything = read_station_csv(path, max_qc=None)
    np.testing.assert_array_equal(everything.columns["fc"], nee)


def test_fluxnet2015_daily_file_converts_gc_per_day(tmp_path):
    # FLUXNET2015 DD files: TIMESTAMP YYYYMMDD, NEE in g C m-2 d-1, QC a share of good data.
    lines = ["TIMESTAMP,TS_F_MDS_1,SWC_F_MDS_1,NEE_VUT_REF,NEE_VUT_REF_QC"]
    lines += [f"201506{day:02d},{20 + day / 10:.1f},{10 + day:.1f},{-0.5 + day / 10:.2f},0.4"
              for day in range(1, 11)]
    path = tmp_path / "FLX_XX-Syn_FLUXNET2015_FULLSET_DD.csv"
    path.write_text("\n".join(lines) + "\n")
    series = read_station_csv(path)
    assert series.step == 86400 and len(series.times) == 10
    assert series.provenance["fc"].source_unit == "gC m-2 d-1"
    # 1 g C m-2 d-1 = 1e6 / 12.011 / 86400 = 0.9636228 umol m-2 s-1
    assert series.columns["fc"][0] == pytest.approx(-0.4 * 0.9636228, rel=1e-7)
    assert np.isfinite(series.columns["fc"]).all()
    assert any("QC flags are shares of good data" in note for note in series.report.notes)


# ---- generic CSV with a mapping, and bad input -------------------------------------------------

GENERIC = {"fc": "flux", "t10": [("t5", 5), ("t20", 20)], "theta10": "vwc"}


def write_generic(path, hours=72, step_minutes=60, edit=None):
    """A small generic table (time, flux umol, t5, t20 degC, vwc m3 m-3); data row i is on line i + 2."""
    lines = ["time,flux,t5,t20,vwc"]
    for i in range(hours * 60 // step_minutes):
        t = datetime(2020, 7, 1) + timedelta(minutes=step_minutes * i)
        lines.append(f"{t:%Y-%m-%d %H:%M},{0.4 + 0.3 * math.sin(i / 4):.4f},{30 + 10 * math.sin(i / 4):.2f},"
                     f"{27 + 2 * math.sin(i / 4):.2f},0.05")
    if edit:
        edit(lines)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_generic_table_with_a_mapping(tmp_path):
    series = read_station_csv(write_generic(tmp_path / "site.csv"), mapping=GENERIC, time_column="time")
    assert series.table_format == "generic" and series.step == 3600 and len(series.times) == 72
    t10 = series.provenance["t10"]
    assert t10.sources == ("t5", "t20") and t10.weights == pytest.approx((2 / 3, 1 / 3))
    assert series.columns["t10"][0] == pytest.approx(2 / 3 * 30 + 1 / 3 * 27)
    assert series.utc_offset_hours is None


def test_generic_daily_and_end_marked_timestamps(tmp_path):
    daily = read_station_csv(write_generic(tmp_path / "daily.csv", hours=24 * 5, step_minutes=1440),
                             mapping=GENERIC, time_column="time")
    assert daily.step == 86400 and len(daily.times) == 5
    ends = read_station_csv(write_generic(tmp_path / "ends.csv"), mapping=GENERIC, time_column="time",
                            time_marks="end")
    assert ends.times[0] == epoch("2020-06-30 23:00:00")


def test_unknown_column_names_file_and_column(tmp_path):
    path = write_generic(tmp_path / "site.csv")
    with pytest.raises(InputError, match=r"site\.csv: column 'Flux' \(mapped to fc\) is not in the "
                                         r"table.*Did you mean 'flux'"):
        read_station_csv(path, mapping={**GENERIC, "fc": "Flux"}, time_column="time")
    with pytest.raises(InputError, match="not those of an AmeriFlux BASE, FLUXNET2015 or COSORE"):
        read_station_csv(path)


def test_all_missing_column_is_an_error(tmp_path):
    def blank_vwc(lines):
        lines[1:] = [line.rsplit(",", 1)[0] + ",-9999" for line in lines[1:]]
    path = write_generic(tmp_path / "site.csv", edit=blank_vwc)
    with pytest.raises(InputError, match=r"site\.csv: column 'vwc' \(for theta10\) has no values: all 72 "
                                         r"rows are missing"):
        read_station_csv(path, mapping=GENERIC, time_column="time")


def test_flux_in_mg_declared_as_umol_is_detected(tmp_path):
    def to_mg(lines):
        for i in range(1, len(lines)):
            fields = lines[i].split(",")
            fields[1] = f"{float(fields[1]) / MG_CO2_IN_UMOL:.6f}"
            lines[i] = ",".join(fields)
    path = write_generic(tmp_path / "mg.csv", edit=to_mg)
    with pytest.raises(InputError, match=r"mg\.csv: column 'flux' \(fc, declared umol CO2 m-2 s-1\).*too "
                                         r"small.*mg m-2 s-1.*22\.72"):
        read_station_csv(path, mapping=GENERIC, time_column="time")
    series = read_station_csv(path, mapping=GENERIC, time_column="time", units={"fc": "mg m-2 s-1"})
    assert series.columns["fc"][1] == pytest.approx(0.4 + 0.3 * math.sin(0.25), abs=1e-4)


def test_a_single_day_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"day\.csv: column 'time' covers only 1 day.*at least 2 days"):
        read_station_csv(write_generic(tmp_path / "day.csv", hours=24), mapping=GENERIC, time_column="time")


def test_timestamps_in_two_formats_name_both_lines(tmp_path):
    def compact_third_row(lines):
        lines[3] = "202007010200" + lines[3][len("2020-07-01 02:00"):]
    path = write_generic(tmp_path / "mixed.csv", edit=compact_third_row)
    with pytest.raises(InputError, match=r"mixed\.csv: column 'time' mixes timestamp formats: line 2 has "
                                         r"'2020-07-01 00:00'.*but line 4 has '202007010200'"):
        read_station_csv(path, mapping=GENERIC, time_column="time")


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "is not a table \\(it holds binary data\\)"),
    (b"Field notes\nThe chamber was cleaned on Monday.\n", "is not a table: line 1 .* has no comma"),
    (b"", "is not a table: it has no header line"),
    (b'{"fc": 1, "t10": 2}\n{"fc": 3, "t10": 4, "ta": 5}\n',
     "is not a regular table: line 2 has 3 fields"),
    (b"time,,fc\n2020-01-01,1,2\n", "column 2 in the header \\(line 1\\) has no name"),
    (b"2020-01-01,0.5,21\n2020-01-02,0.6,22\n",
     "the header \\(line 1\\) holds numbers or dates, not column names"),
])
def test_a_file_that_is_not_a_table(tmp_path, content, message):
    path = tmp_path / "notes.dat"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"notes\.dat: " + message):
        read_station_csv(path)


def test_non_numeric_value_names_column_and_line(tmp_path):
    def text_in_flux(lines):
        lines[10] = lines[10].replace(lines[10].split(",")[1], "n.d.")
    path = write_generic(tmp_path / "site.csv", edit=text_in_flux)
    with pytest.raises(InputError, match=r"site\.csv: column 'flux', line 11: 'n\.d\.' is not a number"):
        read_station_csv(path, mapping=GENERIC, time_column="time")


def test_out_of_range_values_are_counted_and_dropped_or_kept(tmp_path):
    def spoil(lines):
        lines[6] = lines[6].replace(lines[6].split(",")[2], "85.0")       # t5 above 80 degC
        lines[9] = lines[9].rsplit(",", 1)[0] + ",1.30"                  # VWC above 1
    path = write_generic(tmp_path / "site.csv", edit=spoil)
    dropped = read_station_csv(path, mapping=GENERIC, time_column="time")
    found = dropped.report.out_of_range
    assert (found["t5"].count, found["t5"].rows) == (1, ("line 7",))
    assert (found["vwc"].count, found["vwc"].rows) == (1, ("line 10",))
    assert math.isnan(dropped.columns["t10"][5]) and math.isnan(dropped.columns["theta10"][8])
    assert any("t5: 1 values outside -60..80 degC set missing (line 7)" in d for d in dropped.report.dropped)
    kept = read_station_csv(path, mapping=GENERIC, time_column="time", out_of_range="keep")
    assert kept.report.out_of_range["vwc"].count == 1 and kept.columns["theta10"][8] == 1.3


def test_duplicated_and_out_of_order_timestamps_are_reported(tmp_path):
    def shuffle(lines):
        lines[4], lines[5] = lines[5], lines[4]                          # out of order
        lines.insert(8, lines[7].replace(lines[7].split(",")[1], "0.9"))  # line 9 repeats line 8's time
    path = write_generic(tmp_path / "site.csv", edit=shuffle)
    series = read_station_csv(path, mapping=GENERIC, time_column="time")
    assert (series.report.non_monotonic.count, series.report.non_monotonic.rows) == (1, ("line 6",))
    assert (series.report.duplicated.count, series.report.duplicated.rows) == (1, ("line 9",))
    assert len(series.times) == 72 and np.all(np.diff(series.times) == 3600)
    first = series.columns["fc"][6]
    assert first != 0.9                                                 # the first row was kept
    mean = read_station_csv(path, mapping=GENERIC, time_column="time", duplicates="mean")
    assert mean.columns["fc"][6] == pytest.approx((first + 0.9) / 2)
    with pytest.raises(InputError, match=r"column 'time': line 9 repeats the timestamp "
                                         r"2020-07-01T06:00:00 of line 8"):
        read_station_csv(path, mapping=GENERIC, time_column="time", duplicates="error")


def test_gap_is_reported_and_filled_with_missing(tmp_path):
    def remove_three_hours(lines):
        del lines[11:14]
    series = read_station_csv(write_generic(tmp_path / "site.csv", edit=remove_three_hours),
                              mapping=GENERIC, time_column="time")
    assert series.report.gaps == [("2020-07-01T10:00:00", 3)]
    assert np.isnan(series.columns["fc"][10:13]).all() and np.isfinite(series.columns["fc"][13])


def test_percent_declared_as_fraction_and_unsupported_step_are_errors(tmp_path):
    def percent(lines):
        lines[1:] = [line.rsplit(",", 1)[0] + ",12.5" for line in lines[1:]]
    path = write_generic(tmp_path / "site.csv", edit=percent)
    with pytest.raises(InputError, match=r"column 'vwc' \(theta10.*looks like percent"):
        read_station_csv(path, mapping=GENERIC, time_column="time")
    quarter = write_generic(tmp_path / "quarter.csv", step_minutes=15)
    with pytest.raises(InputError, match="most common spacing of timestamps is 900 s"):
        read_station_csv(quarter, mapping=GENERIC, time_column="time")


def test_a_required_column_without_a_mapping_is_an_error(tmp_path):
    path = write_generic(tmp_path / "site.csv")
    with pytest.raises(InputError, match="no column for theta10"):
        read_station_csv(path, mapping={"fc": "flux", "t10": "t5"}, time_column="time")
    series = read_station_csv(path, mapping={"fc": "flux"}, time_column="time", required=("fc",))
    assert set(series.columns) == {"fc"}


# ---- one rule in one place: the column mapping, its text, the dock's choices, the port, the delimiter -----

def test_mapping_text_errors_name_the_parameter_and_show_an_example():
    with pytest.raises(InputError, match=r"^REFERENCE_MAPPING is not valid JSON .*For example: \{\"fc\""):
        parse_mapping("{fc: FC_OP}", "REFERENCE_MAPPING")
    with pytest.raises(InputError, match=r"^MAPPING must be a JSON object .*not \['fc'\]\. For example"):
        parse_mapping('["fc"]')
    with pytest.raises(InputError, match=r"^MAPPING: 'co2' is not one of the plugin's column names \(fc, t0, "):
        parse_mapping('{"co2": "FC"}')
    with pytest.raises(InputError, match=r"^MAPPING: t10 is mapped to 5, which is neither a column name"):
        parse_mapping('{"t10": 5}')
    with pytest.raises(InputError, match=r"t10 is mapped to \[\['TS_1', 'deep'\]\]"):
        parse_mapping('{"t10": [["TS_1", "deep"]]}')
    assert parse_mapping("  ") is None and parse_mapping(None) is None


def test_mapping_text_gives_what_the_reader_takes():
    text = '{"fc": "FC", "t10": [["TS_1", 5], ["TS_2", 15]], "theta10": {"SWC_1": 0.5, "SWC_2": 0.5}, "ta": null}'
    assert parse_mapping(text) == {"fc": "FC", "t10": [["TS_1", 5], ["TS_2", 15]],
                                   "theta10": {"SWC_1": 0.5, "SWC_2": 0.5}, "ta": None}


def test_the_reader_checks_a_python_mapping_by_the_same_rule(tmp_path):
    path = write_generic(tmp_path / "site.csv")
    with pytest.raises(InputError, match=r"^mapping: 'co2' is not one of the plugin's column names"):
        read_station_csv(path, mapping={**GENERIC, "co2": "flux"}, time_column="time")


def test_dock_choices_and_mapping_round_trip():
    choices = dict.fromkeys(CANONICAL_UNITS, FORMAT_DEFAULT)
    choices.update(fc="CSR_FLUX_CO2", t0="CSR_T5", ta=LEAVE_OUT)
    mapping = mapping_from_choices(choices)
    assert mapping == {"fc": "CSR_FLUX_CO2", "t0": "CSR_T5", "ta": None}
    assert choices_from_mapping(mapping) == choices
    assert parse_mapping(mapping_text(mapping)) == mapping
    assert mapping_text({}) == "" and choices_from_mapping(None) == dict.fromkeys(CANONICAL_UNITS, FORMAT_DEFAULT)


@pytest.mark.parametrize("text, port", [("", "mean"), ("  mean ", "mean"), ("2", 2), (" 12 ", 12), (None, "mean"),
                                        ("north", "north")])
def test_port_text(text, port):
    assert parse_port(text) == port


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_tables_read_as_the_comma_table(tmp_path, delimiter):
    comma = read_station_csv(write_generic(tmp_path / "comma.csv"), mapping=GENERIC, time_column="time")
    other = tmp_path / "other.csv"
    other.write_text((tmp_path / "comma.csv").read_text().replace(",", delimiter))
    series = read_station_csv(other, mapping=GENERIC, time_column="time")
    np.testing.assert_array_equal(series.times, comma.times)
    for name, values in comma.columns.items():
        np.testing.assert_array_equal(series.columns[name], values)


def test_the_header_decides_the_delimiter():
    assert sniff_delimiter("time;flux;t5") == ";"
    assert sniff_delimiter("time\tflux\tt5,degC") == "\t"
    assert sniff_delimiter("time,flux;t5,t20") == ","
    assert sniff_delimiter("time") == ","                  # one column: a comma, as the csv module's default
