"""Real GRIB1 / GRIB2 files for the tests, written by ecCodes' own tools from ECMWF's sample templates.

Each message is made by ``grib_filter`` from ``regular_ll_sfc_grib{1,2}.tmpl`` with a rules file that
sets the parameter, time and grid keys and then ``set values = {...}; write;``; the messages are
concatenated into one file, as the data store delivers them.
"""
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date as calendar_date
from datetime import timedelta

import numpy as np

SAMPLES = os.environ.get("ECCODES_SAMPLES_PATH", "/usr/share/eccodes/samples")
ECCODES = shutil.which("grib_filter") is not None and shutil.which("grib_get_data") is not None
NO_ECCODES = "ecCodes command-line tools (grib_filter, grib_get_data; Debian libeccodes-tools) are not installed"
MISSING = 9999.0
ACCUMULATED = {169, 175, 176, 177, 228}


@dataclass
class Field:
    """One GRIB message: ``values`` north-up (rows from north to south), NaN where missing."""
    param: int
    date: int                 # YYYYMMDD of the reference time
    time: int                 # HHMM of the reference time
    step: int                 # hours: forecast step, or the end of the accumulation
    values: np.ndarray
    start_step: int = 0       # hours: start of the accumulation
    data_type: str = "fc"
    north: float = 38.3       # latitude of the first (northernmost) row of cell centres
    west: float = 80.0        # longitude of the first column of cell centres
    resolution: float = 0.1
    bits: int = 16


def _number(value) -> str:
    return "%.9g" % value


def _rules(field: Field, edition: int) -> str:
    rows, cols = field.values.shape
    accumulated = field.param in ACCUMULATED
    lines = [f"set dataDate = {field.date};", f"set dataTime = {field.time};",
             f'set dataType = "{field.data_type}";']
    if edition == 2:
        # template 4.8 (statistics over an interval) first, or ecCodes cannot set an accumulated paramId
        lines.append(f"set productDefinitionTemplateNumber = {8 if accumulated else 0};")
    lines.append(f"set paramId = {field.param};")
    if accumulated:
        lines += ['set stepType = "accum";', f"set startStep = {field.start_step};", f"set endStep = {field.step};"]
    else:
        lines += ['set stepType = "instant";', f"set step = {field.step};"]
    south = field.north - (rows - 1) * field.resolution
    east = field.west + (cols - 1) * field.resolution
    lines += [f"set Ni = {cols};", f"set Nj = {rows};",
              f"set latitudeOfFirstGridPointInDegrees = {_number(field.north)};",
              f"set longitudeOfFirstGridPointInDegrees = {_number(field.west)};",
              f"set latitudeOfLastGridPointInDegrees = {_number(south)};",
              f"set longitudeOfLastGridPointInDegrees = {_number(east)};",
              f"set iDirectionIncrementInDegrees = {_number(field.resolution)};",
              f"set jDirectionIncrementInDegrees = {_number(field.resolution)};",
              f"set bitsPerValue = {field.bits};"]
    flat = np.where(np.isfinite(field.values), field.values, MISSING).ravel()
    if not np.isfinite(field.values).all():
        lines += [f"set missingValue = {_number(MISSING)};", "set bitmapPresent = 1;"]
    lines += ["set values = {" + ", ".join("%.10g" % v for v in flat) + "};", "write;"]
    return "\n".join(lines) + "\n"


def write_grib(path, fields: list, edition: int = 1) -> str:
    """A GRIB file of ``edition`` holding ``fields`` in the given order.

    One grib_filter run per run of messages of one parameter: within a run every message sets all
    its keys, and a fresh sample starts each parameter, so no key of another parameter lingers.
    """
    sample = os.path.join(SAMPLES, f"regular_ll_sfc_grib{edition}.tmpl")
    runs = []
    for field in fields:
        if runs and runs[-1][0].param == field.param:
            runs[-1].append(field)
        else:
            runs.append([field])
    with tempfile.TemporaryDirectory() as work, open(path, "wb") as out:
        for k, run in enumerate(runs):
            rules = os.path.join(work, f"rules{k}")
            target = os.path.join(work, f"run{k}.grib")
            with open(rules, "w") as f:
                f.write("".join(_rules(field, edition) for field in run))
            subprocess.run(["grib_filter", "-o", target, rules, sample], check=True, capture_output=True)
            with open(target, "rb") as f:
                out.write(f.read())
    return str(path)


def eccodes_values(path) -> list:
    """Every message's values as ecCodes decodes them (grib_get_data), north-up (rows, cols), NaN missing."""
    keys = subprocess.run(["grib_get", "-p", "Ni,Nj", str(path)], check=True, capture_output=True,
                          text=True).stdout.split("\n")
    shapes = [tuple(int(v) for v in line.split()) for line in keys if line.strip()]
    text = subprocess.run(["grib_get_data", "-m", "nan", "-F", "%.12e", str(path)], check=True,
                          capture_output=True, text=True).stdout
    fields, current = [], []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] != "Latitude":
            current.append(float(parts[2]))
        elif parts and parts[0] == "Latitude" and current:
            fields.append(current)
            current = []
    if current:
        fields.append(current)
    return [np.array(values).reshape(nj, ni) for values, (ni, nj) in zip(fields, shapes)]


