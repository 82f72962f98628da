"""Station tables: AmeriFlux BASE, FLUXNET2015, COSORE chamber data, or any CSV with a column mapping.

Two entry points end in the same checks and mapping: ``read_station_csv`` reads a file,
``read_station_columns`` takes columns already in memory (a QGIS table layer turned into lists by
the provider). Both give a ``StationSeries``: a regular time axis, the canonical columns of the
scheme in its units, where each column came from (source columns, depths, weights) and a report of
what was found in the table and what was dropped.

Times are the table's own clock, as int64 epoch seconds of the start of each interval: local
standard time for AmeriFlux and FLUXNET (``TIMESTAMP_START``) and for COSORE
(``CSR_TIMESTAMP_BEGIN_LOCAL``). ``utc_offset_hours`` records the offset when it is known and
``times_utc`` applies it, so daily sums follow the local day and ERA5 matching uses UTC.

The package, one module per seam: ``table`` (reading the raw table), ``formats`` (formats and units),
``mapping`` (the caller's column mapping, its text and the dock's choices; depths), ``times`` (timestamps,
UTC offset, the regular axis), ``series`` (StationSeries and resampling) and ``reader`` (the entry points).
Every name other code imports is available from ``core.stations`` itself.
"""
from .formats import (CANONICAL_UNITS, FLUX_UNIT_LABELS, FORMATS, MG_CO2_IN_UMOL, PHYSICAL_RANGE,
                      PLAUSIBLE_MEDIAN_FLUX, QUANTITY, TYPICAL_FLUX_MAGNITUDE, UNITS, flux_unit_plausibility)
from .mapping import (FORMAT_DEFAULT, LEAVE_OUT, MAPPING_EXAMPLE, NEAREST_DEPTH_TOLERANCE_CM, TARGET_DEPTH_CM,
                      check_mapping, choices_from_mapping, mapping_from_choices, mapping_text, parse_mapping,
                      parse_port, parse_ports)
from .reader import DEFAULT_REQUIRED, read_station_columns, read_station_csv, read_station_ports
from .series import SUPPORTED_STEPS, Binning, ColumnProvenance, Finding, StationReport, StationSeries, resample
from .table import LISTED_ROWS, MISSING_NUMBER, MISSING_WORDS
from .times import DEFAULT_BIN_STEP, MIN_SPAN_SECONDS

__all__ = [
    "CANONICAL_UNITS", "DEFAULT_BIN_STEP", "FLUX_UNIT_LABELS", "PLAUSIBLE_MEDIAN_FLUX",
    "flux_unit_plausibility", "DEFAULT_REQUIRED", "FORMATS", "FORMAT_DEFAULT", "LEAVE_OUT",
    "LISTED_ROWS", "MAPPING_EXAMPLE",
    "MG_CO2_IN_UMOL", "MIN_SPAN_SECONDS", "MISSING_NUMBER", "MISSING_WORDS", "NEAREST_DEPTH_TOLERANCE_CM",
    "PHYSICAL_RANGE", "QUANTITY", "SUPPORTED_STEPS", "TARGET_DEPTH_CM", "TYPICAL_FLUX_MAGNITUDE", "UNITS",
    "Binning", "ColumnProvenance", "Finding", "StationReport", "StationSeries", "check_mapping", "choices_from_mapping",
    "mapping_from_choices", "mapping_text", "parse_mapping", "parse_port", "parse_ports", "read_station_columns",
    "read_station_csv", "read_station_ports", "resample",
]
