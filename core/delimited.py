"""Delimited text tables: which of comma, semicolon or tab separates the columns, decided one way everywhere.

The station reader, the dock's table picker and the practices table all call ``sniff_delimiter``, so a
table that opens in one of them opens the same way in the others.
"""

DELIMITERS = ",;\t"


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab in ``header_line``; a comma on a tie or when none is there.

    The header decides, not the data: column names hold no decimal commas, data cells may
    (a European spreadsheet's "0,5" in a semicolon table).
    """
    return max(DELIMITERS, key=header_line.count)