def eccodes_keys(path, keys: str) -> list:
    """``grib_get -p keys`` per message, as lists of strings."""
    text = subprocess.run(["grib_get", "-p", keys, str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in text.splitlines() if line.strip()]


def varying_field(rows: int, cols: int, hour: int, base: float, amplitude: float, seed: int) -> np.ndarray:
    """A field that varies in space and time (a constant field would be packed with 0 bits)."""
    rng = np.random.default_rng(seed * 1000 + hour)
    gradient = np.linspace(0.0, 1.0, rows * cols).reshape(rows, cols)
    return base + amplitude * (0.5 * np.sin(2 * np.pi * hour / 24.0) + gradient + 0.1 * rng.random((rows, cols)))


def era5_land_fields(params=(235, 139, 170, 39, 40, 176, 177, 228), date=20240101, rows=4, cols=6) -> list:
    """ERA5-Land-like: forecasts from 00 UTC, steps 1..24, accumulations from 00 UTC, 0.1 degree."""
    fields = []
    bases = {235: (280.0, 20.0), 139: (278.0, 10.0), 170: (277.0, 5.0), 39: (0.05, 0.05), 40: (0.08, 0.05),
             176: (1e6, 2e6), 177: (-1e6, 5e5), 228: (1e-4, 1e-3), 169: (1e6, 2e6), 175: (1e6, 5e5), 172: (0.2, 0.5)}
    for param in params:
        for step in range(1, 25):
            base, amplitude = bases[param]
            values = varying_field(rows, cols, step, base, amplitude, param)
            if param in ACCUMULATED:
                values = np.abs(values) * step if param != 177 else -np.abs(values) * step
            fields.append(Field(param, date, 0, step, values))
    return fields


def era5_fields(params=(235, 139, 39, 176), date=20240102, hours=range(6), rows=3, cols=4) -> list:
    """ERA5-like: analyses (an) at each hour, hourly accumulations (fc from 06/18 UTC), 0.25 degree."""
    day = calendar_date(date // 10000, date // 100 % 100, date % 100) - timedelta(days=1)
    previous = day.year * 10000 + day.month * 100 + day.day
    fields = []
    for param in params:
        for hour in hours:
            values = varying_field(rows, cols, hour, 250.0 if param in (235, 139) else 0.1, 30.0, param)
            if param in ACCUMULATED:
                # hourly accumulations come from the forecasts of 18 UTC the day before (steps 7..12 here)
                fields.append(Field(param, previous, 1800, hour + 6, values * 1e4, start_step=hour + 5,
                                    north=38.5, west=80.0, resolution=0.25))
            else:
                fields.append(Field(param, date, hour * 100, 0, values, data_type="an",
                                    north=38.5, west=80.0, resolution=0.25))
    return fields


# ---------------------------------------------------------------------------------------------
# long series: a year of hourly messages


MESSAGES_PER_RUN = 1500      # grib_filter's parser runs out of stack near 10,000 statements in one rules file


def _short_rules(field: Field) -> str:
    """The keys that change from one message of a run to the next (date, time, step, values)."""
    lines = [f"set dataDate = {field.date};", f"set dataTime = {field.time};"]
    if field.param in ACCUMULATED:
        lines += [f"set startStep = {field.start_step};", f"set endStep = {field.step};"]
    else:
        lines.append(f"set step = {field.step};")
    # repr: the shortest text that reads back as the same double, so representable values stay exact
    lines += ["set values = {" + ", ".join(map(repr, field.values.ravel().tolist())) + "};", "write;"]
    return "\n".join(lines) + "\n"


def _same_header(a: Field, b: Field) -> bool:
    return (a.param, a.values.shape, a.data_type, a.north, a.west, a.resolution, a.bits) == \
        (b.param, b.values.shape, b.data_type, b.north, b.west, b.resolution, b.bits)


def write_grib_series(path, fields: list, edition: int = 1) -> str:
    """Like ``write_grib``, fast enough for a year of hourly messages (tens of thousands).

    Within a run of one parameter only date, time, step and values are set again for each message
    (the other keys stay from the run's first message), runs are cut into grib_filter calls of at most
    MESSAGES_PER_RUN messages, and values are written exactly (``repr``), so values representable in
    16-bit packing come back bit for bit. Fields with missing values get the full rules of ``write_grib``.
    """
    sample = os.path.join(SAMPLES, f"regular_ll_sfc_grib{edition}.tmpl")
    with tempfile.TemporaryDirectory() as work, open(path, "wb") as out:
        rules = os.path.join(work, "rules")
        target = os.path.join(work, "run.grib")
        start = 0
        while start < len(fields):
            first = fields[start]
            stop = start + 1
            while stop < len(fields) and stop - start < MESSAGES_PER_RUN and _same_header(first, fields[stop]):
                stop += 1
            with open(rules, "w") as f:
                f.write(_rules(first, edition))
                for field in fields[start + 1:stop]:
                    finite = bool(np.isfinite(field.values).all())
                    f.write(_short_rules(field) if finite and np.isfinite(first.values).all()
                            else _rules(field, edition))
            subprocess.run(["grib_filter", "-o", target, rules, sample], check=True, capture_output=True)
            with open(target, "rb") as f:
                shutil.copyfileobj(f, out)
            start = stop
    return str(path)


def era5_land_hourly(times, values: dict, north: float = 38.3, west: float = 80.0, resolution: float = 0.1) -> list:
    """Instantaneous fields valid at ``times`` (epoch seconds) as ERA5-Land delivers them: forecasts
    (dataType fc) from 00 UTC of the day at steps 1..24, so 00 UTC is step 24 of the day before.

    ``values`` maps paramId to an array (steps, rows, cols), north-up; the messages come one parameter
    after the other, each in time order.
    """
    times = np.asarray(times, dtype=np.int64)
    reference = (times - 3600) // 86400 * 86400
    steps = (times - reference) // 3600
    dates = [int(str(np.datetime64(int(r), "s"))[:10].replace("-", "")) for r in reference]
    return [Field(param, dates[k], 0, int(steps[k]), np.asarray(stack[k], dtype=np.float64), north=north, west=west,
                  resolution=resolution)
            for param, stack in values.items() for k in range(len(times))]
