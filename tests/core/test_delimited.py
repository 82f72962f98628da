"""One delimiter rule (core.delimited.sniff_delimiter) for the station reader, the practices table and the dock."""
import csv
import io

import pytest

from desert_carbon.core.practices import DEFAULT_PRACTICES, load_practices


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_the_practices_table_reads_the_same_with_semicolons_or_tabs(tmp_path, delimiter):
    rows = list(csv.reader(io.StringIO(DEFAULT_PRACTICES.read_text(encoding="utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path = tmp_path / "practices.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert repr(load_practices(path)) == repr(load_practices())
