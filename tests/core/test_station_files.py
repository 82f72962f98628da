"""Station files as spreadsheets and loggers write them, and the readers under arbitrary input (hypothesis).

The table is SYNTHETIC: four days of hourly values made up here, written in each encoding and dialect, and every
variant must read to the same series as the plain UTF-8 comma-separated one.
"""
import codecs
import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desert_carbon.core.errors import InputError
from desert_carbon.core.parameters import DEFAULT_PARAMETER_FILE, ParameterSet, load_parameters
from desert_carbon.core.stations import StationSeries, read_station_csv

MAPPING = {"fc": "FC", "t0": "TS0", "t10": "TS10", "theta10": "SWC"}
OPTIONS = {"table_format": "generic", "time_column": "TIMESTAMP", "mapping": MAPPING}
HOURS = 96


def synthetic_rows():
    """(timestamp, fc, ts0, ts10, swc) per hour; values with two decimals so every dialect writes them exactly."""
    rows = []
    for hour in range(HOURS):
        day, clock = divmod(hour, 24)
        rows.append((2017, 7, 1 + day, clock, round(0.25 * math.sin(hour / 3.8), 2),
                     round(20 + 8 * math.sin(hour / 3.8), 2), round(21 + 3 * math.sin(hour / 3.8 - 0.7), 2),
                     round(0.04 + 0.01 * (hour % 5), 2)))
    return rows


def table_text(delimiter=",", decimal=".", european_dates=False, newline="\n"):
    lines = [delimiter.join(["TIMESTAMP", "FC", "TS0", "TS10", "SWC"])]
    for year, month, day, clock, *values in synthetic_rows():
        stamp = (f"{day:02d}.{month:02d}.{year} {clock:02d}:00" if european_dates
                 else f"{year}-{month:02d}-{day:02d} {clock:02d}:00")
        lines.append(delimiter.join([stamp] + [f"{v:.2f}".replace(".", decimal) for v in values]))
    return newline.join(lines) + newline


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "station.csv"
    path.write_text(table_text(), encoding="utf-8")
    return read_station_csv(path, **OPTIONS)


def assert_same_series(series, reference):
    assert np.array_equal(series.times, reference.times)
    for name in MAPPING:
        np.testing.assert_array_equal(series.columns[name], reference.columns[name])


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-16", "\t"),            # a spreadsheet's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated
    ("utf-16-be-bom", ","), ("utf-8-sig", ";"), ("utf-16-le", "\t"), ("latin-1", ","), ("utf-32", ",")])
def test_encodings_and_delimiters_read_alike(tmp_path, reference, encoding, delimiter):
    text = table_text(delimiter, newline="\r\n")
    data = (codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be-bom"
            else text.encode(encoding))
    path = tmp_path / "station.csv"
    path.write_bytes(data)
    assert_same_series(read_station_csv(path, **OPTIONS), reference)


def test_a_european_csv_reads_alike_and_says_so(tmp_path, reference):
    path = tmp_path / "station_eu.csv"
    path.write_bytes(table_text(";", ",", european_dates=True, newline="\r\n").encode("cp1252"))
    series = read_station_csv(path, **OPTIONS)
    assert_same_series(series, reference)
    assert any("decimal commas" in note for note in series.report.notes)
    # set by the parameters rather than detected
    assert_same_series(read_station_csv(path, delimiter=";", decimal=",", **OPTIONS), reference)


def test_a_decimal_comma_among_points_names_the_setting(tmp_path):
    text = table_text().replace("0.04\n", "0,04\n", 1)
    path = tmp_path / "mixed.csv"
    path.write_text(text.replace(",0,04", ";0,04").replace(";0,04", ',"0,04"', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"mixed.csv: column 'SWC', line \d+: '0,04' is not a number.*DECIMAL"):
        read_station_csv(path, **OPTIONS)


def test_a_wrong_delimiter_setting_is_a_sentence(tmp_path):
    path = tmp_path / "station.csv"
    path.write_text(table_text(","), encoding="utf-8")
    with pytest.raises(InputError, match="station.csv: is not a table: line 1 .* has no semicolon between column "
                                         "names .the delimiter set"):
        read_station_csv(path, delimiter=";", **OPTIONS)


def repeated(tmp_path, same_values):
    lines = table_text().splitlines()
    copy = lines[5] if same_values else lines[5].replace(lines[5].split(",")[1], "9.99", 1)
    lines.insert(6, copy)
    path = tmp_path / "repeated.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_repeated_timestamps_with_other_values_are_warned_with_where_and_what_was_kept(tmp_path, reference):
    series = read_station_csv(repeated(tmp_path, same_values=False), **OPTIONS)
    warning, = [w for w in series.report.warnings if "repeat" in w]
    assert "1 rows repeat an earlier timestamp with different values" in warning
    assert "line 7, which repeats 2017-07-01T04:00:00 of line 6" in warning and "FC" in warning
    assert "first row of each timestamp was kept (here line 6)" in warning
    assert_same_series(series, reference)              # the first row's values kept
    averaged = read_station_csv(repeated(tmp_path, same_values=False), duplicates="mean", **OPTIONS)
    assert averaged.columns["fc"][4] == pytest.approx((reference.columns["fc"][4] + 9.99) / 2)
    with pytest.raises(InputError, match="line 7 repeats the timestamp 2017-07-01T04:00:00 of line 6"):
        read_station_csv(repeated(tmp_path, same_values=False), duplicates="error", **OPTIONS)


def test_identical_repeats_are_only_noted(tmp_path):
    series = read_station_csv(repeated(tmp_path, same_values=True), **OPTIONS)
    assert not [w for w in series.report.warnings if "repeat" in w]
    assert any("1 rows repeat an earlier timestamp" in d for d in series.report.dropped)


# ---- property-based: never an uncaught exception, always a series or an InputError naming the file -------------

# FUZZ_EXAMPLES=5000 for a longer search than the suite's
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_or_refuse(path, **options):
    try:
        return read_station_csv(path, **options)
    except InputError as error:
        assert str(path) in str(error) or "must be one of" in str(error)
        return error


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_give_a_series_or_a_sentence(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    read_or_refuse(path, **OPTIONS)
    read_or_refuse(path)


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(1e308), st.just(-1e308),
                    st.integers(min_value=-10 ** 30, max_value=10 ** 30), st.just("-9999"), st.just(""),
                    st.just("NA"), st.text(max_size=4))


@FUZZ
@given(delimiter=st.sampled_from([",", ";", "\t"]), decimal=st.sampled_from([".", ","]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1"]),
       cells=st.lists(NUMBERS, min_size=4, max_size=40), cut=st.one_of(st.none(), st.integers(0, 5000)))
def test_tables_with_odd_numbers_and_truncation_give_a_series_or_a_sentence(tmp_path, delimiter, decimal, encoding,
                                                                            cells, cut):
    text = table_text(delimiter, decimal)
    lines = text.splitlines()
    for k, cell in enumerate(cells):        # odd values in the SWC and FC columns of some rows
        row = 1 + (k * 7) % (len(lines) - 1)
        parts = lines[row].split(delimiter)
        parts[1 + k % 2 * 3] = str(cell).replace(delimiter, " ")
        lines[row] = delimiter.join(parts)
    data = ("\n".join(lines) + "\n").encode(encoding, errors="replace")
    path = tmp_path / "odd.csv"
    path.write_bytes(data if cut is None else data[:cut])
    result = read_or_refuse(path, **OPTIONS)
    assert isinstance(result, (StationSeries, InputError))


DEFAULT_DOCUMENT = json.loads(DEFAULT_PARAMETER_FILE.read_text(encoding="utf-8"))
JSON_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.floats(), st.integers(-10 ** 400, 10 ** 400),
                                     st.text(max_size=5)),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3), max_leaves=6)


def load_or_refuse(path):
    try:
        return load_parameters(path)
    except InputError as error:
        assert str(path) in str(error)
        return error


@FUZZ
@given(st.binary(max_size=2000))
def test_parameter_files_of_arbitrary_bytes_give_a_sentence(tmp_path, data):
    path = tmp_path / "params.json"
    path.write_bytes(data)
    assert isinstance(load_or_refuse(path), (ParameterSet, InputError))


@FUZZ
@given(key=st.sampled_from(sorted(DEFAULT_DOCUMENT["parameters"])),
       field=st.sampled_from(["value", "bounds", "unit", "provenance", None]), value=JSON_VALUES,
       cut=st.one_of(st.none(), st.integers(0, 4000)))
def test_parameter_files_with_any_entry_changed_or_truncated_give_a_set_or_a_sentence(tmp_path, key, field, value,
                                                                                      cut):
    document = json.loads(json.dumps(DEFAULT_DOCUMENT))
    if field is None:
        document["parameters"][key] = value
    else:
        document["parameters"][key][field] = value
    text = json.dumps(document)
    path = tmp_path / "params.json"
    path.write_text(text if cut is None else text[:cut], encoding="utf-8")
    assert isinstance(load_or_refuse(path), (ParameterSet, InputError))


def test_a_file_that_widens_its_own_bounds_is_warned_about(tmp_path):
    document = json.loads(json.dumps(DEFAULT_DOCUMENT))
    document["parameters"]["k1"].update(value=500, bounds=[0, 1000])
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    params = load_parameters(path)
    assert params.k1 == 500
    bounds, outside = params.warnings
    assert "bounds differ from the plugin's for k1 ([0, 1000] instead of [0, 1])" in bounds
    assert "k1 = 500 (plugin's bounds [0, 1]) lies outside the plugin's bounds" in outside
    assert load_parameters().warnings == ()
